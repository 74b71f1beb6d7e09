import { defineRule, scanners, verdict } from '../rule';
import { isOpenCidr, sgRules, SG_RULE_TYPES } from '../security-group-rules';

export const rule = defineRule({
  id: 'security-group-no-public-ingress',
  what: 'No security group rule accepts traffic from the whole internet (0.0.0.0/0 or ::/0).',
  why: 'Everything reachable from the internet is scanned and attacked within minutes; only deliberate entry points may be open.',
  scanners: scanners({ checkov: ['CKV_AWS_260'], trivy: ['AVD-AWS-0107'], cdkNag: ['AwsSolutions-EC23'] }),
  resourceTypes: SG_RULE_TYPES,
  check: (r) => {
    const open = sgRules(r, 'ingress').filter((x) => x.cidrs.some(isOpenCidr));
    return verdict(
      open.length === 0,
      `ingress from ${open.flatMap((x) => x.cidrs).join(', ')} (port ${open.map((x) => x.fromPort ?? 'all').join(', ')})`,
    );
  },
});
