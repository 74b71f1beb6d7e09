import { all, defineRule, scanners, verdict } from '../rule';
import { isTrue, refersTo, show } from '../tokens';

export const rule = defineRule({
  id: 'rds-encrypted',
  what: "Database storage is encrypted with the stack's customer-managed KMS key.",
  why: 'Encryption at rest protects data, snapshots and replicas; a customer-managed key lets us audit and revoke access to them.',
  scanners: scanners({ checkov: ['CKV_AWS_16'], trivy: ['AVD-AWS-0080'], cdkNag: ['AwsSolutions-RDS2'] }),
  resourceTypes: ['aws_db_instance'],
  check: (db) =>
    all(
      verdict(isTrue(db.config.storage_encrypted), `storage_encrypted is ${show(db.config.storage_encrypted)}`),
      verdict(
        refersTo(db.config.kms_key_id, 'aws_kms_key', 'arn'),
        `kms_key_id ${show(db.config.kms_key_id)} is not the arn of an aws_kms_key of this stack`,
      ),
    ),
});
