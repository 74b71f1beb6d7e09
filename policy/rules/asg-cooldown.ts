import { defineRule, scanners, verdict } from '../rule';
import { numberOf, show } from '../tokens';

export const rule = defineRule({
  id: 'asg-cooldown',
  what: 'Auto scaling groups keep a cooldown between simple scaling activities (not 0).',
  why: 'Without a cooldown a group can launch or terminate again before the last change took effect, and flap.',
  scanners: scanners({ cdkNag: ['AwsSolutions-AS1'] }),
  resourceTypes: ['aws_autoscaling_group'],
  check: (asg) => {
    const v = asg.config.default_cooldown;
    return verdict(v === undefined || (numberOf(v) ?? 0) > 0, `default_cooldown is ${show(v)}`);
  },
});
