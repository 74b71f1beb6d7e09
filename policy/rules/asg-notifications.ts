import { defineRule, scanners, verdict } from '../rule';
import { listOf, refersTo } from '../tokens';

export const SCALING_EVENTS = [
  'autoscaling:EC2_INSTANCE_LAUNCH',
  'autoscaling:EC2_INSTANCE_LAUNCH_ERROR',
  'autoscaling:EC2_INSTANCE_TERMINATE',
  'autoscaling:EC2_INSTANCE_TERMINATE_ERROR',
];

export const rule = defineRule({
  id: 'asg-notifications',
  what: 'Auto scaling groups send every launch, termination and failure to an SNS topic.',
  why: 'Failed launches and unexpected terminations are the first sign of a broken AMI, quota or zone problem.',
  scanners: scanners({ cdkNag: ['AwsSolutions-AS3'] }),
  resourceTypes: ['aws_autoscaling_group'],
  check: (asg, stack) => {
    const ok = stack
      .referrers('aws_autoscaling_notification', 'group_names', asg)
      .some(
        (n) =>
          refersTo(n.config.topic_arn, 'aws_sns_topic', 'arn') && SCALING_EVENTS.every((e) => listOf(n.config.notifications).includes(e)),
      );
    return verdict(ok, 'no aws_autoscaling_notification sends all four launch/terminate events of this group to an SNS topic');
  },
});
