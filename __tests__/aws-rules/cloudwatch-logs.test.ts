/**
 * CloudWatch Logs: log groups, log deliveries and the VPC flow logs written into them, as CloudWatch Logs and EC2
 * check them (moto keeps any retention and never delivers). The keys of encrypted groups are checked with the key
 * policies (kms-key-policies.test.ts). Run over every stack of every config under test; each rule also on a copy
 * broken on purpose.
 */
import { bodyOf, problemsInEveryStack, problemsOfBroken, stacksWith, type Check } from '../support/aws-rules/rules';
import { regionOf, resourcesOf, statements, target } from '../support/aws-rules/terraform-json';

// CloudWatch Logs API Reference, CreateLogGroup (logGroupName: 1–512 characters of a-z, A-Z, 0-9, '_', '-', '/', '.',
// '#') and PutRetentionPolicy (retentionInDays: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096,
// 1827, 2192, 2557, 2922, 3288, 3653), PutDeliverySource and PutDeliveryDestination (name: 1–60 characters of
// [\w-]): https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html,
// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutDeliverySource.html
describe('log groups and log deliveries have names and retentions CloudWatch Logs takes (CloudWatch Logs API Reference, CreateLogGroup, PutRetentionPolicy, PutDeliverySource)', () => {
  const RETENTION = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
  const check: Check = (stack) => [
    ...resourcesOf(stack, 'aws_cloudwatch_log_group').flatMap((g) => [
      ...(/^[\w\-/.#]{1,512}$/.test(String(g.body.name)) ? [] : [`${g.address}: name ${JSON.stringify(g.body.name)}`]),
      ...(g.body.retention_in_days === undefined || g.body.retention_in_days === 0 || RETENTION.includes(Number(g.body.retention_in_days))
        ? []
        : [`${g.address}: retention ${g.body.retention_in_days} days`]),
    ]),
    ...['aws_cloudwatch_log_delivery_source', 'aws_cloudwatch_log_delivery_destination'].flatMap((type) =>
      resourcesOf(stack, type)
        .filter((r) => !/^[\w-]{1,60}$/.test(String(r.body.name)))
        .map((r) => `${r.address}: name ${JSON.stringify(r.body.name)}`),
    ),
  ];
  it('holds in every stack', () => {
    expect(stacksWith('aws_cloudwatch_log_group')).toBeGreaterThan(0);
    expect(problemsInEveryStack(check)).toEqual([]);
  });
  it('fails for a retention of 45 days and a delivery name with a slash', () => {
    const problems = problemsOfBroken(check, 'aws_cloudwatch_log_delivery_source', (s) => {
      bodyOf(s, 'aws_cloudwatch_log_group').retention_in_days = 45;
      bodyOf(s, 'aws_cloudwatch_log_delivery_source').name = 'web/dev/access';
    });
    expect(problems).toEqual([expect.stringContaining('retention 45 days'), expect.stringContaining('name "web/dev/access"')]);
  });
});

// EC2 API Reference, CreateFlowLogs (DeliverLogsPermissionArn "required if the destination type is cloud-watch-logs";
// MaxAggregationInterval "60 seconds (1 minute) or 600 seconds (10 minutes)"), and VPC User Guide, "IAM role for
// publishing flow logs to CloudWatch Logs" (the role trusts vpc-flow-logs.amazonaws.com):
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateFlowLogs.html,
// https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html
describe('flow logs into CloudWatch Logs have a role the flow log service can assume, a log group of their region, an interval of 60 or 600 s (EC2 API Reference, CreateFlowLogs)', () => {
  const check: Check = (stack) =>
    resourcesOf(stack, 'aws_flow_log').flatMap((f) => {
      const problems: string[] = [];
      if (f.body.max_aggregation_interval !== undefined && ![60, 600].includes(Number(f.body.max_aggregation_interval)))
        problems.push(`aggregation interval ${f.body.max_aggregation_interval} s`);
      if ((f.body.log_destination_type ?? 'cloud-watch-logs') === 'cloud-watch-logs') {
        const role = target(stack, f.body.iam_role_arn ?? f.body.deliver_logs_permission_arn, 'aws_iam_role');
        if (!role && f.body.iam_role_arn === undefined) problems.push('no role to deliver with');
        if (
          role &&
          !statements(role.body.assume_role_policy, role.address).some(
            (s) => s.effect === 'Allow' && s.principalsByType.Service?.includes('vpc-flow-logs.amazonaws.com'),
          )
        )
          problems.push(`${role.address} does not let vpc-flow-logs.amazonaws.com assume it`);
        const group = target(stack, f.body.log_destination, 'aws_cloudwatch_log_group');
        if (group && regionOf(stack, group.body) !== regionOf(stack, f.body)) problems.push(`${group.address} in another region`);
      }
      return problems.map((p) => `${f.address}: ${p}`);
    });
  it('holds in every stack', () => {
    expect(stacksWith('aws_flow_log')).toBeGreaterThan(0);
    expect(problemsInEveryStack(check)).toEqual([]);
  });
  it('fails for a 5-minute interval and a role for EC2', () => {
    const problems = problemsOfBroken(check, 'aws_flow_log', (s) => {
      const flow = bodyOf(s, 'aws_flow_log');
      flow.max_aggregation_interval = 300;
      const role = target(s, flow.iam_role_arn, 'aws_iam_role') as { body: Record<string, any> };
      role.body.assume_role_policy = String(role.body.assume_role_policy).replace('vpc-flow-logs.amazonaws.com', 'ec2.amazonaws.com');
    });
    expect(problems).toEqual([
      expect.stringContaining('aggregation interval 300 s'),
      expect.stringMatching(/does not let vpc-flow-logs\.amazonaws\.com assume it$/),
    ]);
  });
});
