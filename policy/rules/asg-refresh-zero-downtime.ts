import { defineRule, scanners, verdict } from '../rule';
import { blocks, numberOf, show } from '../tokens';

export const rule = defineRule({
  id: 'asg-refresh-zero-downtime',
  what: 'Auto scaling groups roll out a new launch template with an instance refresh that keeps all capacity in service.',
  why: 'A release must not take serving capacity away: new instances start and turn healthy before old ones stop.',
  scanners: scanners({}),
  resourceTypes: ['aws_autoscaling_group'],
  check: (asg) => {
    const preferences = blocks(asg.config.instance_refresh).flatMap((r) => blocks(r.preferences));
    const min = numberOf(preferences[0]?.min_healthy_percentage);
    return verdict(
      min !== undefined && min >= 100,
      preferences.length === 0
        ? 'no instance_refresh'
        : `instance_refresh min_healthy_percentage is ${show(preferences[0]?.min_healthy_percentage)}`,
    );
  },
});
