import type { Construct } from 'constructs';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketVersioningA as S3BucketVersioning } from '@cdktf/provider-aws/lib/s3-bucket-versioning';

/**
 * The settings every bucket of the platform shares, added to `scope` as `ownership` (ACLs disabled:
 * BucketOwnerEnforced), `public_access_block` (all four blocks) and `versioning` (enabled). Returns the
 * public-access block: a bucket policy should depend on it.
 */
export function makeBucketPrivate(scope: Construct, bucketId: string): S3BucketPublicAccessBlock {
  new S3BucketOwnershipControls(scope, 'ownership', {
    bucket: bucketId,
    rule: { objectOwnership: 'BucketOwnerEnforced' },
  });
  const publicAccess = new S3BucketPublicAccessBlock(scope, 'public_access_block', {
    bucket: bucketId,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  new S3BucketVersioning(scope, 'versioning', {
    bucket: bucketId,
    versioningConfiguration: { status: 'Enabled' },
  });
  return publicAccess;
}
