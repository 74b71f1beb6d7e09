import { defineRule, scanners, verdict } from '../rule';
import { isFalse, listOf, refersTo } from '../tokens';

export const rule = defineRule({
  id: 'ha-alarm-notifies',
  what: 'Every CloudWatch alarm notifies an SNS topic of this stack when it fires.',
  why: 'An alarm that tells nobody is a graph: someone must be paged when the platform degrades.',
  scanners: scanners({}),
  resourceTypes: ['aws_cloudwatch_metric_alarm'],
  check: (alarm) =>
    verdict(
      !isFalse(alarm.config.actions_enabled) && listOf(alarm.config.alarm_actions).some((a) => refersTo(a, 'aws_sns_topic', 'arn')),
      'alarm_actions has no aws_sns_topic of this stack, or actions are disabled',
    ),
});
