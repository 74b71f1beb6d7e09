import { defineRule, scanners, verdict } from '../rule';
import { deniesInsecureTransport } from '../policy-document';

export const rule = defineRule({
  id: 's3-ssl-only',
  what: 'Every bucket policy denies requests made without TLS.',
  why: 'Without the deny, a client can read or write objects over plain HTTP.',
  scanners: scanners({ cdkNag: ['AwsSolutions-S10'] }),
  resourceTypes: ['aws_s3_bucket'],
  check: (bucket, stack) =>
    verdict(
      stack.referrers('aws_s3_bucket_policy', 'bucket', bucket).some((p) => deniesInsecureTransport(p.config.policy, ['*', 's3:*'])),
      'no aws_s3_bucket_policy of this bucket denies s3:* when aws:SecureTransport is false',
    ),
});
