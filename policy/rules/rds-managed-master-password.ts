import { defineRule, scanners, verdict } from '../rule';
import { isTrue, refersTo } from '../tokens';

export const rule = defineRule({
  id: 'rds-managed-master-password',
  what: "The master password is generated and rotated by Secrets Manager, encrypted with the stack's key.",
  why: 'A password set in configuration lands in code, state and CI logs; a managed one is never seen by anyone.',
  scanners: scanners({}),
  resourceTypes: ['aws_db_instance'],
  check: (db) =>
    verdict(
      isTrue(db.config.manage_master_user_password) &&
        db.config.password === undefined &&
        refersTo(db.config.master_user_secret_kms_key_id, 'aws_kms_key', 'arn'),
      'manage_master_user_password is not true, a password is set, or the secret is not encrypted with an aws_kms_key of this stack',
    ),
});
