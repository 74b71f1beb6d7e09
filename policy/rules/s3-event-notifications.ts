import { defineRule, scanners, verdict } from '../rule';

export const rule = defineRule({
  id: 's3-event-notifications',
  what: 'Every bucket publishes its object events (to EventBridge or a topic, queue or function).',
  why: 'Events let detection tooling react to unexpected writes and deletes as they happen.',
  scanners: scanners({ checkov: ['CKV2_AWS_62'] }),
  resourceTypes: ['aws_s3_bucket'],
  check: (bucket, stack) =>
    verdict(
      stack.referrers('aws_s3_bucket_notification', 'bucket', bucket).length > 0,
      'no aws_s3_bucket_notification refers to this bucket',
    ),
});
