import { defineRule, scanners, verdict } from '../rule';
import { blocks } from '../tokens';

export const rule = defineRule({
  id: 's3-versioning',
  what: 'Every bucket has versioning enabled.',
  why: 'Versioning keeps overwritten and deleted objects recoverable, against mistakes and ransomware alike.',
  scanners: scanners({ checkov: ['CKV_AWS_21'], trivy: ['AVD-AWS-0090'] }),
  resourceTypes: ['aws_s3_bucket'],
  check: (bucket, stack) =>
    verdict(
      stack
        .referrers('aws_s3_bucket_versioning', 'bucket', bucket)
        .some((v) => blocks(v.config.versioning_configuration).some((c) => c.status === 'Enabled')),
      'no aws_s3_bucket_versioning with status "Enabled" refers to this bucket',
    ),
});
