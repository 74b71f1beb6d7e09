import { defineRule, scanners, verdict } from '../rule';
import { deniesInsecureTransport } from '../policy-document';

export const rule = defineRule({
  id: 'sns-ssl-only',
  what: 'SNS topic policies deny publishing and subscribing without TLS.',
  why: 'Without the deny a client may publish over plain HTTP, exposing message content in transit.',
  scanners: scanners({ cdkNag: ['AwsSolutions-SNS3'] }),
  resourceTypes: ['aws_sns_topic'],
  check: (t, stack) =>
    verdict(
      stack
        .referrers('aws_sns_topic_policy', 'arn', t)
        .some((p) => deniesInsecureTransport(p.config.policy, ['*', 'sns:*', 'sns:Publish'])),
      'no aws_sns_topic_policy of this topic denies publishing when aws:SecureTransport is false',
    ),
});
