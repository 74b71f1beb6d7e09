import { defineRule, scanners, verdict } from '../rule';
import { blocks, isTrue } from '../tokens';

export const rule = defineRule({
  id: 'ec2-detailed-monitoring',
  what: 'Instances have detailed (one-minute) CloudWatch monitoring.',
  why: 'Five-minute metrics are too coarse for the scaling alarms and for spotting a failing instance.',
  scanners: scanners({ cdkNag: ['AwsSolutions-EC28'] }),
  resourceTypes: ['aws_launch_template', 'aws_instance'],
  check: (r) =>
    verdict(
      r.type === 'aws_instance' ? isTrue(r.config.monitoring) : blocks(r.config.monitoring).some((m) => isTrue(m.enabled)),
      'detailed monitoring is not enabled',
    ),
});
