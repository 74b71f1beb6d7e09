import { defineRule, scanners, verdict } from '../rule';
import { refersTo } from '../tokens';
import { sseRules } from '../s3-companions';

export const rule = defineRule({
  id: 's3-kms-encrypted',
  what: 'Every bucket encrypts by default with SSE-KMS under a customer-managed key of this stack.',
  why: 'With a customer-managed key, reading an object also needs kms:Decrypt, which is logged in CloudTrail and can be revoked.',
  scanners: scanners({ checkov: ['CKV_AWS_145'], trivy: ['AVD-AWS-0132'] }),
  resourceTypes: ['aws_s3_bucket'],
  check: (bucket, stack) =>
    verdict(
      sseRules(bucket, stack).some(
        (d) => String(d.sse_algorithm).startsWith('aws:kms') && refersTo(d.kms_master_key_id, 'aws_kms_key', 'arn'),
      ),
      'default encryption is not SSE-KMS with an aws_kms_key of this stack',
    ),
});
