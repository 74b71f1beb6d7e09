import { defineRule, scanners, verdict } from '../rule';
import { groupRules, opensToInternet, sgRules, SG_RULE_TYPES } from '../security-group-rules';

/**
 * The internet as policy/address-space.ts counts it: CIDRs that together cover more than a /8 of public IPv4
 * or a /16 of public IPv6, however they are spelled or split (`0.0.0.0/00`, `0.0.0.0/1` + `128.0.0.0/1`,
 * `::/1`), summed over the group's rules that let the same protocol and port through.
 */
export const rule = defineRule({
  id: 'security-group-no-public-egress',
  what: "No security group rule lets traffic out to the internet: CIDRs that, with the group's other rules for the same port, cover more than a /8 of public IPv4 or a /16 of public IPv6.",
  why: 'Open egress is how malware phones home and data leaves; outbound paths should be as narrow as inbound ones.',
  scanners: scanners({ trivy: ['AVD-AWS-0104'] }),
  resourceTypes: SG_RULE_TYPES,
  check: (r, stack) => {
    const group = groupRules(r, stack, 'egress');
    const open = sgRules(r, 'egress').filter((x) => opensToInternet(x, group));
    return verdict(
      open.length === 0,
      `egress to ${open.flatMap((x) => x.cidrs).join(', ')} (port ${open.map((x) => x.fromPort ?? 'all').join(', ')}), with the group's other rules for that port, reaches the internet`,
    );
  },
});
