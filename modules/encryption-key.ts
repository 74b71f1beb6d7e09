import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { policyDocument } from './policy-statements';
import { names } from '../naming';

export interface EncryptionKeyProps {
  /** Name prefix, e.g. `web-prod`; the alias is `alias/<prefix>-data`. */
  readonly prefix: string;
  /** Account that owns the key. */
  readonly accountId: string;
  /** Region of the key (CloudWatch Logs may use it in this region only). */
  readonly region: string;
  /** Days a scheduled deletion waits (7–30). @default 30 */
  readonly deletionWindowDays?: number;
  /** Alias of the key. @default - `alias/<prefix>-data` */
  readonly alias?: string;
  /** What the key encrypts (its description). @default - the stack's data at rest */
  readonly purpose?: string;
  /** Buckets encrypted with this key that CloudFront distributions of this account read (origin access control). @default - none */
  readonly cloudFrontReadsBuckets?: readonly string[];
  /** Provider of the key (another region). @default - the stack's */
  readonly provider?: TerraformProvider;
}

/**
 * The stack's customer-managed KMS key, rotated yearly: RDS storage, Performance Insights, the
 * database's master secret, every CloudWatch log group and the alerts topic are encrypted with it.
 */
export class EncryptionKey extends Construct {
  readonly key: KmsKey;
  readonly arn: string;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    const { accountId, region } = props;
    const policy = policyDocument([
      {
        Sid: 'AccountAdministersKeyThroughIam',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${accountId}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
      {
        Sid: 'CloudWatchLogsEncryptsThisAccountsLogGroups',
        Effect: 'Allow',
        Principal: { Service: `logs.${region}.amazonaws.com` },
        Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        Resource: '*',
        Condition: {
          ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${region}:${accountId}:log-group:*` },
        },
      },
      {
        Sid: 'CloudWatchAlarmsPublishToEncryptedTopics',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Resource: '*',
        Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
      },
      {
        // The service-linked role may not exist yet when the key is created, so it is matched by ARN
        // rather than named as principal; only through SNS, only from this account.
        Sid: 'AutoScalingNotifiesEncryptedTopics',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Resource: '*',
        Condition: {
          StringEquals: { 'kms:CallerAccount': accountId, 'kms:ViaService': `sns.${region}.amazonaws.com` },
          ArnEquals: {
            'aws:PrincipalArn': `arn:aws:iam::${accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
          },
        },
      },
      ...(props.cloudFrontReadsBuckets?.length
        ? [
            {
              // Origin access control reads SSE-KMS objects as CloudFront: only for these buckets (the encryption
              // context of an S3 Bucket Key is the bucket), only for this account's distributions; each bucket's
              // policy then admits its own distribution alone.
              Sid: 'CloudFrontReadsTheFrontEndBuckets',
              Effect: 'Allow' as const,
              Principal: { Service: 'cloudfront.amazonaws.com' },
              Action: 'kms:Decrypt',
              Resource: '*',
              Condition: {
                ArnLike: {
                  'AWS:SourceArn': `arn:aws:cloudfront::${accountId}:distribution/*`,
                  'kms:EncryptionContext:aws:s3:arn': props.cloudFrontReadsBuckets.flatMap((b) => [
                    `arn:aws:s3:::${b}`,
                    `arn:aws:s3:::${b}/*`,
                  ]),
                },
              },
            },
          ]
        : []),
    ]);
    this.key = new KmsKey(this, 'key', {
      description: `${props.prefix}: ${props.purpose ?? 'data at rest (RDS, its secret, CloudWatch Logs, SNS)'}`,
      enableKeyRotation: true,
      deletionWindowInDays: props.deletionWindowDays ?? 30,
      policy,
      provider: props.provider,
    });
    new KmsAlias(this, 'alias', {
      name: props.alias ?? names.dataKeyAlias(props.prefix),
      targetKeyId: this.key.keyId,
      provider: props.provider,
    });
    this.arn = this.key.arn;
  }
}
