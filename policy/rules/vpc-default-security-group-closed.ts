import { defineRule, scanners, verdict } from '../rule';
import { listOf } from '../tokens';

export const rule = defineRule({
  id: 'vpc-default-security-group-closed',
  what: "Every VPC's default security group is managed and has no rules at all.",
  why: "Anything launched without a security group lands in the default one; AWS's default lets members talk to each other and out to anywhere.",
  scanners: scanners({ checkov: ['CKV2_AWS_12'] }),
  resourceTypes: ['aws_vpc'],
  check: (vpc, stack) => {
    const managed = stack.referrers('aws_default_security_group', 'vpc_id', vpc);
    return verdict(
      managed.length > 0 && managed.every((g) => listOf(g.config.ingress).length === 0 && listOf(g.config.egress).length === 0),
      managed.length === 0
        ? 'no aws_default_security_group takes over the default group of this VPC'
        : 'the default security group has ingress or egress rules',
    );
  },
});
