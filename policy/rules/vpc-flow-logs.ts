import { defineRule, scanners, verdict } from '../rule';

export const rule = defineRule({
  id: 'vpc-flow-logs',
  what: 'Every VPC records all its traffic (accepted and rejected) with a flow log.',
  why: 'Flow logs are the only record of who talked to what inside the network: without them an incident cannot be reconstructed.',
  scanners: scanners({ checkov: ['CKV2_AWS_11'], trivy: ['AVD-AWS-0178'], cdkNag: ['AwsSolutions-VPC7'] }),
  resourceTypes: ['aws_vpc'],
  check: (vpc, stack) =>
    verdict(
      stack.referrers('aws_flow_log', 'vpc_id', vpc).some((f) => f.config.traffic_type === 'ALL' && f.config.log_destination !== undefined),
      'no aws_flow_log with traffic_type "ALL" and a destination refers to this VPC',
    ),
});
