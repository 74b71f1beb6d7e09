import { defineRule, scanners, verdict } from '../rule';
import { sseRules } from '../s3-companions';

export const rule = defineRule({
  id: 's3-encrypted',
  what: 'Every bucket encrypts new objects by default (SSE-S3 or SSE-KMS).',
  why: 'Default encryption keeps objects unreadable on the storage media whatever the uploader sets.',
  scanners: scanners({ checkov: ['CKV_AWS_19'], trivy: ['AVD-AWS-0088'] }),
  resourceTypes: ['aws_s3_bucket'],
  check: (bucket, stack) =>
    verdict(
      sseRules(bucket, stack).some((d) => ['AES256', 'aws:kms', 'aws:kms:dsse'].includes(d.sse_algorithm)),
      'no aws_s3_bucket_server_side_encryption_configuration with a default algorithm refers to this bucket',
    ),
});
