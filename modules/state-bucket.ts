import { Construct } from 'constructs';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketLoggingA as S3BucketLogging } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import { S3BucketNotification } from '@cdktf/provider-aws/lib/s3-bucket-notification';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketServerSideEncryptionConfigurationA as S3BucketServerSideEncryptionConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import type { StateEncryption } from '../config/types';
import { suppress } from '../policy/suppress';
import { ServerAccessLogBucket } from './log-bucket';
import { denyInsecureTransport, policyDocument, type PolicyStatement } from './policy-statements';
import { makeBucketPrivate } from './private-bucket';

export interface StateBucketProps {
  /** Globally unique bucket name. */
  readonly bucketName: string;
  /** Account that owns the bucket and its key (the key policy delegates to this account's IAM). */
  readonly accountId: string;
  /**
   * Default encryption: `kms` = SSE-KMS with a customer-managed key made here, rotated yearly, with an S3
   * Bucket Key; `s3` = SSE-S3 (AES-256, no key to manage). @default 'kms'
   */
  readonly encryption?: StateEncryption;
  /** Alias of the key (kms only), e.g. `alias/web-tfstate`; s3 backends name the key by it. */
  readonly keyAlias: string;
  /** Days a replaced (noncurrent) state version is kept. */
  readonly noncurrentVersionDays: number;
  /** Days after which an unfinished multipart upload is aborted. @default 7 */
  readonly abortIncompleteUploadDays?: number;
  /**
   * Globally unique name of the bucket that receives the state bucket's S3 server access logs (who read or
   * wrote which state, when). Kept, like the state, with `prevent_destroy`.
   */
  readonly accessLogBucketName: string;
  /** Days to keep the access logs. @default 365 */
  readonly accessLogRetentionDays?: number;
  /**
   * More statements of the bucket policy: who may touch each environment's objects (modules/ci-roles/
   * state-access.ts). @default - none
   */
  readonly policyStatements?: readonly PolicyStatement[];
  /** More statements of the key's policy (kms only): other accounts' use of the key. @default - none */
  readonly keyPolicyStatements?: readonly PolicyStatement[];
}

/**
 * The bucket that holds every stack's Terraform state: versioned, encrypted by default (SSE-KMS with a
 * rotating key, or SSE-S3), all four public-access blocks, ACLs disabled (BucketOwnerEnforced), reachable
 * over TLS 1.2+ only, old versions and aborted uploads expired, and `prevent_destroy` on the bucket and its
 * key: losing either loses the state of every stack.
 */
export class StateBucket extends Construct {
  readonly bucket: S3Bucket;
  /** The customer-managed key (kms only). */
  readonly key?: KmsKey;
  readonly policy: S3BucketPolicy;
  /** Receives the state bucket's server access logs. */
  readonly accessLogs: ServerAccessLogBucket;

  constructor(scope: Construct, id: string, props: StateBucketProps) {
    super(scope, id);
    const encryption = props.encryption ?? 'kms';
    this.bucket = new S3Bucket(this, 'default', {
      bucket: props.bucketName,
      forceDestroy: false,
      lifecycle: { preventDestroy: true },
    });
    const bucketId = this.bucket.id;
    const publicAccess = makeBucketPrivate(this, bucketId);
    suppress(
      this.bucket,
      's3-replication',
      'The platform is single-region by design; the state is versioned and protected by prevent_destroy, and a replica would need a second region the config does not name.',
    );

    // Who read or wrote which state, and when: server access logs into a bucket of their own.
    this.accessLogs = new ServerAccessLogBucket(this, 'access_logs', {
      bucketName: props.accessLogBucketName,
      accountId: props.accountId,
      sourceBucketNames: [props.bucketName],
      retentionDays: props.accessLogRetentionDays ?? 365,
      protect: true,
    });
    new S3BucketLogging(this, 'access_logging', {
      bucket: bucketId,
      targetBucket: this.accessLogs.bucket.id,
      targetPrefix: `${props.bucketName}/`,
      // S3 checks at PutBucketLogging that the target's policy lets the logging service write.
      dependsOn: [this.accessLogs.policy],
    });
    // Object events go to EventBridge, where a rule can alert on an unexpected delete of a state version.
    new S3BucketNotification(this, 'notifications', { bucket: bucketId, eventbridge: true });

    if (encryption === 's3') {
      suppress(
        this.bucket,
        's3-kms-encrypted',
        'The config chose SSE-S3 for the state bucket (state.encryption is s3): AES-256 at rest with no customer-managed key to administer.',
      );
    }
    if (encryption === 'kms') {
      this.key = new KmsKey(this, 'key', {
        description: `Terraform state in s3://${props.bucketName}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: policyDocument([
          {
            Sid: 'AccountAdministersKeyThroughIam',
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${props.accountId}:root` },
            Action: 'kms:*',
            Resource: '*',
          },
          ...(props.keyPolicyStatements ?? []),
        ]),
        lifecycle: { preventDestroy: true },
      });
      new KmsAlias(this, 'key_alias', { name: props.keyAlias, targetKeyId: this.key.keyId });
    }
    new S3BucketServerSideEncryptionConfiguration(this, 'encryption', {
      bucket: bucketId,
      rule: [
        this.key
          ? { applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: this.key.arn }, bucketKeyEnabled: true }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' }, bucketKeyEnabled: false },
      ],
    });

    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket: bucketId,
      rule: [
        {
          id: 'expire-old-state-versions',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: props.abortIncompleteUploadDays ?? 7 }],
          // Lock files leave a delete marker on every release; drop the markers once nothing is behind them.
          expiration: [{ expiredObjectDeleteMarker: true }],
        },
      ],
    });

    this.policy = new S3BucketPolicy(this, 'policy', {
      bucket: bucketId,
      policy: policyDocument([
        denyInsecureTransport('s3:*', [this.bucket.arn, `${this.bucket.arn}/*`]),
        {
          Sid: 'DenyTlsOlderThan12',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [this.bucket.arn, `${this.bucket.arn}/*`],
          Condition: { NumericLessThan: { 's3:TlsVersion': '1.2' } },
        },
        ...(props.policyStatements ?? []),
      ]),
      dependsOn: [publicAccess],
    });
  }
}

export interface StateLockTableProps {
  /** Table name; s3 backends name it in `dynamodb_table`. */
  readonly tableName: string;
  /** Customer-managed key for the table. @default - the AWS managed key `aws/dynamodb` */
  readonly kmsKeyArn?: string;
}

/**
 * DynamoDB table for Terraform state locks (key `LockID`): on demand, point-in-time recovery, encrypted,
 * deletion protection and `prevent_destroy`.
 */
export class StateLockTable extends Construct {
  readonly table: DynamodbTable;

  constructor(scope: Construct, id: string, props: StateLockTableProps) {
    super(scope, id);
    this.table = new DynamodbTable(this, 'default', {
      name: props.tableName,
      billingMode: 'PAY_PER_REQUEST',
      hashKey: 'LockID',
      attribute: [{ name: 'LockID', type: 'S' }],
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: props.kmsKeyArn },
      deletionProtectionEnabled: true,
      lifecycle: { preventDestroy: true },
    });
  }
}
