import { defineRule, scanners, verdict } from '../rule';
import { refersTo, show } from '../tokens';

export const rule = defineRule({
  id: 'sns-encrypted',
  what: "SNS topics are encrypted with the stack's customer-managed KMS key.",
  why: 'Alarm and scaling messages name resources and failures; encryption at rest with our key keeps them ours.',
  scanners: scanners({ checkov: ['CKV_AWS_26'], trivy: ['AVD-AWS-0095', 'AVD-AWS-0136'], cdkNag: ['AwsSolutions-SNS2'] }),
  resourceTypes: ['aws_sns_topic'],
  check: (t) =>
    verdict(
      refersTo(t.config.kms_master_key_id, 'aws_kms_key', 'arn') || refersTo(t.config.kms_master_key_id, 'aws_kms_key', 'id'),
      `kms_master_key_id ${show(t.config.kms_master_key_id)} is not an aws_kms_key of this stack`,
    ),
});
