import { Construct } from 'constructs';
import { Lazy } from 'cdktf';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketLoggingA as S3BucketLogging } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import { S3BucketNotification } from '@cdktf/provider-aws/lib/s3-bucket-notification';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketServerSideEncryptionConfigurationA as S3BucketServerSideEncryptionConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { ELB_LOG_ACCOUNTS } from '../config/catalog';
import { suppress } from '../policy/suppress';
import { denyInsecureTransport, policyDocument, type PolicyStatement } from './policy-statements';
import { makeBucketPrivate } from './private-bucket';

/** What both log buckets share. */
interface LogBucketProps {
  /** Globally unique bucket name. */
  readonly bucketName: string;
  /** Days to keep log objects (noncurrent versions go 30 days later). */
  readonly retentionDays: number;
  /**
   * Keep the logs when the stack is destroyed (`prevent_destroy`, no `force_destroy`). When false the bucket
   * is emptied and deleted with the stack.
   */
  readonly protect: boolean;
}

export interface LoadBalancerLogBucketProps extends LogBucketProps {
  /** Key prefix the load balancer writes under. */
  readonly logPrefix: string;
  readonly accountId: string;
  readonly region: string;
  /** Bucket that receives this bucket's S3 server access logs. @default - none */
  readonly serverAccessLogs?: ServerAccessLogBucket;
}

export interface ServerAccessLogBucketProps extends LogBucketProps {
  readonly accountId: string;
  /** Names of the buckets whose server access logs this bucket receives; more with `admit`. @default - none */
  readonly sourceBucketNames?: readonly string[];
}

/** Log delivery by AWS services supports SSE-S3 only (ALB access logs and S3 server access logs alike). */
const SSE_S3_ONLY =
  'AWS log delivery to this bucket supports SSE-S3 (AES-256) encryption only, not SSE-KMS, so a customer-managed key cannot be used.';
const SINGLE_REGION =
  'The platform is single-region by design and these logs are diagnostic records whose loss together with the whole region is accepted.';

/**
 * The parts every log bucket has, as children of `scope` (ids are Terraform addresses): private (public
 * access block, ACLs disabled), versioned, SSE-S3 encrypted, expiring, object events to EventBridge, and a
 * policy that denies anything without TLS plus the writer's `grants`.
 */
function addLogBucketParts(
  scope: Construct,
  props: LogBucketProps,
  grants: (bucketArn: string) => PolicyStatement[],
): { bucket: S3Bucket; policy: S3BucketPolicy } {
  const { protect } = props;
  const bucket = new S3Bucket(scope, 'bucket', {
    bucket: props.bucketName,
    forceDestroy: !protect,
    lifecycle: protect ? { preventDestroy: true } : undefined,
  });
  suppress(bucket, 's3-kms-encrypted', SSE_S3_ONLY);
  suppress(bucket, 's3-replication', SINGLE_REGION);
  const bucketId = bucket.id;
  const publicAccess = makeBucketPrivate(scope, bucketId);
  new S3BucketServerSideEncryptionConfiguration(scope, 'encryption', {
    bucket: bucketId,
    rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' }, bucketKeyEnabled: false }],
  });
  new S3BucketLifecycleConfiguration(scope, 'lifecycle', {
    bucket: bucketId,
    rule: [
      {
        id: 'expire-access-logs',
        status: 'Enabled',
        filter: [{ prefix: '' }],
        expiration: [{ days: props.retentionDays }],
        noncurrentVersionExpiration: [{ noncurrentDays: 30 }],
        abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
      },
    ],
  });
  // Object events go to EventBridge, where detection rules can watch for unexpected deletes.
  new S3BucketNotification(scope, 'notifications', { bucket: bucketId, eventbridge: true });
  const policy = new S3BucketPolicy(scope, 'policy', {
    bucket: bucketId,
    // Written when the stack is synthesized, so grants can still change until then (ServerAccessLogBucket.admit).
    policy: Lazy.stringValue({
      produce: () => policyDocument([denyInsecureTransport('s3:*', [bucket.arn, `${bucket.arn}/*`]), ...grants(bucket.arn)]),
    }),
    dependsOn: [publicAccess],
  });
  return { bucket, policy };
}

/**
 * Private, versioned, encrypted bucket for ALB access logs, writable only by the region's load balancing
 * log delivery and only over TLS; its own server access logs go to a second bucket.
 */
export class LoadBalancerLogBucket extends Construct {
  readonly bucket: S3Bucket;
  /** Depend on this before enabling access logs: ALB checks it can write when logging is turned on. */
  readonly policy: S3BucketPolicy;

  constructor(scope: Construct, id: string, props: LoadBalancerLogBucketProps) {
    super(scope, id);
    const { accountId, region } = props;
    const elbAccount = ELB_LOG_ACCOUNTS[region];
    const writer: PolicyStatement['Principal'] = elbAccount
      ? { AWS: `arn:aws:iam::${elbAccount}:root` }
      : { Service: 'logdelivery.elasticloadbalancing.amazonaws.com' };
    const parts = addLogBucketParts(this, props, (arn) => [
      {
        Sid: 'LoadBalancerLogDelivery',
        Effect: 'Allow',
        Principal: writer,
        Action: 's3:PutObject',
        Resource: `${arn}/${props.logPrefix}/AWSLogs/${accountId}/*`,
      },
    ]);
    this.bucket = parts.bucket;
    this.policy = parts.policy;
    if (props.serverAccessLogs) {
      new S3BucketLogging(this, 'access_logging', {
        bucket: this.bucket.id,
        targetBucket: props.serverAccessLogs.bucket.id,
        targetPrefix: `${props.bucketName}/`,
        // S3 checks at PutBucketLogging that the target's policy lets the logging service write.
        dependsOn: [props.serverAccessLogs.policy],
      });
    }
  }
}

/**
 * Bucket that receives S3 server access logs (who read, wrote or deleted which log object), writable only
 * by S3's logging service on behalf of the named source buckets of this account.
 */
export class ServerAccessLogBucket extends Construct {
  readonly bucket: S3Bucket;
  /**
   * Grants S3's logging service the writes: an `aws_s3_bucket_logging` that targets this bucket must
   * depend on it, since S3 refuses PutBucketLogging (InvalidTargetBucketForLogging) until it is in place.
   */
  readonly policy: S3BucketPolicy;
  private readonly sources: string[];

  constructor(scope: Construct, id: string, props: ServerAccessLogBucketProps) {
    super(scope, id);
    this.sources = [...(props.sourceBucketNames ?? [])];
    // The policy is written at synth (addLogBucketParts), so a bucket added to the stack later (`admit`) may
    // deliver as well: S3 refuses to log into a bucket whose policy does not name the source.
    const parts = addLogBucketParts(this, props, (arn) => [
      {
        Sid: 'S3ServerAccessLogDelivery',
        Effect: 'Allow',
        Principal: { Service: 'logging.s3.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: `${arn}/*`,
        Condition: {
          ArnLike: { 'aws:SourceArn': this.sources.map((name) => `arn:aws:s3:::${name}`) },
          StringEquals: { 'aws:SourceAccount': props.accountId },
        },
      },
    ]);
    this.bucket = parts.bucket;
    this.policy = parts.policy;
    suppress(
      this.bucket,
      's3-access-logging',
      'This bucket is the destination of server access logs, and logging it as well would need yet another bucket without end.',
    );
  }

  /** Lets the bucket named `bucketName` (of this account) deliver its server access logs here. */
  admit(bucketName: string): void {
    if (!this.sources.includes(bucketName)) this.sources.push(bucketName);
  }

  /** The bucket names admitted so far. */
  get sourceBucketNames(): readonly string[] {
    return this.sources;
  }
}
