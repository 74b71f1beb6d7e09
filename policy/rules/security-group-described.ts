import { defineRule, scanners, verdict } from '../rule';
import { blocks } from '../tokens';

const described = (v: unknown) => typeof v === 'string' && v.trim().length > 0 && !v.includes('${') && v !== 'Managed by Terraform';

export const rule = defineRule({
  id: 'security-group-described',
  what: 'Every security group and every security group rule has a description.',
  why: 'Reviewers and responders must see why a path is open; an undescribed rule is one nobody dares remove.',
  scanners: scanners({ checkov: ['CKV_AWS_23'], trivy: ['AVD-AWS-0099', 'AVD-AWS-0124'], cdkNag: ['AwsSolutions-EC27'] }),
  resourceTypes: [
    'aws_security_group',
    'aws_vpc_security_group_ingress_rule',
    'aws_vpc_security_group_egress_rule',
    'aws_security_group_rule',
  ],
  check: (r) => {
    const inline = [...blocks(r.config.ingress), ...blocks(r.config.egress)];
    return verdict(
      described(r.config.description) && inline.every((b) => described(b.description)),
      'a description is missing, empty, unknown at synth or the provider default',
    );
  },
});
