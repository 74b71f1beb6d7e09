/** Where IAM policies live in our resources, for the IAM rules. */
import type { ResourceView } from './view';

/** Resource types that carry an identity policy document in `policy`. */
export const IDENTITY_POLICY_TYPES = ['aws_iam_role_policy', 'aws_iam_policy', 'aws_iam_user_policy', 'aws_iam_group_policy'];

/** The identity policy documents of `r`: its `policy`, or a role's inline policies. */
export function identityPolicies(r: ResourceView): unknown[] {
  if (r.type === 'aws_iam_role') {
    const inline = r.config.inline_policy;
    return (Array.isArray(inline) ? inline : inline ? [inline] : []).map((p: Record<string, unknown>) => p.policy);
  }
  return [r.config.policy];
}

/**
 * Actions AWS does not let you scope to a resource, so `"Resource": "*"` is the only form they take
 * (IAM service authorization reference: no resource types).
 */
export const UNSCOPABLE_ACTIONS = new Set([
  'cloudwatch:PutMetricData',
  'ec2:DescribeInstances',
  'ec2:DescribeTags',
  'ec2:DescribeVolumes',
  'logs:DescribeLogGroups',
  'ssm:DescribeParameters',
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
]);
