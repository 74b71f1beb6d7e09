import { defineRule, scanners, verdict } from '../rule';

export const rule = defineRule({
  id: 's3-access-logging',
  what: 'Every bucket writes server access logs to another bucket.',
  why: 'Access logs show who read, wrote or deleted which object: for log buckets, who touched the evidence.',
  scanners: scanners({ checkov: ['CKV_AWS_18'], trivy: ['AVD-AWS-0089'], cdkNag: ['AwsSolutions-S1'] }),
  resourceTypes: ['aws_s3_bucket'],
  check: (bucket, stack) =>
    verdict(
      stack
        .referrers('aws_s3_bucket_logging', 'bucket', bucket)
        .some((l) => l.config.target_bucket !== undefined && stack.target(l.config.target_bucket) !== bucket),
      "no aws_s3_bucket_logging sends this bucket's access logs to another bucket",
    ),
});
