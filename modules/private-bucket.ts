import { Construct } from 'constructs';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketCorsConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-cors-configuration';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketLoggingA as S3BucketLogging } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import { S3BucketNotification } from '@cdktf/provider-aws/lib/s3-bucket-notification';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketServerSideEncryptionConfigurationA as S3BucketServerSideEncryptionConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketVersioningA as S3BucketVersioning } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { suppress } from '../policy/suppress';
import type { ServerAccessLogBucket } from './log-bucket';
import { denyInsecureTransport, policyDocument, type PolicyStatement } from './policy-statements';

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

export interface PrivateBucketProps {
  /** Globally unique bucket name (naming/names.ts makes the platform's). */
  readonly bucketName: string;
  /** Customer-managed key of this stack that encrypts the objects (SSE-KMS with an S3 Bucket Key). */
  readonly kmsKeyArn: string;
  /** The stack's server access log bucket: this bucket's access logs go there, and it admits this bucket. */
  readonly accessLogs: ServerAccessLogBucket;
  /**
   * Keep the bucket and its objects when the stack is destroyed (`prevent_destroy`, no `force_destroy`). When
   * false the bucket is emptied and deleted with the stack.
   */
  readonly protect: boolean;
  /** Days a replaced or deleted object version is kept before it expires. @default 30 */
  readonly noncurrentVersionDays?: number;
  /** Statements added to the bucket policy (after the TLS-only denial). @default - none */
  readonly policyStatements?: (bucketArn: string) => readonly PolicyStatement[];
  /** Browser origins (`https://app.example.com`) that may PUT, POST and GET objects (presigned URLs). @default - none: no CORS */
  readonly corsOrigins?: readonly string[];
}

/** Why a private bucket does not replicate (the pack's s3-replication rule). */
const SINGLE_REGION_DATA =
  'The platform is single-region by design; the objects are versioned and kept with the stack, and a replica would need a second region the config does not name.';

/**
 * A bucket that meets the whole policy pack as it stands: ACLs disabled, all four public-access blocks,
 * versioning, SSE-KMS with the stack's key and an S3 Bucket Key, a policy that refuses anything without TLS,
 * a lifecycle that expires old versions, delete markers and unfinished uploads (current objects stay), server
 * access logs into the stack's log bucket (which this construct tells to admit it), object events to
 * EventBridge, and `prevent_destroy` when `protect`. The one rule it cannot meet, replication to another
 * region, is accepted with its reason. Children: the bucket itself (id `default`: its address is the construct's), `ownership`, `public_access_block`, `versioning`,
 * `encryption`, `lifecycle`, `policy`, `access_logging`, `notifications`, `cors` (with `corsOrigins`).
 */
export class PrivateBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly policy: S3BucketPolicy;

  constructor(scope: Construct, id: string, props: PrivateBucketProps) {
    super(scope, id);
    const { protect } = props;
    this.bucket = new S3Bucket(this, 'default', {
      bucket: props.bucketName,
      forceDestroy: !protect,
      lifecycle: protect ? { preventDestroy: true } : undefined,
    });
    suppress(this.bucket, 's3-replication', SINGLE_REGION_DATA);
    const bucketId = this.bucket.id;
    const publicAccess = makeBucketPrivate(this, bucketId);
    new S3BucketServerSideEncryptionConfiguration(this, 'encryption', {
      bucket: bucketId,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.kmsKeyArn }, bucketKeyEnabled: true }],
    });
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket: bucketId,
      rule: [
        {
          id: 'expire-old-versions',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionDays ?? 30 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
          // Current objects never expire; a delete marker with nothing behind it does.
          expiration: [{ expiredObjectDeleteMarker: true }],
        },
      ],
    });
    this.policy = new S3BucketPolicy(this, 'policy', {
      bucket: bucketId,
      policy: policyDocument([
        denyInsecureTransport('s3:*', [this.bucket.arn, `${this.bucket.arn}/*`]),
        ...(props.policyStatements?.(this.bucket.arn) ?? []),
      ]),
      dependsOn: [publicAccess],
    });
    props.accessLogs.admit(props.bucketName);
    new S3BucketLogging(this, 'access_logging', {
      bucket: bucketId,
      targetBucket: props.accessLogs.bucket.id,
      targetPrefix: `${props.bucketName}/`,
      // S3 checks at this call that the target's policy admits the bucket.
      dependsOn: [props.accessLogs.policy],
    });
    new S3BucketNotification(this, 'notifications', { bucket: bucketId, eventbridge: true });
    if (props.corsOrigins && props.corsOrigins.length > 0) {
      new S3BucketCorsConfiguration(this, 'cors', {
        bucket: bucketId,
        corsRule: [
          {
            allowedMethods: ['GET', 'PUT', 'POST'],
            allowedOrigins: [...props.corsOrigins],
            allowedHeaders: ['*'],
            exposeHeaders: ['ETag'],
            maxAgeSeconds: 3000,
          },
        ],
      });
    }
  }

  get name(): string {
    return this.bucket.bucket;
  }

  get arn(): string {
    return this.bucket.arn;
  }
}
