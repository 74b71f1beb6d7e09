import { defineRule, scanners, verdict } from '../rule';
import { isTrue } from '../tokens';

export const rule = defineRule({
  id: 'elb-internal',
  what: 'Load balancers are internal (not reachable from the internet).',
  why: 'An internet-facing load balancer is attack surface; every public entry point must be a deliberate, reviewed choice.',
  scanners: scanners({ trivy: ['AVD-AWS-0053'] }),
  resourceTypes: ['aws_lb', 'aws_alb'],
  check: (lb) => verdict(isTrue(lb.config.internal), 'the load balancer is internet-facing (internal is not true)'),
});
