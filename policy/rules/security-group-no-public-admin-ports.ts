import { defineRule, scanners, verdict } from '../rule';
import { allProtocols, groupRules, opensToInternet, sgRules, SG_RULE_TYPES } from '../security-group-rules';

const ADMIN_PORTS = [22, 3389];

/**
 * The internet as policy/address-space.ts counts it: CIDRs that together cover more than a /8 of public IPv4
 * or a /16 of public IPv6, however they are spelled or split (`0.0.0.0/00`, `0.0.0.0/1` + `128.0.0.0/1`,
 * `::/1`), summed over the group's rules that let the same protocol and port through.
 */
export const rule = defineRule({
  id: 'security-group-no-public-admin-ports',
  what: "No security group rule opens SSH (22), RDP (3389) or all ports to the internet, counting the group's other rules for the same port.",
  why: 'Remote administration ports are the most attacked ports on the internet; operators use Session Manager instead.',
  scanners: scanners({ checkov: ['CKV_AWS_24', 'CKV_AWS_25', 'CKV_AWS_277'] }),
  resourceTypes: SG_RULE_TYPES,
  check: (r, stack) => {
    const group = groupRules(r, stack, 'ingress');
    const bad = sgRules(r, 'ingress').filter(
      (x) => (allProtocols(x) && opensToInternet(x, group)) || ADMIN_PORTS.some((port) => opensToInternet(x, group, port)),
    );
    return verdict(bad.length === 0, 'an internet-open ingress rule covers port 22, 3389 or every port');
  },
});
