import { defineRule, scanners, verdict } from '../rule';
import { isTrue, show } from '../tokens';

export const rule = defineRule({
  id: 'rds-iam-auth',
  what: 'Databases accept IAM authentication.',
  why: 'IAM tokens are short-lived and tied to roles, so applications need no long-lived database passwords.',
  scanners: scanners({ checkov: ['CKV_AWS_161'], trivy: ['AVD-AWS-0176'], cdkNag: ['AwsSolutions-RDS6'] }),
  resourceTypes: ['aws_db_instance'],
  check: (db) =>
    verdict(
      isTrue(db.config.iam_database_authentication_enabled),
      `iam_database_authentication_enabled is ${show(db.config.iam_database_authentication_enabled)}`,
    ),
});
