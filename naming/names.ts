/**
 * Every name the stacks give an AWS resource, in one place. The constructs call these functions; the config
 * validation calls `environmentNameList` / `stateNameList`, which list the same names with their AWS rules, so a
 * config whose names would not fit is refused before anything is built. A test checks every name in the
 * synthesized JSON against its rule and against these lists (__tests__/naming.tf.test.ts).
 */
import {
  CLOUDFRONT_REGION,
  EDGE_MANAGED_RULE_GROUPS,
  ENGINES,
  regionalRuleGroups,
  parameterFamily,
  type DbEngine,
} from '../config/catalog';
import { apiBehindEdge } from '../config/edge';
import * as rule from './rules';
import type { NameRule } from './rules';
import type { PlatformConfig } from '../config/types';

/** The bootstrap stack is `<project>-state`. */
export const STATE_STACK_SUFFIX = 'state';

/** A generated name, the AWS rule it must meet, and the config fields it is made of. */
export interface GeneratedName {
  /** What the name is for, for messages: `bucket of the load balancer's access logs`. */
  readonly what: string;
  readonly rule: NameRule;
  readonly value: string;
  /** Account and region the name lives in (uniqueness is checked per `rule.unique`). */
  readonly accountId: string;
  readonly region: string;
  /**
   * The config fields a user can change to fix the name: the project and/or environment name (`name`), or a
   * field that is the name itself (`state.bucket`).
   */
  readonly fields: readonly string[];
}

/** Resource name prefix of an environment: `<project>-<env>` (`web-prod`), also its stack name. */
export const prefixOf = (project: string, environment: string): string => `${project}-${environment}`;
export const webStackName = (project: string, environment: string): string => prefixOf(project, environment);
export const stateStackName = (project: string): string => `${project}-${STATE_STACK_SUFFIX}`;

/** Name functions of the environment stacks; each takes the environment prefix (`web-prod`). */
export const names = {
  dataKeyAlias: (prefix: string) => `alias/${prefix}-data`,
  flowLogGroup: (prefix: string) => `/aws/vpc/${prefix}/flow-logs`,
  flowLogRole: (prefix: string) => `${prefix}-vpc-flow-logs`,
  /** `alb`, `app` or `db`. */
  securityGroup: (prefix: string, tier: 'alb' | 'app' | 'db') => `${prefix}-${tier}`,
  loadBalancer: (prefix: string) => `${prefix}-alb`,
  targetGroup: (prefix: string) => `${prefix}-app`,
  albLogBucket: (prefix: string, accountId: string, region: string) => `${prefix}-alb-logs-${accountId}-${region}`,
  serverAccessLogBucket: (prefix: string, accountId: string, region: string) => `${prefix}-s3-access-logs-${accountId}-${region}`,
  uploadsBucket: (prefix: string, accountId: string, region: string) => `${prefix}-uploads-${accountId}-${region}`,
  /** Instance role, instance profile, launch template and auto scaling group share it. */
  appServers: (prefix: string) => `${prefix}-app`,
  /** Log groups the CloudWatch agent may write: `/<prefix>/…`. */
  agentLogGroupPrefix: (prefix: string) => `/${prefix}/`,
  /** The application's log group (container mode, awslogs driver): under the agent's prefix. */
  appLogGroup: (prefix: string) => `/${prefix}/app`,
  /** The ECR repository of the environment's releases. */
  containerRepository: (prefix: string) => `${prefix}-app`,
  /** Security group of the interface VPC endpoints. */
  endpointsSecurityGroup: (prefix: string) => `${prefix}-endpoints`,
  dbInstance: (prefix: string) => `${prefix}-db`,
  dbFinalSnapshot: (prefix: string) => `${prefix}-db-final`,
  dbSubnetGroup: (prefix: string) => `${prefix}-data`,
  dbParameterGroup: (prefix: string, family: string) => `${prefix}-${family.replace('.', '-')}`,
  dbLogGroup: (prefix: string, log: string) => `/aws/rds/instance/${prefix}-db/${log}`,
  dbMonitoringRole: (prefix: string) => `${prefix}-rds-monitoring`,
  webAcl: (prefix: string) => `${prefix}-web`,
  wafMetric: (prefix: string, metric: string) => `${prefix}-${metric}`,
  /** WAF requires the `aws-waf-logs-` prefix. */
  wafLogGroup: (prefix: string) => `aws-waf-logs-${prefix}`,
  alertsTopic: (prefix: string) => `${prefix}-alerts`,
  alertsDisplayName: (prefix: string) => `${prefix} alerts`,
  /** The environment's CloudWatch dashboard (one per account and name: dashboards are global). */
  dashboard: (prefix: string) => `${prefix}-overview`,
  /** Where the CloudWatch console shows dashboard `name` of `region`. */
  dashboardUrl: (region: string, name: string) =>
    `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards/dashboard/${name}`,
  /** Alarm of construct id `id` (`cpu_high` → `web-prod-cpu-high`). */
  alarm: (prefix: string, id: string) => `${prefix}-${id.replace(/_/g, '-')}`,
  scalingPolicy: (prefix: string, what: 'target' | 'scale-out' | 'scale-in') => `${prefix}-cpu-${what}`,
  /** Bucket a front-end is published to (`npm run publish` finds it by this name). */
  frontendBucket: (prefix: string, frontend: string, accountId: string, region: string) =>
    `${prefix}-${frontend}-frontend-${accountId}-${region}`,
  /** Origin access control, response headers policy, SPA routing function and edge web ACL of a front-end. */
  originAccessControl: (prefix: string, frontend: string) => `${prefix}-${frontend}`,
  responseHeadersPolicy: (prefix: string, frontend: string) => `${prefix}-${frontend}-headers`,
  spaRoutingFunction: (prefix: string, frontend: string) => `${prefix}-${frontend}-spa-routes`,
  frontendWebAcl: (prefix: string, frontend: string) => `${prefix}-${frontend}-edge`,
  frontendIpSet: (prefix: string, frontend: string) => `${prefix}-${frontend}-allowed`,
  /** WAF requires the `aws-waf-logs-` prefix; in us-east-1 with the web ACL. */
  frontendWafLogGroup: (prefix: string, frontend: string) => `aws-waf-logs-${prefix}-${frontend}-edge`,
  /** CloudFront access logs (standard logging v2 to CloudWatch Logs, us-east-1). */
  frontendAccessLogGroup: (prefix: string, frontend: string) => `/aws/cloudfront/${prefix}/${frontend}`,
  frontendLogDelivery: (prefix: string, frontend: string) => `${prefix}-${frontend}-access-logs`,
  distributionComment: (prefix: string, frontend: string) => `${prefix} front-end ${frontend}`,
  /** Key of the edge's log groups in us-east-1. */
  edgeKeyAlias: (prefix: string) => `alias/${prefix}-edge`,
  /** The CloudFront VPC origin of the internal load balancer, shared by the distributions of the environment. */
  vpcOrigin: (prefix: string) => `${prefix}-api`,
  /** `Name` tag of a resource: the prefix, or the prefix and a suffix. */
  nameTag: (prefix: string, ...parts: string[]) => [prefix, ...parts].join('-'),
};

/**
 * The SSM parameter a release reads, `/<project>/<env>/<name>`: `name` is relative to the environment's prefix,
 * written with or without a leading "/" (SSM names are customarily written with one), never with two.
 */
export const releaseParameterName = (secretPrefix: string, name: string): string => `/${secretPrefix}/${name.replace(/^\/+/, '')}`;

/**
 * The ARN of SSM parameter `name` (`/a/b` or `a`): `arn:aws:ssm:<region>:<account>:parameter/a/b`. The ARN
 * joins `parameter/` and the name without its leading "/"; AWS's public parameters have an empty account.
 */
export const ssmParameterArn = (region: string, accountId: string, name: string): string =>
  `arn:aws:ssm:${region}:${accountId}:parameter/${name.replace(/^\//, '')}`;

/**
 * The concerns a CI role's customer managed policies are split by (`<project>-ci-deploy-<env>-<concern>`); a
 * concern too large for one policy continues in `<concern>2`, `<concern>3` (modules/ci-roles/policies.ts).
 */
export const CI_POLICY_CONCERNS = ['network', 'compute', 'data', 'identity', 'operations', 'edge', 'state', 'read'] as const;
/** How many policies one concern may take (a synth error past it names the limit). */
export const CI_POLICY_PARTS_PER_CONCERN = 3;

/** Name functions of the bootstrap stack; each takes the project name. */
export const stateStackNames = {
  keyAlias: (project: string) => `alias/${project}-tfstate`,
  accessLogBucket: (project: string, accountId: string, region: string) => `${project}-tfstate-logs-${accountId}-${region}`,
  /** The read-only role of an environment's CI plans (pull requests, the main branch, drift): `web-ci-plan-prod`. */
  ciPlanRole: (project: string, environment: string) => `${project}-ci-plan-${environment}`,
  /** The deploy role of one environment: `web-ci-deploy-prod`. */
  ciDeployRole: (project: string, environment: string) => `${project}-ci-deploy-${environment}`,
  /** One part of an environment's plan role: `web-ci-plan-prod-read`. */
  ciPlanPolicy: (project: string, environment: string, part: string) => `${project}-ci-plan-${environment}-${part}`,
  /** The permissions boundary of an environment's roles (the deploy role may make no other): `web-ci-boundary-prod`. */
  ciBoundaryPolicy: (project: string, environment: string) => `${project}-ci-boundary-${environment}`,
  /** One part of an environment's deploy role: `web-ci-deploy-prod-network`. */
  ciDeployPolicy: (project: string, environment: string, part: string) => `${project}-ci-deploy-${environment}-${part}`,
  /** The bootstrap stack of the CI identities of an account other than the state's: `web-ci-222222222222`. */
  ciAccountStack: (project: string, accountId: string) => `${project}-ci-${accountId}`,
};

/** Object key of a stack's state in the s3 backend: `<project>/<scope>/<stack>.tfstate`. */
export const stateObjectKey = (project: string, scope: string, stackName: string): string => `${project}/${scope}/${stackName}.tfstate`;
/** PostgreSQL schema of a stack in the pg backend: `web-dev` → `web_dev`. */
export const pgSchemaName = (stackName: string): string => stackName.replace(/-/g, '_');

/** Inline IAM policy names (fixed, but listed so the check covers every name). */
export const INLINE_POLICIES = {
  flowLogs: 'deliver-to-flow-log-group',
  monitoring: 'publish-enhanced-monitoring',
  metrics: 'publish-metrics',
  databaseSecret: 'read-database-secret',
  uploads: 'use-uploads-bucket',
  releaseSecrets: 'read-release-secrets',
  pullImage: 'pull-release-image',
} as const;

/** Construct ids of the alarms, which name them (`names.alarm`). */
export const ALARM_IDS = {
  service: ['unhealthy_hosts', 'load_balancer_5xx', 'target_5xx', 'database_cpu', 'database_free_storage'],
  stepScaling: ['cpu_high', 'cpu_low'],
  /** The service alarms whose ALARM state rolls a release back. */
  rollback: ['unhealthy_hosts', 'load_balancer_5xx', 'target_5xx'],
} as const;

/** WAF rules besides the managed groups (their names are metric names too). */
export const RATE_LIMIT_RULE = 'rate-limit-per-ip';
/** The edge web ACL rule that blocks addresses outside a front-end's allow-list. */
export const ALLOW_LIST_RULE = 'outside-allow-list';
/** The edge web ACL rule that refuses the API paths other front-ends have to themselves. */
export const OTHER_FRONTENDS_API_RULE = 'api-of-other-frontends';
/**
 * Header each distribution adds to the requests it sends the API, naming its front-end (not a secret: only our
 * distributions reach the internal load balancer, and CloudFront overwrites a viewer's header of that name).
 */
export const FRONTEND_HEADER = 'X-Platform-Frontend';

/** What an environment's names depend on: validated fields only. */
export interface EnvironmentNaming {
  readonly project: string;
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
  readonly availabilityZones: readonly string[];
  readonly database: { readonly engine: DbEngine; readonly engineVersion: string };
  readonly compute: { readonly scaling: 'step' | 'targetTracking' };
  readonly webFirewall: { readonly enabled: boolean };
  readonly backend: { readonly kind: string };
  readonly https?: { readonly domainName: string };
  readonly uploads?: unknown;
  readonly application?: {
    readonly kind: string;
    readonly image?: { readonly repository?: string };
    readonly secrets?: Readonly<Record<string, unknown>>;
  };
  readonly natGateways?: string;
  readonly interfaceEndpoints?: boolean;
  readonly frontends?: readonly { readonly name: string; readonly domainName?: string; readonly allowedIpRanges?: readonly string[] }[];
  readonly edge?: { readonly api?: boolean };
}

/** Every name the stack of environment `env` generates, with its rule. */
export function environmentNameList(env: EnvironmentNaming): GeneratedName[] {
  const prefix = prefixOf(env.project, env.name);
  const { accountId, region } = env;
  const own = ['project', 'name'];
  const list: GeneratedName[] = [];
  const add = (what: string, r: NameRule, value: string) => list.push({ what, rule: r, value, accountId, region, fields: own });

  add('KMS key alias', rule.KMS_ALIAS, names.dataKeyAlias(prefix));
  add('VPC flow log group', rule.LOG_GROUP, names.flowLogGroup(prefix));
  add('VPC flow log role', rule.IAM_ROLE, names.flowLogRole(prefix));
  for (const tier of ['alb', 'app', 'db'] as const) add(`${tier} security group`, rule.SECURITY_GROUP, names.securityGroup(prefix, tier));
  add('load balancer', rule.LOAD_BALANCER, names.loadBalancer(prefix));
  add('target group', rule.TARGET_GROUP, names.targetGroup(prefix));
  add("bucket of the load balancer's access logs", rule.S3_BUCKET, names.albLogBucket(prefix, accountId, region));
  add('bucket of the S3 server access logs', rule.S3_BUCKET, names.serverAccessLogBucket(prefix, accountId, region));
  if (env.uploads !== undefined) add('uploads bucket', rule.S3_BUCKET, names.uploadsBucket(prefix, accountId, region));
  add('app servers role', rule.IAM_ROLE, names.appServers(prefix));
  add('app servers instance profile', rule.IAM_INSTANCE_PROFILE, names.appServers(prefix));
  add('launch template', rule.LAUNCH_TEMPLATE, names.appServers(prefix));
  add('auto scaling group', rule.AUTO_SCALING_GROUP, names.appServers(prefix));
  add('database instance', rule.DB_INSTANCE, names.dbInstance(prefix));
  add('final database snapshot', rule.DB_SNAPSHOT, names.dbFinalSnapshot(prefix));
  add('database subnet group', rule.DB_SUBNET_GROUP, names.dbSubnetGroup(prefix));
  const family = parameterFamily(env.database.engine, env.database.engineVersion);
  if (family) add('database parameter group', rule.DB_PARAMETER_GROUP, names.dbParameterGroup(prefix, family));
  for (const log of ENGINES[env.database.engine].logExports)
    add(`database ${log} log group`, rule.LOG_GROUP, names.dbLogGroup(prefix, log));
  add('database monitoring role', rule.IAM_ROLE, names.dbMonitoringRole(prefix));
  const behindEdge = apiBehindEdge({ frontends: env.frontends ?? [], https: env.https, edge: env.edge ?? {} });
  if (env.webFirewall.enabled) {
    add('web ACL', rule.WAF_WEB_ACL, names.webAcl(prefix));
    add('WAF log group', rule.LOG_GROUP, names.wafLogGroup(prefix));
    for (const metric of [...regionalRuleGroups(behindEdge), ...(behindEdge ? [] : [RATE_LIMIT_RULE]), 'web'])
      add('WAF metric', rule.WAF_METRIC, names.wafMetric(prefix, metric));
  }
  add('alerts topic', rule.SNS_TOPIC, names.alertsTopic(prefix));
  add('alerts topic display name', rule.SNS_DISPLAY_NAME, names.alertsDisplayName(prefix));
  const alarms = env.compute.scaling === 'step' ? [...ALARM_IDS.service, ...ALARM_IDS.stepScaling] : ALARM_IDS.service;
  for (const id of alarms) add('alarm', rule.ALARM, names.alarm(prefix, id));
  add('CloudWatch dashboard', rule.DASHBOARD, names.dashboard(prefix));
  const policies = env.compute.scaling === 'step' ? (['scale-out', 'scale-in'] as const) : (['target'] as const);
  for (const what of policies) add('scaling policy', rule.SCALING_POLICY, names.scalingPolicy(prefix, what));
  const container = env.application?.kind === 'container' ? env.application : undefined;
  const ownRepository = container?.image?.repository === undefined;
  const policyUsed: Record<keyof typeof INLINE_POLICIES, boolean> = {
    flowLogs: true,
    monitoring: true,
    metrics: true,
    databaseSecret: true,
    uploads: env.uploads !== undefined,
    releaseSecrets: Object.keys(container?.secrets ?? {}).length > 0,
    pullImage: container !== undefined && (ownRepository || rule.ECR_REPOSITORY_URL.test(container.image?.repository ?? '')),
  };
  for (const [use, name] of Object.entries(INLINE_POLICIES))
    if (policyUsed[use as keyof typeof INLINE_POLICIES]) add('inline IAM policy', rule.IAM_INLINE_POLICY, name);
  if (container) add('application log group', rule.LOG_GROUP, names.appLogGroup(prefix));
  if (ownRepository) add('ECR repository', rule.ECR_REPOSITORY, names.containerRepository(prefix));
  if (env.interfaceEndpoints || env.natGateways === 'none') {
    add('endpoints security group', rule.SECURITY_GROUP, names.endpointsSecurityGroup(prefix));
    add('Name tag', rule.TAG_VALUE, names.nameTag(prefix, 'endpoints'));
  }
  add('Name tag', rule.TAG_VALUE, names.nameTag(prefix, 's3-endpoint'));
  // Name tags: every tier's subnets and route tables, NAT gateways and their addresses, per zone.
  const zones = env.availabilityZones.map((az) => az.slice(-1));
  const tags = [
    prefix,
    ...['default-unused', 'public', 'data', 'flow-log', 'alb', 'app', 'db', 'web'].map((s) => names.nameTag(prefix, s)),
  ];
  for (const z of zones) tags.push(...['public', 'app', 'data', 'nat'].map((tier) => names.nameTag(prefix, tier, z)));
  for (const tag of tags) add('Name tag', rule.TAG_VALUE, tag);
  if (env.https) add('Name tag of the certificate', rule.TAG_VALUE, env.https.domainName);
  const frontends = env.frontends ?? [];
  if (frontends.length > 0) {
    const edge = (what: string, r: NameRule, value: string) =>
      list.push({ what, rule: r, value, accountId, region: CLOUDFRONT_REGION, fields: own });
    edge('edge key alias', rule.KMS_ALIAS, names.edgeKeyAlias(prefix));
    add('Name tag', rule.TAG_VALUE, names.nameTag(prefix, 'edge'));
    frontends.forEach((f, i) => {
      // A repeated front-end name is its own problem (validation names it), not a clash of generated names.
      if (frontends.findIndex((other) => other.name === f.name) !== i) return;
      const fields = ['project', 'name', `frontends.${i}.name`];
      const of = (what: string, r: NameRule, value: string, where = region) =>
        list.push({ what: `${what} of front-end "${f.name}"`, rule: r, value, accountId, region: where, fields });
      of('bucket', rule.S3_BUCKET, names.frontendBucket(prefix, f.name, accountId, region));
      of('origin access control', rule.CLOUDFRONT_ORIGIN_ACCESS_CONTROL, names.originAccessControl(prefix, f.name), CLOUDFRONT_REGION);
      of(
        'response headers policy',
        rule.CLOUDFRONT_RESPONSE_HEADERS_POLICY,
        names.responseHeadersPolicy(prefix, f.name),
        CLOUDFRONT_REGION,
      );
      of('SPA routing function', rule.CLOUDFRONT_FUNCTION, names.spaRoutingFunction(prefix, f.name), CLOUDFRONT_REGION);
      of('distribution comment', rule.CLOUDFRONT_COMMENT, names.distributionComment(prefix, f.name), CLOUDFRONT_REGION);
      of('edge web ACL', rule.WAF_WEB_ACL_CLOUDFRONT, names.frontendWebAcl(prefix, f.name), CLOUDFRONT_REGION);
      if (f.allowedIpRanges !== undefined) of('IP set', rule.WAF_IP_SET_CLOUDFRONT, names.frontendIpSet(prefix, f.name), CLOUDFRONT_REGION);
      const metrics = [
        ...EDGE_MANAGED_RULE_GROUPS,
        RATE_LIMIT_RULE,
        'web',
        ...(f.allowedIpRanges !== undefined ? [ALLOW_LIST_RULE] : []),
        ...(behindEdge && frontends.some((o) => o.name !== f.name && o.allowedIpRanges !== undefined) ? [OTHER_FRONTENDS_API_RULE] : []),
      ];
      for (const metric of metrics)
        of('edge WAF metric', rule.WAF_METRIC, names.wafMetric(names.frontendWebAcl(prefix, f.name), metric), CLOUDFRONT_REGION);
      of('edge WAF log group', rule.LOG_GROUP, names.frontendWafLogGroup(prefix, f.name), CLOUDFRONT_REGION);
      of('access log group', rule.LOG_GROUP, names.frontendAccessLogGroup(prefix, f.name), CLOUDFRONT_REGION);
      of('access log delivery source', rule.LOG_DELIVERY_SOURCE, names.frontendLogDelivery(prefix, f.name), CLOUDFRONT_REGION);
      of('access log delivery destination', rule.LOG_DELIVERY_DESTINATION, names.frontendLogDelivery(prefix, f.name), CLOUDFRONT_REGION);
      of('Name tag', rule.TAG_VALUE, names.nameTag(prefix, f.name));
      if (f.domainName !== undefined) of('Name tag of the certificate', rule.TAG_VALUE, f.domainName, CLOUDFRONT_REGION);
    });
    if (behindEdge) edge('VPC origin', rule.CLOUDFRONT_VPC_ORIGIN, names.vpcOrigin(prefix));
  }
  add('state object key', rule.S3_STATE_KEY, stateObjectKey(env.project, env.name, prefix));
  if (env.backend.kind === 'pg') add('pg backend schema', rule.PG_SCHEMA, pgSchemaName(prefix));
  if (env.backend.kind === 'cloud') add('HCP Terraform workspace', rule.CLOUD_WORKSPACE, prefix);
  return list;
}

/** What the bootstrap stack's names depend on. */
export interface StateNaming {
  readonly project: string;
  readonly accountId: string;
  readonly region: string;
  readonly bucket: string;
  readonly lockTable?: string;
  readonly ci?: unknown;
  /** Names of the environments (the CI roles and policies are per environment). @default - none */
  readonly environments?: readonly string[];
}

/** Every name the bootstrap stack generates or takes from the config, with its rule. */
export function stateNameList(state: StateNaming): GeneratedName[] {
  const { project, accountId, region } = state;
  const generated = (what: string, r: NameRule, value: string): GeneratedName => ({
    what,
    rule: r,
    value,
    accountId,
    region,
    fields: ['project'],
  });
  const list = [
    { what: 'state bucket', rule: rule.S3_BUCKET, value: state.bucket, accountId, region, fields: ['state.bucket'] },
    generated("bucket of the state bucket's access logs", rule.S3_BUCKET, stateStackNames.accessLogBucket(project, accountId, region)),
    generated('state key alias', rule.KMS_ALIAS, stateStackNames.keyAlias(project)),
    generated('state object key', rule.S3_STATE_KEY, stateObjectKey(project, STATE_STACK_SUFFIX, stateStackName(project))),
  ];
  if (state.lockTable !== undefined)
    list.push({ what: 'lock table', rule: rule.DYNAMODB_TABLE, value: state.lockTable, accountId, region, fields: ['state.lockTable'] });
  if (state.ci !== undefined) {
    for (const env of state.environments ?? []) {
      list.push(generated(`CI plan role of ${env}`, rule.IAM_ROLE, stateStackNames.ciPlanRole(project, env)));
      list.push(generated(`CI deploy role of ${env}`, rule.IAM_ROLE, stateStackNames.ciDeployRole(project, env)));
      list.push(generated(`permissions boundary of the roles of ${env}`, rule.IAM_POLICY, stateStackNames.ciBoundaryPolicy(project, env)));
      for (const concern of CI_POLICY_CONCERNS)
        for (let n = 1; n <= CI_POLICY_PARTS_PER_CONCERN; n++) {
          const part = n === 1 ? concern : `${concern}${n}`;
          list.push(generated(`policy of the CI plan role of ${env}`, rule.IAM_POLICY, stateStackNames.ciPlanPolicy(project, env, part)));
          list.push(
            generated(`policy of the CI deploy role of ${env}`, rule.IAM_POLICY, stateStackNames.ciDeployPolicy(project, env, part)),
          );
        }
    }
  }
  return list;
}

/** The accounts other than the state's that environments live in, in config order: a CI account stack each (with `state.ci`). */
export function ciAccountIds(config: Pick<PlatformConfig, 'state' | 'environments'>): string[] {
  const state = config.state;
  if (state?.ci === undefined) return [];
  return [...new Set(config.environments.map((e) => e.accountId))].filter((a) => a !== state.accountId);
}

/** Every stack of `config`, in the order `buildStacks` makes them: the bootstrap stack, the CI account stacks, the environments. */
export function platformStackNames(config: Pick<PlatformConfig, 'project' | 'state' | 'environments'>): string[] {
  return [
    ...(config.state ? [stateStackName(config.project)] : []),
    ...ciAccountIds(config).map((account) => stateStackNames.ciAccountStack(config.project, account)),
    ...config.environments.map((e) => webStackName(config.project, e.name)),
  ];
}
