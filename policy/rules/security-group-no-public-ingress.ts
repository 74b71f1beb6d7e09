import { defineRule, scanners, verdict } from '../rule';
import { groupRules, opensToInternet, sgRules, SG_RULE_TYPES } from '../security-group-rules';

/**
 * The internet as policy/address-space.ts counts it: CIDRs that together cover more than a /8 of public IPv4
 * or a /16 of public IPv6, however they are spelled or split (`0.0.0.0/00`, `0.0.0.0/1` + `128.0.0.0/1`,
 * `::/1`), summed over the group's rules that let the same protocol and port through.
 */
export const rule = defineRule({
  id: 'security-group-no-public-ingress',
  what: "No security group rule accepts traffic from the internet: CIDRs that, with the group's other rules for the same port, cover more than a /8 of public IPv4 or a /16 of public IPv6.",
  why: 'Everything reachable from the internet is scanned and attacked within minutes; only deliberate entry points may be open, and 0.0.0.0/0 written as 0.0.0.0/1 plus 128.0.0.0/1 is just as open.',
  scanners: scanners({ checkov: ['CKV_AWS_260'], trivy: ['AVD-AWS-0107'], cdkNag: ['AwsSolutions-EC23'] }),
  resourceTypes: SG_RULE_TYPES,
  check: (r, stack) => {
    const group = groupRules(r, stack, 'ingress');
    const open = sgRules(r, 'ingress').filter((x) => opensToInternet(x, group));
    return verdict(
      open.length === 0,
      `ingress from ${open.flatMap((x) => x.cidrs).join(', ')} (port ${open.map((x) => x.fromPort ?? 'all').join(', ')}), with the group's other rules for that port, reaches the internet`,
    );
  },
});
