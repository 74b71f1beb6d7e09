/**
 * The CI identities keep environments apart, decided by an IAM policy simulator (support/iam/simulate.ts)
 * over the synthesized stacks: for every ordered pair of configured environments (so an added environment is
 * covered without editing this file), what an attacker holding one environment's deploy role — or any role it
 * is able to create (the environment's boundary with an allow-everything policy) — tries against the other.
 * Every attack must be denied; where AWS gives no way to tell two environments' resources apart in one
 * account, the test asserts exactly that documented exception, and that one account per environment closes it.
 */
import { platform } from '../config/environments';
import type { EnvironmentConfig, PlatformConfig, PlatformInput } from '../config/types';
import { validateConfig } from '../config/validate';
import { environmentTags, names, prefixOf, stateObjectKey, stateStackName, stateStackNames, webStackName } from '../naming';
import { boundaryArn } from '../modules/ci-roles';
import { withAddedEnvironment } from './support/config';
import { ONE_ACCOUNT_PER_ENVIRONMENT } from './support/variants';
import {
  boundedPrincipal,
  bucketPolicyOf,
  decide,
  documentOf,
  knownValues,
  requestTags,
  resourceTags,
  rolePrincipal,
  type Principal,
  type SimRequest,
} from './support/iam/simulate';
import { synth, type StackJson } from './support/synth';

/** The configs the proof runs over: the shipped one, and one with an environment added. */
const CONFIGS: readonly [string, PlatformInput][] = [
  ['the shipped config', platform],
  ['an added environment', withAddedEnvironment(platform)],
  ['one account per environment', ONE_ACCOUNT_PER_ENVIRONMENT],
];

/** What the attacks need to know of one environment, all of it from the config and the names module. */
interface Env {
  readonly config: EnvironmentConfig;
  readonly name: string;
  readonly prefix: string;
  readonly account: string;
  readonly region: string;
  readonly tags: Record<string, string>;
  readonly stack: StackJson;
  readonly ciStack: StackJson;
  /** The state stack (the bucket and its policy). */
  readonly stateStack: StackJson;
  /** A resource of it, by kind: a made-up id (AWS draws them), the environment's tags on it. */
  readonly arn: (kind: string) => string;
}

function environmentsOf(config: PlatformConfig, stacks: Record<string, StackJson>): Env[] {
  return config.environments.map((e) => {
    const prefix = prefixOf(config.project, e.name);
    const a = `${e.region}:${e.accountId}`;
    const arns: Record<string, string> = {
      key: `arn:aws:kms:${a}:key/00000000-0000-4000-8000-${e.name.padEnd(12, '0').slice(0, 12)}`,
      'security-group': `arn:aws:ec2:${a}:security-group/sg-${e.name}`,
      subnet: `arn:aws:ec2:${a}:subnet/subnet-${e.name}`,
      'route-table': `arn:aws:ec2:${a}:route-table/rtb-${e.name}`,
      vpc: `arn:aws:ec2:${a}:vpc/vpc-${e.name}`,
      'launch-template': `arn:aws:ec2:${a}:launch-template/lt-${e.name}`,
      'rds-secret': `arn:aws:secretsmanager:${a}:secret:rds!db-${e.name}-AbCdEf`,
      'app-secret': `arn:aws:secretsmanager:${a}:secret:${config.project}/${e.name}/api-key-AbCdEf`,
      'app-parameter': `arn:aws:ssm:${a}:parameter/${config.project}/${e.name}/feature-flags`,
      database: `arn:aws:rds:${a}:db:${names.dbInstance(prefix)}`,
      'alb-log-bucket': `arn:aws:s3:::${names.albLogBucket(prefix, e.accountId, e.region)}`,
      role: `arn:aws:iam::${e.accountId}:role/${names.appServers(prefix)}`,
      listener: `arn:aws:elasticloadbalancing:${a}:listener/app/${names.loadBalancer(prefix)}/0123456789abcdef/fedcba9876543210`,
      group: `arn:aws:autoscaling:${a}:autoScalingGroup:00000000-0000-0000-0000-000000000000:autoScalingGroupName/${names.appServers(prefix)}`,
      'log-group': `arn:aws:logs:${a}:log-group:${names.flowLogGroup(prefix)}`,
      distribution: `arn:aws:cloudfront::${e.accountId}:distribution/E${e.name.toUpperCase()}`,
      'response-headers-policy': `arn:aws:cloudfront::${e.accountId}:response-headers-policy/00000000-${e.name}`,
    };
    return {
      config: e,
      name: e.name,
      prefix,
      account: e.accountId,
      region: e.region,
      tags: environmentTags(config.project, e.name),
      stack: stacks[webStackName(config.project, e.name)],
      // Its roles are in its own account: the state stack's, or the CI stack of that account.
      ciStack:
        stacks[
          e.accountId === config.state!.accountId
            ? stateStackName(config.project)
            : stateStackNames.ciAccountStack(config.project, e.accountId)
        ],
      stateStack: stacks[stateStackName(config.project)],
      arn: (kind) =>
        arns[kind] ??
        (() => {
          throw new Error(`no ${kind}`);
        })(),
    };
  });
}

/** The key policy of an environment's data key (the one in its region). */
function dataKeyPolicy(env: Env) {
  const values = knownValues(env.stack, env.account);
  const key = Object.values<any>(env.stack.resource.aws_kms_key).find((k) => !String(k.provider ?? '').includes('us_east_1'));
  return documentOf(key.policy, values);
}

const region = (env: Env) => ({ 'aws:RequestedRegion': env.region });
const ec2Tagged = (env: Env) => resourceTags(env.tags, true);

interface Attack {
  readonly name: string;
  /** The requests an attacker makes; the attack succeeds only when every one is allowed. */
  readonly requests: (attacker: Env, victim: Env, config: PlatformConfig) => SimRequest[];
}

/** What the holder of one environment's deploy role tries against another environment. */
const DEPLOY_ROLE_ATTACKS: readonly Attack[] = [
  {
    name: "read the other's database master secret",
    requests: (_a, v) => [
      {
        action: 'secretsmanager:GetSecretValue',
        resource: v.arn('rds-secret'),
        accountId: v.account,
        context: { ...region(v), 'aws:ResourceTag/aws:rds:primaryDBInstanceArn': v.arn('database') },
      },
    ],
  },
  {
    name: "read the other's application secrets",
    requests: (_a, v) => [
      { action: 'secretsmanager:GetSecretValue', resource: v.arn('app-secret'), accountId: v.account, context: region(v) },
    ],
  },
  {
    name: "rotate or delete the other's database master secret",
    requests: (_a, v) => [
      {
        action: 'secretsmanager:DeleteSecret',
        resource: v.arn('rds-secret'),
        accountId: v.account,
        context: { ...region(v), 'aws:ResourceTag/aws:rds:primaryDBInstanceArn': v.arn('database') },
      },
    ],
  },
  ...stateAttacks(),
  {
    name: "decrypt with the other's data key",
    requests: (_a, v) => [
      {
        action: 'kms:Decrypt',
        resource: v.arn('key'),
        accountId: v.account,
        context: { ...region(v), ...resourceTags(v.tags) },
        resourcePolicy: dataKeyPolicy(v),
      },
    ],
  },
  {
    name: "re-tag the other's data key as its own",
    requests: (a, v) => [
      {
        action: 'kms:TagResource',
        resource: v.arn('key'),
        accountId: v.account,
        context: { ...region(v), ...resourceTags(v.tags), ...requestTags({ Environment: a.name }) },
        resourcePolicy: dataKeyPolicy(v),
      },
    ],
  },
  {
    name: "take the Environment tag off the other's data key",
    requests: (_a, v) => [
      {
        action: 'kms:UntagResource',
        resource: v.arn('key'),
        accountId: v.account,
        context: { ...region(v), ...resourceTags(v.tags), 'aws:TagKeys': ['Environment'] },
        resourcePolicy: dataKeyPolicy(v),
      },
    ],
  },
  {
    name: "change the other's key policy or schedule its deletion",
    requests: (_a, v) => [
      {
        action: 'kms:PutKeyPolicy',
        resource: v.arn('key'),
        accountId: v.account,
        context: { ...region(v), ...resourceTags(v.tags) },
        resourcePolicy: dataKeyPolicy(v),
      },
    ],
  },
  {
    name: "open the other's security group",
    requests: (_a, v) => [
      {
        action: 'ec2:AuthorizeSecurityGroupIngress',
        resource: v.arn('security-group'),
        accountId: v.account,
        context: { ...region(v), ...ec2Tagged(v) },
      },
    ],
  },
  {
    name: "re-tag the other's security group as its own, then manage it",
    requests: (a, v) => [
      {
        action: 'ec2:CreateTags',
        resource: v.arn('security-group'),
        accountId: v.account,
        context: { ...region(v), ...ec2Tagged(v), ...requestTags({ Environment: a.name }) },
      },
    ],
  },
  {
    name: "take the tags off the other's security group",
    requests: (_a, v) => [
      {
        action: 'ec2:DeleteTags',
        resource: v.arn('security-group'),
        accountId: v.account,
        context: { ...region(v), ...ec2Tagged(v), 'aws:TagKeys': ['Project', 'Environment'] },
      },
    ],
  },
  {
    name: "start an instance from its own launch template in the other's app subnet and security group",
    requests: (a, v) =>
      [
        [v.arn('subnet'), ec2Tagged(v)],
        [v.arn('security-group'), ec2Tagged(v)],
        [a.arn('launch-template'), ec2Tagged(a)],
        [`arn:aws:ec2:${v.region}::image/ami-0123456789abcdef0`, { 'ec2:Owner': 'amazon' }],
        [`arn:aws:ec2:${v.region}:${v.account}:instance/(new)`, requestTags(a.tags)],
        [`arn:aws:ec2:${v.region}:${v.account}:volume/(new)`, requestTags(a.tags)],
        [`arn:aws:ec2:${v.region}:${v.account}:network-interface/(new)`, requestTags(a.tags)],
      ].map(([resource, context]) => ({
        action: 'ec2:RunInstances',
        resource: resource as string,
        accountId: v.account,
        context: { ...region(v), 'ec2:LaunchTemplate': a.arn('launch-template'), ...(context as Record<string, string>) },
      })),
  },
  {
    name: "add a route to the other's route table",
    requests: (_a, v) => [
      { action: 'ec2:CreateRoute', resource: v.arn('route-table'), accountId: v.account, context: { ...region(v), ...ec2Tagged(v) } },
    ],
  },
  {
    name: "put a VPC endpoint into the other's VPC",
    requests: (a, v) => [
      { action: 'ec2:CreateVpcEndpoint', resource: v.arn('vpc'), accountId: v.account, context: { ...region(v), ...ec2Tagged(v) } },
      {
        action: 'ec2:CreateVpcEndpoint',
        resource: `arn:aws:ec2:${v.region}:${v.account}:vpc-endpoint/(new)`,
        accountId: v.account,
        context: { ...region(v), ...requestTags(a.tags) },
      },
    ],
  },
  {
    name: "change the other's bucket policy",
    requests: (_a, v) => [{ action: 's3:PutBucketPolicy', resource: v.arn('alb-log-bucket'), accountId: v.account, context: region(v) }],
  },
  {
    name: "put a file into the other's front-end bucket",
    requests: (_a, v) =>
      v.config.frontends.map((f) => ({
        action: 's3:PutObject',
        resource: `arn:aws:s3:::${names.frontendBucket(v.prefix, f.name, v.account, v.region)}/index.html`,
        accountId: v.account,
        context: region(v),
      })),
  },
  {
    name: "write into the other's app role's policy",
    requests: (a, v) => [
      {
        action: 'iam:PutRolePolicy',
        resource: v.arn('role'),
        accountId: v.account,
        context: {
          'aws:RequestedRegion': 'us-east-1',
          'iam:PermissionsBoundary': boundaryArn(a.config === v.config ? '' : a.prefix.split('-')[0], a.account, a.name),
        },
      },
    ],
  },
  {
    name: "pass the other's app role to an instance",
    requests: (_a, v) => [
      {
        action: 'iam:PassRole',
        resource: v.arn('role'),
        accountId: v.account,
        context: { 'aws:RequestedRegion': 'us-east-1', 'iam:PassedToService': 'ec2.amazonaws.com' },
      },
    ],
  },
  {
    name: "change the other's listener",
    requests: (_a, v) => [
      { action: 'elasticloadbalancing:ModifyListener', resource: v.arn('listener'), accountId: v.account, context: region(v) },
    ],
  },
  {
    name: "start a release of the other's auto scaling group",
    requests: (_a, v) => [
      { action: 'autoscaling:StartInstanceRefresh', resource: v.arn('group'), accountId: v.account, context: region(v) },
    ],
  },
  {
    name: "delete the other's database",
    requests: (_a, v) => [{ action: 'rds:DeleteDBInstance', resource: v.arn('database'), accountId: v.account, context: region(v) }],
  },
  {
    name: "delete the other's flow log group",
    requests: (_a, v) => [{ action: 'logs:DeleteLogGroup', resource: v.arn('log-group'), accountId: v.account, context: region(v) }],
  },
  {
    name: "change the other's distribution",
    requests: (_a, v) => [
      {
        action: 'cloudfront:UpdateDistribution',
        resource: v.arn('distribution'),
        accountId: v.account,
        context: { 'aws:RequestedRegion': 'us-east-1', ...resourceTags(v.tags) },
      },
    ],
  },
  {
    name: "write a DNS record under the other's names",
    requests: (_a, v) =>
      [v.config.https?.domainName, ...v.config.frontends.map((f) => f.domainName)]
        .filter((d): d is string => d !== undefined)
        .flatMap((domain) =>
          [v.config.https?.hostedZoneId, ...v.config.frontends.map((f) => f.hostedZoneId)]
            .filter((z): z is string => z !== undefined)
            .map((zone) => ({
              action: 'route53:ChangeResourceRecordSets',
              resource: `arn:aws:route53:::hostedzone/${zone}`,
              accountId: v.account,
              context: {
                'aws:RequestedRegion': 'us-east-1',
                'route53:ChangeResourceRecordSetsNormalizedRecordNames': [domain],
                'route53:ChangeResourceRecordSetsRecordTypes': ['A'],
                'route53:ChangeResourceRecordSetsActions': ['UPSERT'],
              },
            })),
        ),
  },
];

/** The state of the other environment: read, write, lock, delete. */
function stateAttacks(): Attack[] {
  const object = (v: Env, config: PlatformConfig, suffix = '') =>
    `arn:aws:s3:::${config.state!.bucket}/${stateObjectKey(config.project, v.name, webStackName(config.project, v.name))}${suffix}`;
  const policy = (v: Env, config: PlatformConfig) => bucketPolicyOf(v.stateStack, config.state!.bucket, config.state!.accountId);
  const s3 =
    (action: string, suffix = ''): Attack['requests'] =>
    (_a, v, config) => [
      {
        action,
        resource: object(v, config, suffix),
        accountId: config.state!.accountId,
        context: region(v),
        resourcePolicy: policy(v, config),
      },
    ];
  return [
    { name: "read the other's Terraform state", requests: s3('s3:GetObject') },
    { name: "overwrite the other's Terraform state", requests: s3('s3:PutObject') },
    { name: "take the other's state lock", requests: s3('s3:PutObject', '.tflock') },
    { name: "delete the other's state or lock", requests: s3('s3:DeleteObject', '.tflock') },
  ];
}

/** What a role the attacker's deploy role creates (its environment's boundary, everything allowed) tries. */
const BOUNDED_ROLE_ATTACKS: readonly Attack[] = [
  DEPLOY_ROLE_ATTACKS.find((a) => a.name === "read the other's database master secret")!,
  DEPLOY_ROLE_ATTACKS.find((a) => a.name === "read the other's application secrets")!,
  ...stateAttacks(),
  DEPLOY_ROLE_ATTACKS.find((a) => a.name === "decrypt with the other's data key")!,
  DEPLOY_ROLE_ATTACKS.find((a) => a.name === "put a file into the other's front-end bucket")!,
  {
    name: "read the other's parameters",
    requests: (_a, v) => [{ action: 'ssm:GetParameter', resource: v.arn('app-parameter'), accountId: v.account, context: region(v) }],
  },
  {
    name: "read the other's access logs",
    requests: (_a, v) => [
      {
        action: 's3:GetObject',
        resource: `${v.arn('alb-log-bucket')}/alb/AWSLogs/${v.account}/x.log.gz`,
        accountId: v.account,
        context: region(v),
      },
    ],
  },
];

/** What a role may never do to its own permissions, whoever holds it. */
function selfAttacks(config: PlatformConfig, env: Env): { name: string; request: SimRequest }[] {
  const iam = { 'aws:RequestedRegion': 'us-east-1' };
  const deployRole = `arn:aws:iam::${env.account}:role/${stateStackNames.ciDeployRole(config.project, env.name)}`;
  const ownRole = `arn:aws:iam::${env.account}:role/${env.prefix}-escalate`;
  const boundary = boundaryArn(config.project, env.account, env.name);
  return [
    {
      name: 'attach AdministratorAccess to its own deploy role',
      request: {
        action: 'iam:AttachRolePolicy',
        resource: deployRole,
        accountId: env.account,
        context: { ...iam, 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess' },
      },
    },
    {
      name: 'write an inline policy into its own deploy role',
      request: { action: 'iam:PutRolePolicy', resource: deployRole, accountId: env.account, context: iam },
    },
    {
      name: "rewrite its own policies' versions",
      request: {
        action: 'iam:CreatePolicyVersion',
        resource: `arn:aws:iam::${env.account}:policy/${stateStackNames.ciDeployPolicy(config.project, env.name, 'network')}`,
        accountId: env.account,
        context: iam,
      },
    },
    {
      name: 'rewrite its permissions boundary',
      request: { action: 'iam:CreatePolicyVersion', resource: boundary, accountId: env.account, context: iam },
    },
    {
      name: 'create a role without the boundary',
      request: { action: 'iam:CreateRole', resource: ownRole, accountId: env.account, context: iam },
    },
    {
      name: 'create a role with another boundary',
      request: {
        action: 'iam:CreateRole',
        resource: ownRole,
        accountId: env.account,
        context: { ...iam, 'iam:PermissionsBoundary': `arn:aws:iam::${env.account}:policy/anything` },
      },
    },
    {
      name: 'take the boundary off a role of its environment',
      request: {
        action: 'iam:DeleteRolePermissionsBoundary',
        resource: `arn:aws:iam::${env.account}:role/${names.appServers(env.prefix)}`,
        accountId: env.account,
        context: iam,
      },
    },
    {
      name: 'attach AdministratorAccess to a role of its environment',
      request: {
        action: 'iam:AttachRolePolicy',
        resource: `arn:aws:iam::${env.account}:role/${names.appServers(env.prefix)}`,
        accountId: env.account,
        context: { ...iam, 'iam:PermissionsBoundary': boundary, 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess' },
      },
    },
    {
      name: "change its own role's trust",
      request: { action: 'iam:UpdateAssumeRolePolicy', resource: deployRole, accountId: env.account, context: iam },
    },
  ];
}

/** Everything the read-only plan role (pull requests, before review) must not do. */
function planRoleAttacks(config: PlatformConfig, env: Env): { name: string; request: SimRequest }[] {
  const state = `arn:aws:s3:::${config.state!.bucket}/${stateObjectKey(config.project, env.name, webStackName(config.project, env.name))}`;
  const policy = bucketPolicyOf(env.stateStack, config.state!.bucket, config.state!.accountId);
  const s3 = (action: string, resource: string) => ({
    action,
    resource,
    accountId: config.state!.accountId,
    context: region(env),
    resourcePolicy: policy,
  });
  return [
    {
      name: 'read a secret value (the database master secret)',
      request: {
        action: 'secretsmanager:GetSecretValue',
        resource: env.arn('rds-secret'),
        accountId: env.account,
        context: { ...region(env), 'aws:ResourceTag/aws:rds:primaryDBInstanceArn': env.arn('database') },
      },
    },
    {
      name: 'read a secret value (an application secret)',
      request: { action: 'secretsmanager:GetSecretValue', resource: env.arn('app-secret'), accountId: env.account, context: region(env) },
    },
    { name: 'write the state', request: s3('s3:PutObject', state) },
    { name: 'take the state lock', request: s3('s3:PutObject', `${state}.tflock`) },
    { name: 'remove the state lock', request: s3('s3:DeleteObject', `${state}.tflock`) },
    {
      name: 'decrypt with the data key',
      request: {
        action: 'kms:Decrypt',
        resource: env.arn('key'),
        accountId: env.account,
        context: { ...region(env), ...resourceTags(env.tags) },
        resourcePolicy: dataKeyPolicy(env),
      },
    },
    {
      name: 'change a security group',
      request: {
        action: 'ec2:AuthorizeSecurityGroupIngress',
        resource: env.arn('security-group'),
        accountId: env.account,
        context: { ...region(env), ...ec2Tagged(env) },
      },
    },
    {
      name: 'tag a resource',
      request: {
        action: 'ec2:CreateTags',
        resource: env.arn('security-group'),
        accountId: env.account,
        context: { ...region(env), ...ec2Tagged(env), ...requestTags(env.tags) },
      },
    },
    {
      name: 'start a release',
      request: { action: 'autoscaling:StartInstanceRefresh', resource: env.arn('group'), accountId: env.account, context: region(env) },
    },
    {
      name: 'read an object of a front-end bucket',
      request: {
        action: 's3:GetObject',
        resource: `${env.arn('alb-log-bucket')}/alb/x.log.gz`,
        accountId: env.account,
        context: region(env),
      },
    },
  ];
}

/** Resource types AWS gives no way to scope within an account (modules/ci-roles/scopes.ts, kind "account"). */
const SAME_ACCOUNT_EXCEPTIONS: Attack = {
  name: "change the other's response headers policy (no IAM condition tells the environments' apart in one account)",
  requests: (_a, v) => [
    {
      action: 'cloudfront:UpdateResponseHeadersPolicy',
      resource: v.arn('response-headers-policy'),
      accountId: v.account,
      context: { 'aws:RequestedRegion': 'us-east-1' },
    },
  ],
};

const allAllowed = async (p: Principal, requests: readonly SimRequest[]) => {
  const decisions = await Promise.all(requests.map((r) => decide(p, r)));
  return { allowed: requests.length > 0 && decisions.every((d) => d.allowed), decisions };
};

describe.each(CONFIGS)('%s', (_label, input) => {
  const config = validateConfig(input);
  const { stacks } = synth(input);
  const envs = environmentsOf(config, stacks);
  const pairs = envs.flatMap((a) => envs.filter((v) => v !== a).map((v) => [`${a.name} → ${v.name}`, a, v] as const));
  const deployOf = (e: Env) => rolePrincipal(e.ciStack, stateStackNames.ciDeployRole(config.project, e.name), e.account);
  const planOf = (e: Env) => rolePrincipal(e.ciStack, stateStackNames.ciPlanRole(config.project, e.name), e.account);
  const boundedOf = (e: Env) =>
    boundedPrincipal(
      e.ciStack,
      boundaryArn(config.project, e.account, e.name),
      `arn:aws:iam::${e.account}:role/${e.prefix}-anything`,
      e.account,
    );

  it('has at least two environments to keep apart', () => expect(pairs.length).toBeGreaterThanOrEqual(2));

  describe.each(pairs)('%s', (_pair, attacker, victim) => {
    it.each(DEPLOY_ROLE_ATTACKS.map((a) => [a.name, a] as const))('the deploy role cannot %s', async (_name, attack) => {
      const requests = attack.requests(attacker, victim, config);
      if (requests.length === 0) return; // nothing of that kind in the victim (a front-end bucket, a domain)
      const { allowed, decisions } = await allAllowed(deployOf(attacker), requests);
      expect({
        allowed,
        decisions: decisions.map((d, i) => `${requests[i].action} ${requests[i].resource}: ${d.result} (${d.why})`),
      }).toMatchObject({ allowed: false });
    });

    it.each(BOUNDED_ROLE_ATTACKS.map((a) => [a.name, a] as const))('a role it creates cannot %s', async (_name, attack) => {
      const requests = attack.requests(attacker, victim, config);
      if (requests.length === 0) return;
      const { allowed } = await allAllowed(boundedOf(attacker), requests);
      expect(allowed).toBe(false);
    });

    it(`where AWS cannot tell them apart: ${SAME_ACCOUNT_EXCEPTIONS.name}, only in one account`, async () => {
      const { allowed } = await allAllowed(deployOf(attacker), SAME_ACCOUNT_EXCEPTIONS.requests(attacker, victim, config));
      expect(allowed).toBe(
        attacker.account === victim.account && victim.config.frontends.length > 0 && attacker.config.frontends.length > 0,
      );
    });
  });

  describe.each(envs.map((e) => [e.name, e] as const))('%s', (_name, env) => {
    it.each(selfAttacks(config, env).map((a) => [a.name, a.request] as const))('the deploy role cannot %s', async (_n, request) => {
      expect((await decide(deployOf(env), request)).allowed).toBe(false);
    });
    it.each(selfAttacks(config, env).map((a) => [a.name, a.request] as const))('a role it creates cannot %s', async (_n, request) => {
      expect((await decide(boundedOf(env), request)).allowed).toBe(false);
    });
    it.each(planRoleAttacks(config, env).map((a) => [a.name, a.request] as const))('the plan role cannot %s', async (_n, request) => {
      const d = await decide(planOf(env), request);
      expect({ request: `${request.action} ${request.resource}`, result: d.result, why: d.why }).toMatchObject({
        result: expect.stringMatching(/Denied$/),
      });
    });
    it("the plan role reads its environment's state, and the deploy role writes it and holds its lock", async () => {
      const object = `arn:aws:s3:::${config.state!.bucket}/${stateObjectKey(config.project, env.name, webStackName(config.project, env.name))}`;
      const resourcePolicy = bucketPolicyOf(env.stateStack, config.state!.bucket, config.state!.accountId);
      const s3 = (action: string, resource: string) => ({
        action,
        resource,
        accountId: config.state!.accountId,
        context: region(env),
        resourcePolicy,
      });
      expect((await decide(planOf(env), s3('s3:GetObject', object))).allowed).toBe(true);
      expect((await decide(deployOf(env), s3('s3:PutObject', object))).allowed).toBe(true);
      expect((await decide(deployOf(env), s3('s3:PutObject', `${object}.tflock`))).allowed).toBe(true);
      expect((await decide(deployOf(env), s3('s3:DeleteObject', `${object}.tflock`))).allowed).toBe(true);
      // The state key, through S3 (its policy lets another account's roles use it so, and no other way).
      if (config.state!.encryption === 'kms') {
        const keys = env.stateStack.resource.aws_kms_key;
        const [keyId, key] = Object.entries<any>(keys)[0];
        const keyArn = knownValues(env.stateStack, config.state!.accountId)[`aws_kms_key.${keyId}.arn`];
        const use = (action: string, via: string) => ({
          action,
          resource: keyArn,
          accountId: config.state!.accountId,
          context: {
            ...region(env),
            'kms:ViaService': `${via}.${config.state!.region}.amazonaws.com`,
            'kms:ResourceAliases': [`alias/${config.project}-tfstate`],
          },
          resourcePolicy: documentOf(key.policy, knownValues(env.stateStack, config.state!.accountId)),
        });
        expect((await decide(planOf(env), use('kms:Decrypt', 's3'))).allowed).toBe(true);
        expect((await decide(deployOf(env), use('kms:GenerateDataKey', 's3'))).allowed).toBe(true);
        expect((await decide(deployOf(env), use('kms:Decrypt', 'secretsmanager'))).allowed).toBe(false);
      }
    });
    it("a role it creates reaches its own environment's secrets and key", async () => {
      const bounded = boundedOf(env);
      expect(
        (
          await decide(bounded, {
            action: 'secretsmanager:GetSecretValue',
            resource: env.arn('app-secret'),
            accountId: env.account,
            context: region(env),
          })
        ).allowed,
      ).toBe(true);
      expect(
        (
          await decide(bounded, {
            action: 'kms:Decrypt',
            resource: env.arn('key'),
            accountId: env.account,
            context: { ...region(env), ...resourceTags(env.tags) },
            resourcePolicy: dataKeyPolicy(env),
          })
        ).allowed,
      ).toBe(true);
    });
  });
});
