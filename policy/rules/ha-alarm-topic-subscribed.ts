import { defineRule, scanners, verdict } from '../rule';

export const rule = defineRule({
  id: 'ha-alarm-topic-subscribed',
  what: 'SNS topics have at least one subscription in the stack.',
  why: 'A topic nobody subscribes to delivers alarms to no one (subscriptions may also be managed elsewhere).',
  scanners: scanners({}),
  resourceTypes: ['aws_sns_topic'],
  check: (topic, stack) =>
    verdict(
      stack.referrers('aws_sns_topic_subscription', 'topic_arn', topic).length > 0,
      'no aws_sns_topic_subscription refers to this topic',
    ),
});
