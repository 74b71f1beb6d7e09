import { Construct } from 'constructs';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketServerSideEncryptionConfigurationA as S3BucketServerSideEncryptionConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { ELB_LOG_ACCOUNTS } from '../config/catalog';
import { denyInsecureTransport, makeBucketPrivate } from './private-bucket';

export interface LoadBalancerLogBucketProps {
  /** Globally unique bucket name. */
  readonly bucketName: string;
  /** Key prefix the load balancer writes under. */
  readonly logPrefix: string;
  readonly accountId: string;
  readonly region: string;
  /** Days to keep log objects (noncurrent versions go 30 days later). */
  readonly retentionDays: number;
  /**
   * Keep the logs when the stack is destroyed (`prevent_destroy`, no `force_destroy`). When false the bucket
   * is emptied and deleted with the stack.
   */
  readonly protect: boolean;
}

/**
 * Private, versioned, encrypted bucket for ALB access logs, writable only by the region's load balancing
 * log delivery and only over TLS. SSE-S3 (AES-256): ALB log delivery does not support SSE-KMS.
 */
export class LoadBalancerLogBucket extends Construct {
  readonly bucket: S3Bucket;
  /** Depend on this before enabling access logs: ALB checks it can write when logging is turned on. */
  readonly policy: S3BucketPolicy;

  constructor(scope: Construct, id: string, props: LoadBalancerLogBucketProps) {
    super(scope, id);
    const { accountId, region, protect } = props;
    this.bucket = new S3Bucket(this, 'bucket', {
      bucket: props.bucketName,
      forceDestroy: !protect,
      lifecycle: protect ? { preventDestroy: true } : undefined,
    });
    const bucketId = this.bucket.id;
    const publicAccess = makeBucketPrivate(this, bucketId);
    new S3BucketServerSideEncryptionConfiguration(this, 'encryption', {
      bucket: bucketId,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' }, bucketKeyEnabled: false }],
    });
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
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

    const objects = `${this.bucket.arn}/${props.logPrefix}/AWSLogs/${accountId}/*`;
    const elbAccount = ELB_LOG_ACCOUNTS[region];
    const writer = elbAccount
      ? { AWS: `arn:aws:iam::${elbAccount}:root` }
      : { Service: 'logdelivery.elasticloadbalancing.amazonaws.com' };
    this.policy = new S3BucketPolicy(this, 'policy', {
      bucket: bucketId,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          denyInsecureTransport(this.bucket.arn),
          { Sid: 'LoadBalancerLogDelivery', Effect: 'Allow', Principal: writer, Action: 's3:PutObject', Resource: objects },
        ],
      }),
      dependsOn: [publicAccess],
    });
  }
}
