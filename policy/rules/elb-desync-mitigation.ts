import { defineRule, scanners, verdict } from '../rule';
import { show } from '../tokens';

export const rule = defineRule({
  id: 'elb-desync-mitigation',
  what: 'Load balancers use the defensive or strictest HTTP desync mitigation mode.',
  why: 'The monitor mode forwards ambiguous requests that enable HTTP request smuggling.',
  scanners: scanners({ checkov: ['CKV_AWS_328'] }),
  resourceTypes: ['aws_lb', 'aws_alb'],
  check: (lb) => {
    const mode = lb.config.desync_mitigation_mode;
    return verdict(mode === undefined || mode === 'defensive' || mode === 'strictest', `desync_mitigation_mode is ${show(mode)}`);
  },
});
