import { defineRule, NOT_APPLICABLE, scanners, verdict } from '../rule';
import { show } from '../tokens';

/** Policies that accept TLS 1.2 and 1.3 only. */
const MODERN = /^ELBSecurityPolicy-(TLS13-1-[23]-|TLS-1-2-|FS-1-2-)/;

export const rule = defineRule({
  id: 'elb-listener-tls-policy',
  what: 'HTTPS and TLS listeners use a security policy that allows only TLS 1.2 and newer.',
  why: 'TLS 1.0 and 1.1 have known weaknesses and are no longer accepted by compliance frameworks.',
  scanners: scanners({ checkov: ['CKV_AWS_103'], trivy: ['AVD-AWS-0047'] }),
  resourceTypes: ['aws_lb_listener', 'aws_alb_listener'],
  check: (l) => {
    if (l.config.protocol !== 'HTTPS' && l.config.protocol !== 'TLS') return NOT_APPLICABLE;
    const policy = l.config.ssl_policy;
    return verdict(typeof policy === 'string' && MODERN.test(policy), `ssl_policy is ${show(policy)}`);
  },
});
