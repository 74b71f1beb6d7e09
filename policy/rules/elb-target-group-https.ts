import { defineRule, NOT_APPLICABLE, scanners, verdict } from '../rule';

export const rule = defineRule({
  id: 'elb-target-group-https',
  what: 'Target groups talk to their targets over HTTPS, not HTTP.',
  why: 'End-to-end encryption keeps traffic private even inside the VPC.',
  scanners: scanners({ checkov: ['CKV_AWS_378'] }),
  resourceTypes: ['aws_lb_target_group', 'aws_alb_target_group'],
  check: (tg) => (tg.config.target_type === 'lambda' ? NOT_APPLICABLE : verdict(tg.config.protocol !== 'HTTP', 'protocol is "HTTP"')),
});
