import { defineRule, scanners, verdict } from '../rule';
import { allProtocols, groupRules, opensToInternet, sgRules, SG_RULE_TYPES } from '../security-group-rules';

/**
 * The internet as policy/address-space.ts counts it: CIDRs that together cover more than a /8 of public IPv4
 * or a /16 of public IPv6, however they are spelled or split (`0.0.0.0/00`, `0.0.0.0/1` + `128.0.0.0/1`,
 * `::/1`), summed over the group's rules that let the same protocol and port through.
 */
export const rule = defineRule({
  id: 'security-group-egress-restricted',
  what: "No security group rule allows every protocol and port out to the internet, counting the group's other all-protocol rules.",
  why: "AWS's default allow-all egress lets a compromised host reach anything; each outbound path must name its protocol and port.",
  scanners: scanners({ checkov: ['CKV_AWS_382'] }),
  resourceTypes: SG_RULE_TYPES,
  check: (r, stack) => {
    const everything = groupRules(r, stack, 'egress').filter(allProtocols);
    return verdict(
      !sgRules(r, 'egress').some((x) => allProtocols(x) && opensToInternet(x, everything)),
      'an egress rule allows all protocols to the internet',
    );
  },
});
