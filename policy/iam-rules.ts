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
 * (IAM service authorization reference: no resource types). The `Describe*` families are the wildcard
 * actions of `WILDCARD_ACTIONS`: every action they match has no resource type either.
 */
export const UNSCOPABLE_ACTIONS = new Set([
  'autoscaling:Describe*',
  'cloudwatch:PutMetricData',
  'ec2:Describe*',
  'ec2:DescribeInstances',
  'ec2:DescribeTags',
  'ec2:DescribeVolumes',
  'elasticloadbalancing:Describe*',
  'kms:ListAliases',
  'logs:CreateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:DescribeLogGroups',
  'logs:DescribeResourcePolicies',
  'logs:PutResourcePolicy',
  'ssm:DescribeParameters',
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
]);

/**
 * Actions that create a resource (or tag it as it is created): there is no ARN to name before it exists, so
 * they take `"Resource": "*"` — and only with an `aws:RequestTag/…` condition, which scopes them by the tags
 * the new resource must carry.
 */
export const CREATE_WITH_REQUEST_TAGS = new Set(['acm:AddTagsToCertificate', 'acm:RequestCertificate', 'kms:CreateKey', 'kms:TagResource']);

/** True when `condition` requires a tag in the request (`aws:RequestTag/<key>`). */
export function requiresRequestTags(condition: Readonly<Record<string, Record<string, unknown>>>): boolean {
  return Object.values(condition).some((keys) => Object.keys(keys).some((k) => k.startsWith('aws:RequestTag/')));
}

/**
 * The wildcard actions an identity policy may name, each with its reason; every other action with a `*`
 * is refused (iam-no-wildcard-actions). All are read-only.
 */
export const WILDCARD_ACTIONS: Readonly<Record<string, string>> = {
  'ec2:Describe*':
    'Terraform refreshes every EC2 object of a stack (VPC, subnets, routes, gateways, addresses, security groups and rules, endpoints, flow logs, launch templates) through some forty Describe calls; none has a resource type, none changes anything.',
  'elasticloadbalancing:Describe*':
    'The load balancer, its listeners, target group and their attributes and tags are read through Describe calls that have no resource type and change nothing.',
  'autoscaling:Describe*':
    'The auto scaling group, its policies, notifications and instance refreshes are read through Describe calls that have no resource type and change nothing.',
  's3:GetBucket*':
    'The AWS provider reads every sub-resource of a bucket (ACL, CORS, logging, notification, ownership, policy, public access block, tagging, versioning, website…) when it refreshes it; the GetBucket… actions read bucket configuration only, never an object.',
};

/** True when `action` names more than one action (`*` or `?` in it). */
export const isWildcardAction = (action: string): boolean => /[*?]/.test(action);
