import { defineRule, scanners, verdict } from '../rule';
import { blocks } from '../tokens';

export const rule = defineRule({
  id: 's3-lifecycle',
  what: 'Every bucket has an enabled lifecycle rule that expires objects and aborts incomplete uploads.',
  why: 'Without expiry, buckets grow forever, and data kept longer than needed is a liability; stale multipart uploads cost money unseen.',
  scanners: scanners({ checkov: ['CKV2_AWS_61', 'CKV_AWS_300'] }),
  resourceTypes: ['aws_s3_bucket'],
  check: (bucket, stack) => {
    const rules = stack
      .referrers('aws_s3_bucket_lifecycle_configuration', 'bucket', bucket)
      .flatMap((l) => blocks(l.config.rule))
      .filter((r) => r.status === 'Enabled');
    return verdict(
      rules.some((r) => blocks(r.expiration).length > 0) && rules.some((r) => blocks(r.abort_incomplete_multipart_upload).length > 0),
      'no enabled lifecycle rule with expiration and abort_incomplete_multipart_upload refers to this bucket',
    );
  },
});
