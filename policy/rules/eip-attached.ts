import { defineRule, scanners, verdict } from '../rule';

export const rule = defineRule({
  id: 'eip-attached',
  what: 'Every Elastic IP is used by a NAT gateway or an instance.',
  why: 'An unattached Elastic IP costs money and is a public address nobody watches.',
  scanners: scanners({ checkov: ['CKV2_AWS_19'] }),
  resourceTypes: ['aws_eip'],
  check: (eip, stack) =>
    verdict(
      stack.referrers('aws_nat_gateway', 'allocation_id', eip).length > 0 ||
        stack.referrers('aws_eip_association', 'allocation_id', eip).length > 0 ||
        eip.config.instance !== undefined,
      'no NAT gateway, instance or association uses this Elastic IP',
    ),
});
