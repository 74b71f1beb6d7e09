/** Where IAM policies live in our resources, for the IAM rules. */
import { ACTIONS } from '../iam/service-authorization';
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
 * (IAM service authorization reference: no resource types): those iam/service-authorization.ts marks so,
 * and these. The `Describe*` families are the wildcard actions of `WILDCARD_ACTIONS`: every action they
 * match has no resource type either.
 */
const UNSCOPABLE_BESIDES_THE_REFERENCE = new Set([
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

/** True when AWS authorizes `action` on no resource (see above). */
export const isUnscopable = (action: string): boolean => UNSCOPABLE_BESIDES_THE_REFERENCE.has(action) || ACTIONS[action]?.[0] === '*';

/**
 * Actions that create a resource (or tag it as it is created): there is no ARN to name before it exists, so
 * they take `"Resource": "*"` — and only with an `aws:RequestTag/…` condition that restricts (see
 * `restrictedByTags`), which scopes them by the tags the new resource must carry.
 */
const CREATE_WITH_REQUEST_TAGS = new Set(['acm:AddTagsToCertificate', 'acm:RequestCertificate', 'kms:CreateKey', 'kms:TagResource']);

/**
 * Creations AWS could take tags with but that the stacks make without any, so a grant cannot require them, each
 * with its reason (they take `"Resource": "*"` like any action with no resource type).
 */
export const CREATES_WITHOUT_TAGS: Readonly<Record<string, string>> = {
  'cloudfront:CreateFunction':
    'The AWS provider 5.100 (aws_cloudfront_function) sends CreateFunction no tags: the function takes none from it, and is named by the environment (cloudfront:function/<prefix>-…) for every later change.',
};

/** True for an action that creates with tags and names no resource (the reference: no resource type, request tags). */
export const createsWithRequestTags = (action: string): boolean =>
  !(action in CREATES_WITHOUT_TAGS) &&
  (CREATE_WITH_REQUEST_TAGS.has(action) || (ACTIONS[action]?.[0] === '*' && ACTIONS[action]?.[1] === 'tags'));

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
export interface ReasonedWildcard {
  readonly resource: RegExp;
  /** Only in statements whose every action is one of these. @default - any action */
  readonly actions?: readonly string[];
  /** Only in statements whose condition passes this test. @default - any condition */
  readonly when?: (condition: Statement['condition']) => boolean;
  readonly reason: string;
}

const requires = (key: string) => (condition: Statement['condition']) =>
  requiredValues(condition, (k) => k === key.toLowerCase()).some((e) => e.operator.startsWith('String') || e.operator.startsWith('Arn'));

export const WILDCARD_RESOURCES: readonly ReasonedWildcard[] = [
  {
    resource: /^arn:aws:route53:::change\/\*$/,
    reason:
      'Route 53 names a change by the id that ChangeResourceRecordSets returns, so no policy can name it beforehand; GetChange, the one action on a change, reads whether it is done.',
  },
  {
    resource: /^arn:aws:wafv2:[a-z0-9-]+:\*:(regional|global)\/managedruleset\/\*\/\*$/,
    reason:
      "AWS managed rule groups are AWS's, in AWS's accounts: creating or updating a web ACL that uses one is authorized on it as well, and changes nothing of it.",
  },
  {
    resource: /^arn:aws:cloudfront::\d{12}:(origin-access-control|response-headers-policy)\/\*$/,
    reason:
      'CloudFront names origin access controls and response headers policies by ids it draws, and IAM has no condition key for them (Service Authorization Reference, "Resource types defined by Amazon CloudFront"): no policy can tell one environment\'s from another\'s; one account per environment does (docs/ci.md).',
  },
  {
    resource: /^arn:aws:ssm:[a-z0-9-]+:\d{12}:association\/\*$/,
    reason: "SSM names an association by an id it draws; the SSM agent only reports the status of its own instance's associations.",
  },
  {
    resource: /^arn:aws:ec2:[a-z0-9-]+:aws:prefix-list\/\*$/,
    reason:
      "AWS-managed prefix lists (S3's gateway, CloudFront's origin-facing servers) belong to AWS: a rule that names one changes nothing of it.",
  },
  {
    resource: /^arn:aws:rds:[a-z0-9-]+:\d{12}:og:default:\*$/,
    reason:
      "RDS authorizes a database's create and modify on its option group too: AWS's default option group of the engine, which nobody changes.",
  },
  {
    resource: /^arn:aws:ec2:[a-z0-9-]+::image\/\*$/,
    actions: ['ec2:RunInstances'],
    reason:
      "An instance is launched from the image its launch template names, and the same policy allows the launch only from the environment's templates: an AMI read from SSM when the deploy is planned has no name a policy can know.",
  },
  {
    resource: /^arn:aws:rds:[a-z0-9-]+:\d{12}:db:\*$/,
    actions: ['rds:DescribeDBInstances'],
    reason:
      'The provider reads a database by its resource id (a filtered DescribeDBInstances), which RDS authorizes on every instance of the account; settings only, never data.',
  },
  {
    resource: /^arn:aws:ec2:[a-z0-9-]+:\d{12}:(instance|volume|network-interface)\/\*$/,
    actions: ['ec2:RunInstances'],
    reason:
      'What a launch creates has no ARN before it: AWS authorizes RunInstances on each resource of the launch, and the same policy allows it only from the environment\'s launch templates, into its subnets and security groups (EC2 Auto Scaling user guide, "Control Amazon EC2 launch template usage in Auto Scaling groups").',
  },
  {
    resource: /^arn:aws:ec2:[a-z0-9-]+:\d{12}:(instance|volume|network-interface)\/\*$/,
    actions: ['ec2:CreateTags'],
    when: requires('ec2:CreateAction'),
    reason:
      'Tags on what a launch creates, only as it is created (EC2 Auto Scaling user guide, "Permissions required to tag instances and volumes").',
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
