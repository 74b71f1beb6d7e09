import { defineRule, scanners, verdict } from '../rule';
import { coversPort, isOpenCidr, sgRules, SG_RULE_TYPES } from '../security-group-rules';

const ADMIN_PORTS = [22, 3389];

export const rule = defineRule({
  id: 'security-group-no-public-admin-ports',
  what: 'No security group rule opens SSH (22), RDP (3389) or all ports to the internet.',
  why: 'Remote administration ports are the most attacked ports on the internet; operators use Session Manager instead.',
  scanners: scanners({ checkov: ['CKV_AWS_24', 'CKV_AWS_25', 'CKV_AWS_277'] }),
  resourceTypes: SG_RULE_TYPES,
  check: (r) => {
    const bad = sgRules(r, 'ingress').filter(
      (x) => x.cidrs.some(isOpenCidr) && (x.protocol === '-1' || ADMIN_PORTS.some((p) => coversPort(x, p))),
    );
    return verdict(bad.length === 0, 'an internet-open ingress rule covers port 22, 3389 or every port');
  },
});
