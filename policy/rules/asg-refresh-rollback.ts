import { defineRule, scanners, verdict } from '../rule';
import { blocks, isTrue, listOf } from '../tokens';

export const rule = defineRule({
  id: 'asg-refresh-rollback',
  what: 'Instance refreshes roll back on alarms, to a launch template version that names its AMI.',
  why: 'A bad release must undo itself when the error alarms fire; EC2 can only roll back to a numbered version with a concrete AMI.',
  scanners: scanners({}),
  resourceTypes: ['aws_autoscaling_group'],
  check: (asg, stack) => {
    const preferences = blocks(asg.config.instance_refresh).flatMap((r) => blocks(r.preferences))[0];
    const alarms = listOf(blocks(preferences?.alarm_specification)[0]?.alarms);
    const spec = blocks(asg.config.launch_template)[0];
    const template = stack.target(spec?.id, 'aws_launch_template');
    const version = String(spec?.version ?? '');
    const image = String(template?.config.image_id ?? '');
    return verdict(
      isTrue(preferences?.auto_rollback) &&
        alarms.length > 0 &&
        !['$Latest', '$Default', ''].includes(version) &&
        image !== '' &&
        !image.startsWith('resolve:ssm:'),
      'auto_rollback with alarms is off, or the launch template is $Latest/$Default or resolves its AMI at launch (resolve:ssm:)',
    );
  },
});
