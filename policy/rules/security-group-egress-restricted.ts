import { defineRule, scanners, verdict } from '../rule';
import { isOpenCidr, sgRules, SG_RULE_TYPES } from '../security-group-rules';

export const rule = defineRule({
  id: 'security-group-egress-restricted',
  what: 'No security group rule allows every protocol and port out to the internet.',
  why: "AWS's default allow-all egress lets a compromised host reach anything; each outbound path must name its protocol and port.",
  scanners: scanners({ checkov: ['CKV_AWS_382'] }),
  resourceTypes: SG_RULE_TYPES,
  check: (r) =>
    verdict(
      !sgRules(r, 'egress').some((x) => x.cidrs.some(isOpenCidr) && (x.protocol === '-1' || x.protocol === 'all')),
      'an egress rule allows all protocols to the internet',
    ),
});
