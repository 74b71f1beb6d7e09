import { defineRule, scanners, verdict } from '../rule';
import { blocks } from '../tokens';

export const rule = defineRule({
  id: 's3-acls-disabled',
  what: 'Every bucket disables ACLs (object ownership "BucketOwnerEnforced").',
  why: 'With ACLs off, only policies grant access, and every object belongs to the bucket owner.',
  scanners: scanners({ checkov: ['CKV2_AWS_65'] }),
  resourceTypes: ['aws_s3_bucket'],
  check: (bucket, stack) =>
    verdict(
      stack
        .referrers('aws_s3_bucket_ownership_controls', 'bucket', bucket)
        .some((o) => blocks(o.config.rule).some((r) => r.object_ownership === 'BucketOwnerEnforced')),
      'no aws_s3_bucket_ownership_controls with "BucketOwnerEnforced" refers to this bucket',
    ),
});
