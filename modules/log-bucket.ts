import { Construct } from 'constructs';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA as S3BucketServerSideEncryptionConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA as S3BucketVersioning } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { ELB_LOG_ACCOUNTS } from '../config/catalog';

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
    new S3BucketOwnershipControls(this, 'ownership', {
      bucket: bucketId,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });
    const publicAccess = new S3BucketPublicAccessBlock(this, 'public_access_block', {
      bucket: bucketId,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketServerSideEncryptionConfiguration(this, 'encryption', {
      bucket: bucketId,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' }, bucketKeyEnabled: false }],
    });
    new S3BucketVersioning(this, 'versioning', {
      bucket: bucketId,
      versioningConfiguration: { status: 'Enabled' },
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
          {
            Sid: 'DenyInsecureTransport',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: [this.bucket.arn, `${this.bucket.arn}/*`],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
          { Sid: 'LoadBalancerLogDelivery', Effect: 'Allow', Principal: writer, Action: 's3:PutObject', Resource: objects },
        ],
      }),
      dependsOn: [publicAccess],
    });
  }
}
