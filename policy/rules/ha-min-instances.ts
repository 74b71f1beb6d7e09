import { defineRule, scanners, verdict } from '../rule';
import { numberOf, show } from '../tokens';

export const rule = defineRule({
  id: 'ha-min-instances',
  what: 'Auto scaling groups keep at least two instances running.',
  why: 'With one instance, every deploy, instance failure or zone outage is an outage of the application.',
  scanners: scanners({}),
  resourceTypes: ['aws_autoscaling_group'],
  check: (asg) => {
    const min = numberOf(asg.config.min_size);
    return verdict(min !== undefined && min >= 2, `min_size is ${show(asg.config.min_size)}`);
  },
});
