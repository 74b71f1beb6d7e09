import { defineRule, scanners, verdict } from '../rule';
import { isOpenCidr, sgRules, SG_RULE_TYPES } from '../security-group-rules';

export const rule = defineRule({
  id: 'security-group-no-public-egress',
  what: 'No security group rule lets traffic out to the whole internet.',
  why: 'Open egress is how malware phones home and data leaves; outbound paths should be as narrow as inbound ones.',
  scanners: scanners({ trivy: ['AVD-AWS-0104'] }),
  resourceTypes: SG_RULE_TYPES,
  check: (r) => {
    const open = sgRules(r, 'egress').filter((x) => x.cidrs.some(isOpenCidr));
    return verdict(
      open.length === 0,
      `egress to ${open.flatMap((x) => x.cidrs).join(', ')} (port ${open.map((x) => x.fromPort ?? 'all').join(', ')})`,
    );
  },
});
