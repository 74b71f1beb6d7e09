import { defineRule, scanners, verdict } from '../rule';
import { blocks, numberOf, show } from '../tokens';
import { rolloutOf } from './asg-refresh-rollback';

export const rule = defineRule({
  id: 'asg-refresh-zero-downtime',
  what: "Auto scaling groups roll out a new launch template (the release's instance refresh) keeping all capacity in service.",
  why: 'A release must not take serving capacity away: new instances start and turn healthy before old ones stop.',
  scanners: scanners({}),
  resourceTypes: ['aws_autoscaling_group'],
  check: (asg, stack) => {
    const rollout = rolloutOf(asg, stack);
    const preferences = blocks(rollout?.preferences)[0];
    const min = numberOf(preferences?.min_healthy_percentage);
    return verdict(
      min !== undefined && min >= 100,
      rollout === undefined
        ? 'no rollout settings for this group (a local naming the group, which npm run release sends)'
        : `the release's min_healthy_percentage is ${show(preferences?.min_healthy_percentage)}`,
    );
  },
});
