import { defineRule, scanners, verdict } from '../rule';
import { isTrue } from '../tokens';

const FLAGS = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'];

export const rule = defineRule({
  id: 's3-public-access-block',
  what: 'Every bucket has a public access block with all four settings on.',
  why: 'One wrong ACL or policy statement can publish a bucket; the block makes S3 refuse it.',
  scanners: scanners({
    checkov: ['CKV2_AWS_6', 'CKV_AWS_53', 'CKV_AWS_54', 'CKV_AWS_55', 'CKV_AWS_56'],
    trivy: ['AVD-AWS-0086', 'AVD-AWS-0087', 'AVD-AWS-0091', 'AVD-AWS-0093', 'AVD-AWS-0094'],
    cdkNag: ['AwsSolutions-S2'],
  }),
  resourceTypes: ['aws_s3_bucket'],
  check: (bucket, stack) =>
    verdict(
      stack.referrers('aws_s3_bucket_public_access_block', 'bucket', bucket).some((b) => FLAGS.every((f) => isTrue(b.config[f]))),
      'no aws_s3_bucket_public_access_block with all four flags true refers to this bucket',
    ),
});
