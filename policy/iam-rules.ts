/** Where IAM policies live in our resources, for the IAM rules. */
import { requiredValues, type Statement } from './policy-document';
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
 * they take `"Resource": "*"` — and only with an `aws:RequestTag/…` condition that restricts (see
 * `restrictedByTags`), which scopes them by the tags the new resource must carry.
 */
export const CREATE_WITH_REQUEST_TAGS = new Set(['acm:AddTagsToCertificate', 'acm:RequestCertificate', 'kms:CreateKey', 'kms:TagResource']);

const WILDCARD_ONLY = /^[*?]+$/;

/**
 * Condition keys that scope a grant to resources by what they carry (lower case): their tags, the tags a new
 * one must be created with, a KMS key's aliases.
 */
const SCOPING_KEYS = {
  request: (k: string) => k.startsWith('aws:requesttag/'),
  any: (k: string) => k.startsWith('aws:requesttag/') || k.startsWith('aws:resourcetag/') || k === 'kms:resourcealiases',
};

/**
 * True when `condition` restricts a grant by tags (`request`: only `aws:RequestTag/…`; `any`: also
 * `aws:ResourceTag/…` and `kms:ResourceAliases`): a StringEquals, StringEqualsIgnoreCase or StringLike
 * (alone or ForAnyValue) on such a key with literal values, none of them empty or only wildcards. Negated
 * operators, `Null`, `…IfExists` and `ForAllValues:` hold for a resource without the tag, and restrict nothing.
 */
export function restrictedByTags(condition: Statement['condition'], keys: keyof typeof SCOPING_KEYS): boolean {
  return requiredValues(condition, SCOPING_KEYS[keys]).some(
    (e) =>
      e.operator.startsWith('String') &&
      e.values.length > 0 &&
      e.values.every((v) => typeof v === 'string' && v !== '' && !WILDCARD_ONLY.test(v) && !v.includes('${')),
  );
}

/**
 * Resource-type words after the first one, by service, in ARNs whose type spans several segments
 * (`loadbalancer/app/<name>/<id>`, `regional/managedruleset/<name>/<id>`,
 * `autoScalingGroup:<uuid>:autoScalingGroupName/<name>`).
 */
const TYPE_WORDS: Readonly<Record<string, ReadonlySet<string>>> = {
  elasticloadbalancing: new Set(['app', 'net', 'gwy']),
  wafv2: new Set(['webacl', 'managedruleset', 'rulegroup', 'ipset', 'regexpatternset']),
  autoscaling: new Set(['autoScalingGroupName', 'launchConfigurationName']),
};

/** Services whose resource part starts with the resource's own name, not a type: buckets, topics, queues. */
const NAME_FIRST = new Set(['s3', 'sns', 'sqs']);

/** `${type.name.attribute}`: a reference to a managed resource (which names that resource). */
const RESOURCE_REFERENCE =
  /\$\{(?!(?:data|var|local|module|each|count|path|terraform|self)\.)[a-z][a-z0-9_]*\.[A-Za-z_][A-Za-z0-9_-]*\.[A-Za-z_][A-Za-z0-9_]*(?:\[\d+\])?(?:\.[A-Za-z_][A-Za-z0-9_]*(?:\[\d+\])?)*\}/g;

/**
 * True when `resource` names no resource: `*`, or an ARN that matches every resource of its type — whose
 * service is a wildcard (`arn:aws:*:*:*:*`), or whose resource part, after its type words, is only wildcards:
 * every bucket (`arn:aws:s3:::*`) or every object of every bucket, every key (`arn:aws:kms:*:*:key/*`), every
 * EC2 resource of an account (`arn:aws:ec2:eu-west-1:111111111111:*`), every application load balancer
 * (`loadbalancer/app/` then wildcards). A name, a prefix (`web-prod-*`), a path (`role/aws-service-role/*`)
 * or a reference to a resource of the stack names something, whatever the region and account say; a value
 * only known at apply time (`${var.x}`) could be `*` and counts as naming nothing.
 */
export function namesNoResource(resource: string): boolean {
  const text = resource.replace(RESOURCE_REFERENCE, 'resource');
  if (text.includes('${')) return true;
  if (!text.startsWith('arn:')) return WILDCARD_ONLY.test(text);
  const [, , service = '', , account = '', ...rest] = text.split(':');
  if (rest.length === 0 || /[*?]/.test(service)) return true;
  const nameFirst = service === 's3' ? account === '' : NAME_FIRST.has(service);
  const words = TYPE_WORDS[service] ?? new Set<string>();
  return rest
    .join(':')
    .split(/[/:]/)
    .filter((segment) => segment !== '')
    .every((segment, i) => WILDCARD_ONLY.test(segment) || (i === 0 && !nameFirst) || words.has(segment));
}

/** True when `resource` is an ARN of one named service (a tag condition can scope a wildcard of its type). */
export const isServiceArn = (resource: string): boolean => /^arn:[^:]*:[a-z0-9-]+:/.test(resource);

/**
 * Resources that only a wildcard can name, each with its reason; `namesNoResource` is not held against
 * them (iam-no-wildcard-resources).
 */
export const WILDCARD_RESOURCES: readonly { readonly resource: RegExp; readonly reason: string }[] = [
  {
    resource: /^arn:aws:route53:::change\/\*$/,
    reason:
      'Route 53 names a change by the id that ChangeResourceRecordSets returns, so no policy can name it beforehand; GetChange, the one action on a change, reads whether it is done.',
  },
  {
    resource: /^arn:aws:wafv2:[a-z0-9-]+:\*:regional\/managedruleset\/\*\/\*$/,
    reason:
      "AWS managed rule groups are AWS's, in AWS's accounts: creating or updating a web ACL that uses one is authorized on it as well, and changes nothing of it.",
  },
];

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
