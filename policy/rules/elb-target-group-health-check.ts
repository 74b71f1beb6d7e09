import { defineRule, NOT_APPLICABLE, scanners, verdict } from '../rule';
import { blocks, isFalse } from '../tokens';

export const rule = defineRule({
  id: 'elb-target-group-health-check',
  what: 'HTTP and HTTPS target groups define an enabled health check with a path.',
  why: 'Without a real health check the load balancer keeps sending users to broken instances.',
  scanners: scanners({ checkov: ['CKV_AWS_261'] }),
  resourceTypes: ['aws_lb_target_group', 'aws_alb_target_group'],
  check: (tg) => {
    if (!['HTTP', 'HTTPS'].includes(tg.config.protocol)) return NOT_APPLICABLE;
    const checks = blocks(tg.config.health_check);
    return verdict(
      checks.some((h) => !isFalse(h.enabled) && typeof h.path === 'string' && h.path.startsWith('/')),
      'health_check is absent, disabled or has no path',
    );
  },
});
