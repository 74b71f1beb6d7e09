import { defineRule, scanners, verdict } from '../rule';

export const rule = defineRule({
  id: 'asg-launch-template',
  what: 'Auto scaling groups launch from a launch template, not a launch configuration.',
  why: 'Launch configurations are deprecated and cannot express IMDSv2-only or newer instance settings.',
  scanners: scanners({ checkov: ['CKV_AWS_315'] }),
  resourceTypes: ['aws_autoscaling_group'],
  check: (asg) =>
    verdict(
      asg.config.launch_configuration === undefined &&
        (asg.config.launch_template !== undefined || asg.config.mixed_instances_policy !== undefined),
      'no launch template',
    ),
});
