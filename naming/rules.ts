/**
 * AWS's rules for the names we generate: length, characters, reserved prefixes and suffixes, and where a
 * name must be unique. One table, used by the config validation (before anything is built) and by the tests
 * that check every name in the synthesized JSON (__tests__/naming.tf.test.ts).
 *
 * Sources, each read 2026-12-01: the API references of the services (the `Name` / `Identifier` parameter of
 * the Create call) and the user guides linked per rule.
 */

/** Where a name must be unique: the partition (S3), the account (IAM), one account's region, or a parent resource. */
export type NameScope = 'partition' | 'account' | 'region' | 'parent';

export interface NameRule {
  /** What AWS calls the name, for messages: `S3 bucket name`. */
  readonly label: string;
  readonly minLength: number;
  readonly maxLength: number;
  /** Characters allowed, as a whole-name pattern. */
  readonly pattern: RegExp;
  /** The same in words, for messages. */
  readonly characters: string;
  /** Further conditions, each a test that fails for a bad name and what it requires of that name. */
  readonly conditions?: readonly { readonly ok: (name: string) => boolean; readonly requires: string | ((name: string) => string) }[];
  /** Where the name must be unique. */
  readonly unique: NameScope;
  /** AWS compares the names of this kind without regard to case (IAM). */
  readonly caseInsensitive?: boolean;
  /** Where AWS states the rule. */
  readonly source: string;
}

const notStartingWith = (...prefixes: string[]) => ({
  ok: (name: string) => !prefixes.some((p) => name.startsWith(p)),
  requires: (name: string) => `must not start with "${prefixes.find((p) => name.startsWith(p))}" (reserved by AWS)`,
});
const notEndingWith = (...suffixes: string[]) => ({
  ok: (name: string) => !suffixes.some((s) => name.endsWith(s)),
  requires: (name: string) => `must not end with "${suffixes.find((s) => name.endsWith(s))}" (reserved by AWS)`,
});
const noDoubleHyphen = { ok: (name: string) => !name.includes('--'), requires: 'must not contain two hyphens in a row' };
const notEndingWithHyphen = { ok: (name: string) => !name.endsWith('-'), requires: 'must not end with a hyphen' };
const startingWithLetter = { ok: (name: string) => /^[A-Za-z]/.test(name), requires: 'must start with a letter' };
const hyphensInside = {
  ok: (name: string) => !name.startsWith('-') && !name.endsWith('-'),
  requires: 'must not start or end with a hyphen',
};

/** General purpose buckets (S3 User Guide, "General purpose bucket naming rules"). */
export const S3_BUCKET: NameRule = {
  label: 'S3 bucket name',
  minLength: 3,
  maxLength: 63,
  pattern: /^[a-z0-9.-]+$/,
  characters: 'lower-case letters, digits, dots and hyphens',
  conditions: [
    { ok: (n) => /^[a-z0-9].*[a-z0-9]$/.test(n), requires: 'must start and end with a letter or digit' },
    { ok: (n) => !n.includes('..'), requires: 'must not contain two dots in a row' },
    { ok: (n) => !/^\d+\.\d+\.\d+\.\d+$/.test(n), requires: 'must not look like an IP address' },
    notStartingWith('xn--', 'sthree-', 'amzn-s3-demo-'),
    notEndingWith('-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'),
  ],
  unique: 'partition',
  source: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html',
};

/** Application Load Balancer names (ELBv2 API, CreateLoadBalancer `Name`). */
export const LOAD_BALANCER: NameRule = {
  label: 'load balancer name',
  minLength: 1,
  maxLength: 32,
  pattern: /^[A-Za-z0-9-]+$/,
  characters: 'letters, digits and hyphens',
  conditions: [hyphensInside, notStartingWith('internal-')],
  unique: 'region',
  source: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html',
};

/** Target group names (ELBv2 API, CreateTargetGroup `Name`). */
export const TARGET_GROUP: NameRule = {
  label: 'target group name',
  minLength: 1,
  maxLength: 32,
  pattern: /^[A-Za-z0-9-]+$/,
  characters: 'letters, digits and hyphens',
  conditions: [hyphensInside],
  unique: 'region',
  source: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html',
};

const IAM_CHARACTERS = { pattern: /^[\w+=,.@-]+$/, characters: 'letters, digits and + = , . @ _ -' };
const IAM_SOURCE = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html';

/** IAM role names: unique in the account regardless of case. */
export const IAM_ROLE: NameRule = {
  label: 'IAM role name',
  minLength: 1,
  maxLength: 64,
  ...IAM_CHARACTERS,
  unique: 'account',
  caseInsensitive: true,
  source: IAM_SOURCE,
};
/** IAM instance profile names. */
export const IAM_INSTANCE_PROFILE: NameRule = {
  label: 'IAM instance profile name',
  minLength: 1,
  maxLength: 128,
  ...IAM_CHARACTERS,
  unique: 'account',
  caseInsensitive: true,
  source: IAM_SOURCE,
};
/** Customer managed IAM policy names: unique in the account regardless of case. */
export const IAM_POLICY: NameRule = {
  label: 'IAM policy name',
  minLength: 1,
  maxLength: 128,
  ...IAM_CHARACTERS,
  unique: 'account',
  caseInsensitive: true,
  source: IAM_SOURCE,
};
/** Names of inline policies, unique within their role. */
export const IAM_INLINE_POLICY: NameRule = {
  label: 'IAM inline policy name',
  minLength: 1,
  maxLength: 128,
  ...IAM_CHARACTERS,
  unique: 'parent',
  caseInsensitive: true,
  source: IAM_SOURCE,
};

/** VPC security group names (EC2 API, CreateSecurityGroup `GroupName`), unique in the VPC. */
export const SECURITY_GROUP: NameRule = {
  label: 'security group name',
  minLength: 1,
  maxLength: 255,
  pattern: /^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]+$/,
  characters: 'letters, digits, spaces and . _ - : / ( ) # , @ [ ] + = & ; { } ! $ *',
  conditions: [notStartingWith('sg-')],
  unique: 'parent',
  source: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html',
};

/** Launch template names (EC2 API, CreateLaunchTemplate `LaunchTemplateName`). */
export const LAUNCH_TEMPLATE: NameRule = {
  label: 'launch template name',
  minLength: 3,
  maxLength: 128,
  pattern: /^[A-Za-z0-9().\-/_]+$/,
  characters: 'letters, digits and ( ) . - / _',
  unique: 'region',
  source: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplate.html',
};

/** Printable text without control characters: what Auto Scaling and CloudWatch accept for names. */
const PRINTABLE = { pattern: /^[^\p{Cc}]+$/u, characters: 'printable characters (no control characters)' };

/** Auto Scaling group names. */
export const AUTO_SCALING_GROUP: NameRule = {
  label: 'Auto Scaling group name',
  minLength: 1,
  maxLength: 255,
  ...PRINTABLE,
  unique: 'region',
  source: 'https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CreateAutoScalingGroup.html',
};

/** Scaling policy names, unique within their group. */
export const SCALING_POLICY: NameRule = {
  label: 'scaling policy name',
  minLength: 1,
  maxLength: 255,
  ...PRINTABLE,
  unique: 'parent',
  source: 'https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_PutScalingPolicy.html',
};

/** CloudWatch alarm names. */
export const ALARM: NameRule = {
  label: 'CloudWatch alarm name',
  minLength: 1,
  maxLength: 255,
  ...PRINTABLE,
  unique: 'region',
  source: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html',
};

/** CloudWatch dashboard names: global to the account (the dashboard ARN has no region). */
export const DASHBOARD: NameRule = {
  label: 'CloudWatch dashboard name',
  minLength: 1,
  maxLength: 255,
  pattern: /^[A-Za-z0-9_-]+$/,
  characters: 'letters, digits, _ and -',
  unique: 'account',
  source: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html',
};

/** RDS DB instance identifiers. */
export const DB_INSTANCE: NameRule = {
  label: 'RDS DB instance identifier',
  minLength: 1,
  maxLength: 63,
  pattern: /^[A-Za-z0-9-]+$/,
  characters: 'letters, digits and hyphens',
  conditions: [startingWithLetter, noDoubleHyphen, notEndingWithHyphen],
  unique: 'region',
  caseInsensitive: true,
  source: 'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html',
};

/** RDS snapshot identifiers (the final snapshot). */
export const DB_SNAPSHOT: NameRule = {
  ...DB_INSTANCE,
  label: 'RDS DB snapshot identifier',
  maxLength: 255,
  source: 'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBSnapshot.html',
};

/** RDS DB parameter group names: lower case (RDS stores them so; the AWS provider requires it). */
export const DB_PARAMETER_GROUP: NameRule = {
  label: 'RDS DB parameter group name',
  minLength: 1,
  maxLength: 255,
  pattern: /^[a-z0-9-]+$/,
  characters: 'lower-case letters, digits and hyphens',
  conditions: [startingWithLetter, noDoubleHyphen, notEndingWithHyphen],
  unique: 'region',
  source: 'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBParameterGroup.html',
};

/** RDS DB subnet group names: lower case (the AWS provider requires it), not `default`. */
export const DB_SUBNET_GROUP: NameRule = {
  label: 'RDS DB subnet group name',
  minLength: 1,
  maxLength: 255,
  pattern: /^[a-z0-9 ._-]+$/,
  characters: 'lower-case letters, digits, spaces and . _ -',
  conditions: [{ ok: (n) => n !== 'default', requires: 'must not be "default"' }],
  unique: 'region',
  source: 'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBSubnetGroup.html',
};

/** CloudWatch Logs log group names. */
export const LOG_GROUP: NameRule = {
  label: 'CloudWatch Logs log group name',
  minLength: 1,
  maxLength: 512,
  pattern: /^[A-Za-z0-9._\-/#]+$/,
  characters: 'letters, digits and . _ - / #',
  unique: 'region',
  source: 'https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html',
};

/** KMS alias names, `alias/` included. */
export const KMS_ALIAS: NameRule = {
  label: 'KMS alias name',
  minLength: 7,
  maxLength: 256,
  pattern: /^alias\/[A-Za-z0-9/_-]+$/,
  characters: '"alias/" then letters, digits and / _ -',
  conditions: [notStartingWith('alias/aws/')],
  unique: 'region',
  source: 'https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html',
};

/** WAFv2 web ACL names. */
export const WAF_WEB_ACL: NameRule = {
  label: 'WAF web ACL name',
  minLength: 1,
  maxLength: 128,
  pattern: /^[\w-]+$/,
  characters: 'letters, digits, _ and -',
  unique: 'region',
  source: 'https://docs.aws.amazon.com/waf/latest/APIReference/API_CreateWebACL.html',
};

/** WAFv2 CloudWatch metric names (visibility configs). */
export const WAF_METRIC: NameRule = {
  label: 'WAF metric name',
  minLength: 1,
  maxLength: 255,
  pattern: /^[\w#:.\-/]+$/,
  characters: 'letters, digits and _ # : . - /',
  conditions: [{ ok: (n) => n !== 'All' && n !== 'Default_Action', requires: 'must not be "All" or "Default_Action"' }],
  unique: 'parent',
  source: 'https://docs.aws.amazon.com/waf/latest/APIReference/API_VisibilityConfig.html',
};

/** WAFv2 web ACLs of CLOUDFRONT scope: global, so unique in the account. */
export const WAF_WEB_ACL_CLOUDFRONT: NameRule = { ...WAF_WEB_ACL, label: 'WAF web ACL name (CLOUDFRONT scope)', unique: 'account' };

/** WAFv2 IP sets of CLOUDFRONT scope. */
export const WAF_IP_SET_CLOUDFRONT: NameRule = {
  ...WAF_WEB_ACL,
  label: 'WAF IP set name (CLOUDFRONT scope)',
  unique: 'account',
  source: 'https://docs.aws.amazon.com/waf/latest/APIReference/API_CreateIPSet.html',
};

/** CloudFront origin access controls: unique in the account. */
export const CLOUDFRONT_ORIGIN_ACCESS_CONTROL: NameRule = {
  label: 'CloudFront origin access control name',
  minLength: 1,
  maxLength: 64,
  pattern: /^[A-Za-z0-9_-]+$/,
  characters: 'letters, digits, _ and -',
  unique: 'account',
  source: 'https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_OriginAccessControlConfig.html',
};

/** CloudFront response headers policies: unique in the account. */
export const CLOUDFRONT_RESPONSE_HEADERS_POLICY: NameRule = {
  ...CLOUDFRONT_ORIGIN_ACCESS_CONTROL,
  label: 'CloudFront response headers policy name',
  maxLength: 128,
  source: 'https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_ResponseHeadersPolicyConfig.html',
};

/** CloudFront Functions: unique in the account. */
export const CLOUDFRONT_FUNCTION: NameRule = {
  ...CLOUDFRONT_ORIGIN_ACCESS_CONTROL,
  label: 'CloudFront function name',
  source: 'https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CreateFunction.html',
};

/**
 * CloudFront VPC origins. The API states no limit for `VpcOriginEndpointConfig.Name`; we keep to the rule of the
 * other CloudFront names of the account (origin access controls): 1–64 letters, digits, _ and -.
 */
export const CLOUDFRONT_VPC_ORIGIN: NameRule = {
  ...CLOUDFRONT_ORIGIN_ACCESS_CONTROL,
  label: 'CloudFront VPC origin name',
  source: 'https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_VpcOriginEndpointConfig.html',
};

/** The comment of a distribution (what the console lists it by): at most 128 characters. */
export const CLOUDFRONT_COMMENT: NameRule = {
  label: 'CloudFront distribution comment',
  minLength: 0,
  maxLength: 128,
  ...PRINTABLE,
  unique: 'parent',
  source: 'https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_DistributionConfig.html',
};

/** CloudWatch Logs delivery sources (vended logs, e.g. CloudFront standard logging v2). */
export const LOG_DELIVERY_SOURCE: NameRule = {
  label: 'CloudWatch Logs delivery source name',
  minLength: 1,
  maxLength: 60,
  pattern: /^[\w-]+$/,
  characters: 'letters, digits, _ and -',
  unique: 'region',
  source: 'https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutDeliverySource.html',
};

/** CloudWatch Logs delivery destinations. */
export const LOG_DELIVERY_DESTINATION: NameRule = {
  ...LOG_DELIVERY_SOURCE,
  label: 'CloudWatch Logs delivery destination name',
  source: 'https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutDeliveryDestination.html',
};

/** Secrets Manager secret names. */
export const SECRETS_MANAGER_SECRET: NameRule = {
  label: 'Secrets Manager secret name',
  minLength: 1,
  maxLength: 512,
  pattern: /^[A-Za-z0-9/_+=.@-]+$/,
  characters: 'letters, digits and / _ + = . @ -',
  unique: 'region',
  source: 'https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html',
};

/** SNS standard topic names. */
export const SNS_TOPIC: NameRule = {
  label: 'SNS topic name',
  minLength: 1,
  maxLength: 256,
  pattern: /^[A-Za-z0-9_-]+$/,
  characters: 'letters, digits, _ and -',
  unique: 'region',
  source: 'https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html',
};

/** SNS display names (the sender of e-mail notifications). */
export const SNS_DISPLAY_NAME: NameRule = {
  label: 'SNS topic display name',
  minLength: 1,
  maxLength: 100,
  ...PRINTABLE,
  unique: 'parent',
  source: 'https://docs.aws.amazon.com/sns/latest/api/API_SetTopicAttributes.html',
};

/** ECR repository names (ECR API, CreateRepository `repositoryName`). */
/** An ECR repository URL, `<account>.dkr.ecr.<region>.amazonaws.com/<name>`: account, region, name. */
export const ECR_REPOSITORY_URL = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com\/(.+)$/;

export const ECR_REPOSITORY: NameRule = {
  label: 'ECR repository name',
  minLength: 2,
  maxLength: 256,
  pattern: /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/,
  characters: 'lower-case letters and digits, separated by single . _ - or /',
  unique: 'region',
  source: 'https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html',
};

/** DynamoDB table names. */
export const DYNAMODB_TABLE: NameRule = {
  label: 'DynamoDB table name',
  minLength: 3,
  maxLength: 255,
  pattern: /^[A-Za-z0-9_.-]+$/,
  characters: 'letters, digits and _ . -',
  unique: 'region',
  source: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html',
};

/** Tag values (the `Name` tags we write): AWS's tag character set. */
export const TAG_VALUE: NameRule = {
  label: 'tag value',
  minLength: 0,
  maxLength: 256,
  pattern: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u,
  characters: 'letters, digits, spaces and _ . : / = + - @',
  unique: 'parent',
  source: 'https://docs.aws.amazon.com/tag-editor/latest/userguide/best-practices-and-strats.html',
};

/** S3 object keys of Terraform state: at most 1024 bytes of UTF-8. */
export const S3_STATE_KEY: NameRule = {
  label: 'S3 state object key',
  minLength: 1,
  maxLength: 1024,
  pattern: /^[A-Za-z0-9!\-_.*'()/]+$/,
  characters: "the safe characters of S3 object keys (letters, digits and ! - _ . * ' ( ) /)",
  unique: 'parent',
  source: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html',
};

/** HCP Terraform workspace names. */
export const CLOUD_WORKSPACE: NameRule = {
  label: 'HCP Terraform workspace name',
  minLength: 1,
  maxLength: 90,
  pattern: /^[A-Za-z0-9_-]+$/,
  characters: 'letters, digits, _ and -',
  unique: 'parent',
  source: 'https://developer.hashicorp.com/terraform/cloud-docs/workspaces/create',
};

/** PostgreSQL identifiers (the pg backend's schema): at most 63 bytes. */
export const PG_SCHEMA: NameRule = {
  label: 'PostgreSQL schema name',
  minLength: 1,
  maxLength: 63,
  pattern: /^[a-z_][a-z0-9_]*$/,
  characters: 'lower-case letters, digits and _, not starting with a digit',
  unique: 'parent',
  source: 'https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-IDENTIFIERS',
};

/**
 * What is wrong with `name` under `rule`, or undefined when it fits: the first failed condition, in the order
 * length, characters, further conditions.
 */
export function nameViolation(rule: NameRule, name: string): string | undefined {
  const length = rule === S3_STATE_KEY ? Buffer.byteLength(name, 'utf8') : name.length;
  if (length > rule.maxLength) return `is ${length} characters long, ${length - rule.maxLength} more than the ${rule.maxLength} AWS allows`;
  if (length < rule.minLength) return `is ${length} characters long, fewer than the ${rule.minLength} AWS requires`;
  if (!rule.pattern.test(name)) return `may contain only ${rule.characters}`;
  for (const c of rule.conditions ?? []) if (!c.ok(name)) return typeof c.requires === 'string' ? c.requires : c.requires(name);
  return undefined;
}
