import { COMPLIANT, defineRule, scanners, verdict } from '../rule';
import { blocks, show } from '../tokens';

export const rule = defineRule({
  id: 'elb-listener-https',
  what: 'Listeners serve HTTPS (or TLS), or redirect plain HTTP to HTTPS.',
  why: 'Plain HTTP exposes sessions and data to anyone on the path and lets them alter responses.',
  scanners: scanners({ checkov: ['CKV_AWS_2', 'CKV2_AWS_20'], trivy: ['AVD-AWS-0054'] }),
  resourceTypes: ['aws_lb_listener', 'aws_alb_listener'],
  check: (l) => {
    const protocol = l.config.protocol;
    if (protocol === 'HTTPS' || protocol === 'TLS') return COMPLIANT;
    const redirects = blocks(l.config.default_action).every(
      (a) => a.type === 'redirect' && blocks(a.redirect).some((r) => r.protocol === 'HTTPS'),
    );
    return verdict(blocks(l.config.default_action).length > 0 && redirects, `protocol ${show(protocol)} without a redirect to HTTPS`);
  },
});
