import { defineRule, scanners, verdict } from '../rule';
import { refersTo, show } from '../tokens';

export const rule = defineRule({
  id: 'logs-encrypted',
  what: "CloudWatch log groups are encrypted with the stack's customer-managed KMS key.",
  why: 'Logs hold addresses, queries and request data; a customer-managed key controls and audits who can read them.',
  scanners: scanners({ checkov: ['CKV_AWS_158'], trivy: ['AVD-AWS-0017'] }),
  resourceTypes: ['aws_cloudwatch_log_group'],
  check: (g) =>
    verdict(
      refersTo(g.config.kms_key_id, 'aws_kms_key', 'arn'),
      `kms_key_id ${show(g.config.kms_key_id)} is not the arn of an aws_kms_key of this stack`,
    ),
});
