/**
 * How the resources of one environment are told apart from every other resource of the account, per IAM
 * resource type (`service:type`, as AWS's Service Authorization Reference names them):
 *
 * - `names`: by the names the environment's stack gives them — the very list the config validation checks
 *   (naming/names.ts `environmentNameList`), so a name the stack makes is a name its roles reach, and only that.
 * - `tags`: by the `Project` and `Environment` tags every resource of the stack carries (the provider's default
 *   tags): `aws:ResourceTag/…` on what exists, `aws:RequestTag/…` on what an action creates (statements.ts).
 *   Where the service names nothing itself (EC2, KMS keys, certificates, distributions).
 * - `fixed`: resources of AWS or of the config that the stacks use and never change (AWS's images and managed
 *   rule groups, the hosted zones and parameters the config names), each with its reason.
 * - `account`: AWS gives no way to tell one environment's resource of this type from another's (no name in the
 *   ARN, no tag condition); every such resource of the account, with the AWS document that says so. Only one
 *   account per environment separates them (docs/ci.md).
 *
 * - `none`: a kind the platform never makes (network load balancers' listeners): nothing is granted on it.
 *
 * A resource type an action needs but that has no scope here fails the derivation with a message naming it.
 */
import { CLOUDFRONT_REGION } from '../../config/catalog';
import { names, type GeneratedName } from '../../naming';
import * as rule from '../../naming/rules';
import type { NameRule } from '../../naming/rules';
import type { PolicyCondition } from '../policy-statements';

/** What the derivation knows of one environment. */
export interface EnvironmentScope {
  readonly project: string;
  /** Environment name (`dev`). */
  readonly name: string;
  /** `<project>-<env>`. */
  readonly prefix: string;
  readonly accountId: string;
  /** Home region. */
  readonly region: string;
  /** The tags that mark its resources: `{ Project, Environment }`. */
  readonly tags: Readonly<Record<string, string>>;
  /** Every name its stack generates (naming/names.ts), with the region each lives in. */
  readonly names: readonly GeneratedName[];
  /** Regions the stack deploys each service's resources to (the edge's are in us-east-1). */
  readonly regionsOf: (service: string) => readonly string[];
  /** Route 53 hosted zones the stack writes records in, with the names of those records. */
  readonly hostedZones: readonly { readonly id: string; readonly recordNames: readonly string[] }[];
  /** SSM parameters a plan reads (the AMI's public parameter), as ARNs. */
  readonly planParameters: readonly string[];
  /** AMIs the launch template may name: a pinned image's ARN, or every image of the region (read from SSM). */
  readonly images: { readonly arns: readonly string[] };
  /** Name of the database whose RDS-managed master secret the roles reach (`web-dev-db`). */
  readonly databaseName: string;
  /** Where the application's own secrets and parameters are (`<project>/<env>/…`). */
  readonly secretPrefix: string;
  /** ARNs of ECR repositories the releases pull from that the stack does not make (config). */
  readonly externalRepositories: readonly string[];
}

/** A set of resources and the condition that narrows them. */
export interface ScopeGrant {
  readonly resources: readonly string[];
  readonly condition?: PolicyCondition;
}

/** The grants of a scope for one action (a few scopes narrow some actions further). */
type Grants = (env: EnvironmentScope, action: string) => ScopeGrant[];

export type Scope =
  | { readonly kind: 'names'; readonly grants: Grants }
  | { readonly kind: 'tags' }
  | { readonly kind: 'fixed'; readonly grants: Grants; readonly why: string }
  | { readonly kind: 'account'; readonly why: string }
  | { readonly kind: 'none'; readonly why: string };

/** Who a statement serves: the CI roles that deploy the stack, or the environment's own roles (the boundary). */
export type Purpose = 'deploy' | 'workload';

const namesOf = (env: EnvironmentScope, ...rules: NameRule[]) => env.names.filter((n) => rules.includes(n.rule));

/** ARNs of the environment's names of `rules`, built by `arn`. */
function named(rules: readonly NameRule[], arn: (n: GeneratedName) => string | readonly string[]): Scope {
  return { kind: 'names', grants: (env) => [{ resources: [...new Set(namesOf(env, ...rules).flatMap((n) => arn(n)))] }] };
}

const TAGS: Scope = { kind: 'tags' };

/** The tag RDS puts on the secret of a database's managed master password: the database's ARN. */
export const RDS_SECRET_TAG = 'aws:rds:primaryDBInstanceArn';

/** The secrets of the environment: those its stack names, and the one RDS keeps its database's password in. */
function secrets(purpose: Purpose): Scope {
  return {
    kind: 'names',
    grants: (env, action) => {
      const own = namesOf(env, rule.SECRETS_MANAGER_SECRET).map(
        (n) => `arn:aws:secretsmanager:${n.region}:${n.accountId}:secret:${n.value}-??????`,
      );
      const database = `arn:aws:rds:${env.region}:${env.accountId}:db:${env.databaseName}`;
      // A deploy reads the value only of a secret its stack writes; never the database's password.
      if (purpose === 'deploy' && action === 'secretsmanager:GetSecretValue') return own.length > 0 ? [{ resources: own }] : [];
      const grants: ScopeGrant[] = [
        // RDS names the secret itself (rds!db-<uuid>) and tags it with its database's ARN, a tag no caller may
        // set (the aws: prefix is AWS's): the tag ties each environment to its own database's secret.
        {
          resources: [`arn:aws:secretsmanager:${env.region}:${env.accountId}:secret:rds!*`],
          condition: { StringEquals: { [`aws:ResourceTag/${RDS_SECRET_TAG}`]: database } },
        },
      ];
      if (own.length > 0) grants.push({ resources: own });
      if (purpose === 'workload')
        grants.push({ resources: [`arn:aws:secretsmanager:${env.region}:${env.accountId}:secret:${env.secretPrefix}/*`] });
      return grants;
    },
  };
}

/** The log groups an environment's own roles write (see WORKLOAD_SCOPES). */
const workloadLogGroups = (env: EnvironmentScope) =>
  [names.flowLogGroup(env.prefix), `/${env.prefix}/*`, 'RDSOSMetrics'].map(
    (g) => `arn:aws:logs:${env.region}:${env.accountId}:log-group:${g}`,
  );

const logGroupArns = (n: GeneratedName) => {
  const arn = `arn:aws:logs:${n.region}:${n.accountId}:log-group:${n.value}`;
  return [arn, `${arn}:*`];
};

/** The scope of each resource type the platform's stacks hold, for `purpose`. */
export function scopeOf(key: string, purpose: Purpose): Scope | undefined {
  if (purpose === 'workload' && key in WORKLOAD_SCOPES) return WORKLOAD_SCOPES[key];
  return SCOPES[key];
}

const SCOPES: Readonly<Record<string, Scope>> = {
  // ---- by name ----
  's3:bucket': named([rule.S3_BUCKET], (n) => `arn:aws:s3:::${n.value}`),
  'iam:role': named([rule.IAM_ROLE], (n) => `arn:aws:iam::${n.accountId}:role/${n.value}`),
  'iam:instance-profile': named([rule.IAM_INSTANCE_PROFILE], (n) => `arn:aws:iam::${n.accountId}:instance-profile/${n.value}`),
  'logs:log-group': named([rule.LOG_GROUP], logGroupArns),
  'logs:log-stream': named([rule.LOG_GROUP], (n) => `arn:aws:logs:${n.region}:${n.accountId}:log-group:${n.value}:log-stream:*`),
  'logs:delivery-source': named([rule.LOG_DELIVERY_SOURCE], (n) => `arn:aws:logs:${n.region}:${n.accountId}:delivery-source:${n.value}`),
  'logs:delivery-destination': named(
    [rule.LOG_DELIVERY_DESTINATION],
    (n) => `arn:aws:logs:${n.region}:${n.accountId}:delivery-destination:${n.value}`,
  ),
  // A delivery is named by CloudWatch Logs (an id), but takes tags.
  'logs:delivery': TAGS,
  'elasticloadbalancing:loadbalancer': named(
    [rule.LOAD_BALANCER],
    (n) => `arn:aws:elasticloadbalancing:${n.region}:${n.accountId}:loadbalancer/app/${n.value}/*`,
  ),
  'elasticloadbalancing:loadbalancer/app/': named(
    [rule.LOAD_BALANCER],
    (n) => `arn:aws:elasticloadbalancing:${n.region}:${n.accountId}:loadbalancer/app/${n.value}/*`,
  ),
  'elasticloadbalancing:listener/app': named(
    [rule.LOAD_BALANCER],
    (n) => `arn:aws:elasticloadbalancing:${n.region}:${n.accountId}:listener/app/${n.value}/*/*`,
  ),
  'elasticloadbalancing:listener-rule/app': named(
    [rule.LOAD_BALANCER],
    (n) => `arn:aws:elasticloadbalancing:${n.region}:${n.accountId}:listener-rule/app/${n.value}/*/*/*`,
  ),
  'elasticloadbalancing:targetgroup': named(
    [rule.TARGET_GROUP],
    (n) => `arn:aws:elasticloadbalancing:${n.region}:${n.accountId}:targetgroup/${n.value}/*`,
  ),
  'wafv2:loadbalancer/app/': named(
    [rule.LOAD_BALANCER],
    (n) => `arn:aws:elasticloadbalancing:${n.region}:${n.accountId}:loadbalancer/app/${n.value}/*`,
  ),
  'autoscaling:autoScalingGroup': named(
    [rule.AUTO_SCALING_GROUP],
    (n) => `arn:aws:autoscaling:${n.region}:${n.accountId}:autoScalingGroup:*:autoScalingGroupName/${n.value}`,
  ),
  'ecr:repository': named([rule.ECR_REPOSITORY], (n) => `arn:aws:ecr:${n.region}:${n.accountId}:repository/${n.value}`),
  'rds:db': named([rule.DB_INSTANCE], (n) => `arn:aws:rds:${n.region}:${n.accountId}:db:${n.value}`),
  'rds:pg': named([rule.DB_PARAMETER_GROUP], (n) => `arn:aws:rds:${n.region}:${n.accountId}:pg:${n.value}`),
  'rds:subgrp': named([rule.DB_SUBNET_GROUP], (n) => `arn:aws:rds:${n.region}:${n.accountId}:subgrp:${n.value}`),
  'rds:snapshot': named([rule.DB_SNAPSHOT], (n) => `arn:aws:rds:${n.region}:${n.accountId}:snapshot:${n.value}`),
  'cloudwatch:alarm': named([rule.ALARM], (n) => `arn:aws:cloudwatch:${n.region}:${n.accountId}:alarm:${n.value}`),
  // Dashboards are global: their ARN has no region.
  'cloudwatch:dashboard': named([rule.DASHBOARD], (n) => `arn:aws:cloudwatch::${n.accountId}:dashboard/${n.value}`),
  'sns:topic': named([rule.SNS_TOPIC], (n) => `arn:aws:sns:${n.region}:${n.accountId}:${n.value}`),
  'wafv2:webacl': named([rule.WAF_WEB_ACL, rule.WAF_WEB_ACL_CLOUDFRONT], (n) =>
    n.rule === rule.WAF_WEB_ACL_CLOUDFRONT
      ? `arn:aws:wafv2:${CLOUDFRONT_REGION}:${n.accountId}:global/webacl/${n.value}/*`
      : `arn:aws:wafv2:${n.region}:${n.accountId}:regional/webacl/${n.value}/*`,
  ),
  'wafv2:ipset': named([rule.WAF_IP_SET_CLOUDFRONT], (n) => `arn:aws:wafv2:${CLOUDFRONT_REGION}:${n.accountId}:global/ipset/${n.value}/*`),
  'kms:alias': named([rule.KMS_ALIAS], (n) => `arn:aws:kms:${n.region}:${n.accountId}:${n.value}`),
  'cloudfront:function': named([rule.CLOUDFRONT_FUNCTION], (n) => `arn:aws:cloudfront::${n.accountId}:function/${n.value}`),
  'secretsmanager:Secret': secrets('deploy'),

  // ---- by tags: what the service names itself ----
  'ec2:vpc': TAGS,
  'ec2:subnet': TAGS,
  'ec2:route-table': TAGS,
  'ec2:internet-gateway': TAGS,
  'ec2:natgateway': TAGS,
  'ec2:elastic-ip': TAGS,
  'ec2:security-group': TAGS,
  'ec2:security-group-rule': TAGS,
  'ec2:vpc-endpoint': TAGS,
  'ec2:vpc-flow-log': TAGS,
  'ec2:launch-template': TAGS,
  'ec2:instance': TAGS,
  'ec2:volume': TAGS,
  'ec2:network-interface': TAGS,
  'kms:key': TAGS,
  'acm:certificate': TAGS,
  'cloudfront:distribution': TAGS,
  'cloudfront:vpcorigin': TAGS,

  // ---- AWS's, or the config's ----
  'ec2:image': {
    kind: 'fixed',
    why: "An instance is launched from the image its launch template names — a template of the environment's (its tags), so the image its stack chose: the pinned one, or the one AWS's public SSM parameter names; an image is never changed.",
    grants: (env) => [{ resources: env.images.arns }],
  },
  'ec2:prefix-list': {
    kind: 'fixed',
    why: "AWS-managed prefix lists (S3's gateway endpoint, CloudFront's origin-facing servers) that security group rules name; AWS owns them.",
    grants: (env) => [{ resources: [`arn:aws:ec2:${env.region}:aws:prefix-list/*`] }],
  },
  'rds:og': {
    kind: 'fixed',
    why: "RDS authorizes a create or modify on the option group too: the database uses AWS's default option group of its engine (og:default:…), which nobody can change.",
    grants: (env) => [{ resources: [`arn:aws:rds:${env.region}:${env.accountId}:og:default:*`] }],
  },
  'wafv2:managedruleset': {
    kind: 'fixed',
    why: "A web ACL that names AWS managed rule groups is authorized on them too: they are AWS's, used and never changed.",
    grants: (env) =>
      env.regionsOf('wafv2').map((r) => ({
        resources: [`arn:aws:wafv2:${r}:*:${r === CLOUDFRONT_REGION && r !== env.region ? 'global' : 'regional'}/managedruleset/*/*`],
      })),
  },
  'route53:hostedzone': {
    kind: 'fixed',
    why: "The hosted zones are the config's (https.hostedZoneId, frontends[].hostedZoneId); records are written only under the environment's own names.",
    grants: (env, action) =>
      env.hostedZones.map((z) => ({
        resources: [`arn:aws:route53:::hostedzone/${z.id}`],
        // Route 53 developer guide, "Using IAM policy conditions for fine-grained access control": the
        // normalized names of every record a change writes must be the environment's (and their ACM
        // validation records, _<token>.<name>).
        condition:
          action === 'route53:ChangeResourceRecordSets'
            ? {
                'ForAllValues:StringLike': {
                  'route53:ChangeResourceRecordSetsNormalizedRecordNames': z.recordNames.flatMap((n) => [n, `_*.${n}`]),
                },
              }
            : undefined,
      })),
  },
  'route53:change': {
    kind: 'account',
    why: 'Route 53 names a change by an id it draws (GetChange, to wait for a record change); the ARN says nothing of whose change it is (Route 53 developer guide, "Resource types defined by Amazon Route 53").',
  },
  'ssm:parameter': {
    kind: 'fixed',
    why: "The AMI's public SSM parameter (an AWS parameter, read when a deploy is planned).",
    grants: (env) => (env.planParameters.length === 0 ? [] : [{ resources: env.planParameters }]),
  },
  // The SSM agent (AmazonSSMManagedInstanceCore) reads AWS's documents and the account's, and reports the
  // state of the associations that target its instance.
  'ssm:document': {
    kind: 'fixed',
    why: "The SSM agent reads the documents it runs: AWS's (no account in their ARN) and the account's own.",
    grants: (env) => [{ resources: [`arn:aws:ssm:${env.region}::document/*`, `arn:aws:ssm:${env.region}:${env.accountId}:document/*`] }],
  },
  'ssm:association': {
    kind: 'account',
    why: 'An association is named by an id SSM draws and its ARN says nothing of the instances it targets; the agent only reports the status of its own instance\'s (Service Authorization Reference, "Resource types defined by AWS Systems Manager").',
  },
  'elasticloadbalancing:listener/net': { kind: 'none', why: 'The platform makes no network load balancer.' },
  'elasticloadbalancing:listener/gwy': { kind: 'none', why: 'The platform makes no gateway load balancer.' },
  'elasticloadbalancing:listener-rule/net': { kind: 'none', why: 'The platform makes no network load balancer.' },
  'cloudfront:origin-access-control': {
    kind: 'account',
    why: 'An origin access control is named by an id CloudFront draws and takes no tags: no IAM condition tells one environment\'s from another\'s (Service Authorization Reference, "Resource types defined by Amazon CloudFront": no condition keys for origin-access-control).',
  },
  'cloudfront:response-headers-policy': {
    kind: 'account',
    why: 'A response headers policy is named by an id CloudFront draws and takes no tags: no IAM condition tells one environment\'s from another\'s (Service Authorization Reference, "Resource types defined by Amazon CloudFront": no condition keys for response-headers-policy).',
  },
};

/** Where the environment's own roles (the boundary) reach further than its deploy role, or less far. */
const WORKLOAD_SCOPES: Readonly<Record<string, Scope>> = {
  // The log groups the environment's own roles write: the flow logs', those the CloudWatch agent and the
  // application make under /<prefix>/, and RDSOSMetrics, the one log group per account and region where RDS
  // enhanced monitoring writes every database's metrics (RDS user guide, "Setting up and enabling Enhanced
  // Monitoring": its name is fixed). The other log groups of the stack are written by AWS services (WAF,
  // CloudFront, RDS log exports) through their own delivery, never by a role of the environment.
  'logs:log-group': {
    kind: 'names',
    grants: (env) => [{ resources: workloadLogGroups(env).flatMap((g) => [g, `${g}:*`]) }],
  },
  'logs:log-stream': {
    kind: 'names',
    grants: (env) => [{ resources: workloadLogGroups(env).map((g) => `${g}:log-stream:*`) }],
  },
  // The objects of the environment's uploads bucket: its other buckets hold logs AWS writes and the front-ends'
  // files, which deploys publish; no role of the environment touches them.
  's3:object': {
    kind: 'names',
    grants: (env) => [
      {
        resources: namesOf(env, rule.S3_BUCKET)
          .filter((n) => n.value === names.uploadsBucket(env.prefix, n.accountId, n.region))
          .map((n) => `arn:aws:s3:::${n.value}/*`),
      },
    ],
  },
  'secretsmanager:Secret': secrets('workload'),
  // The release's parameters (config: application.secrets, under `<project>/<env>/`) and the AMI's.
  'ssm:parameter': {
    kind: 'fixed',
    why: "The application's parameters, under <project>/<env>/, and the AMI's public parameter.",
    grants: (env) => [
      {
        resources: [
          `arn:aws:ssm:${env.region}:${env.accountId}:parameter/${env.secretPrefix}/*`,
          ...env.planParameters,
          // The CloudWatch agent's configuration of the environment (AmazonCloudWatch-<prefix>…).
          `arn:aws:ssm:${env.region}:${env.accountId}:parameter/AmazonCloudWatch-${env.prefix}*`,
        ],
      },
    ],
  },
  'ecr:repository': {
    kind: 'names',
    grants: (env) => [
      {
        resources: [
          ...namesOf(env, rule.ECR_REPOSITORY).map((n) => `arn:aws:ecr:${n.region}:${n.accountId}:repository/${n.value}`),
          ...env.externalRepositories,
        ],
      },
    ],
  },
};
