import { defineRule, scanners, verdict } from '../rule';
import { isTrue, show } from '../tokens';

export const rule = defineRule({
  id: 'elb-deletion-protection',
  what: 'Load balancers have deletion protection on.',
  why: 'Deleting the load balancer takes the whole application offline and changes its DNS name; it must not happen by accident.',
  scanners: scanners({ checkov: ['CKV_AWS_150'] }),
  resourceTypes: ['aws_lb', 'aws_alb'],
  check: (lb) =>
    verdict(isTrue(lb.config.enable_deletion_protection), `enable_deletion_protection is ${show(lb.config.enable_deletion_protection)}`),
});
