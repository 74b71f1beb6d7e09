import { defineRule, scanners, verdict } from '../rule';

export const rule = defineRule({
  id: 's3-replication',
  what: 'Every bucket replicates its objects to a bucket in another region.',
  why: 'A copy in another region survives a regional outage or the loss of the bucket.',
  scanners: scanners({ checkov: ['CKV_AWS_144'] }),
  resourceTypes: ['aws_s3_bucket'],
  check: (bucket, stack) =>
    verdict(
      stack.referrers('aws_s3_bucket_replication_configuration', 'bucket', bucket).length > 0,
      'no aws_s3_bucket_replication_configuration refers to this bucket',
    ),
});
