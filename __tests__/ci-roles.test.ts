/**
 * The CI identities of the bootstrap stack, read from the synthesized JSON: who may assume each role (trust
 * conditions) and what each may do (the statements of its attached policies). Environments, branches and the
 * repository come from the config; nothing here lists them.
 */
import { platform, state } from '../config/environments';
import type { PlatformInput, StateInput } from '../config/types';
import { prefixOf, stateStackName, stateStackNames } from '../naming';
import { WORKLOAD_ACTIONS } from '../modules/ci-roles';
import { WILDCARD_ACTIONS } from '../policy/iam-rules';
import { withContainerReleases } from './support/config';
import { shipped } from './support/stacks';
import { synth, type StackJson } from './support/synth';

const ci = shipped.state!.ci!;
const project = shipped.project;
const GITHUB = 'token.actions.githubusercontent.com';
const stackOf = (config: PlatformInput = platform): StackJson => synth(config).stacks[stateStackName(project)];
const withCi = (edit: Partial<NonNullable<StateInput['ci']>>): PlatformInput => ({
  ...platform,
  state: { ...state, ci: { ...state.ci!, ...edit } },
});

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
  Principal?: Record<string, string>;
}
const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** The role resource named `name`, with its address. */
function roleNamed(stack: StackJson, name: string): { id: string; body: Record<string, any> } {
  const found = Object.entries(stack.resource.aws_iam_role ?? {}).find(([, r]) => r.name === name);
  if (!found) throw new Error(`no role ${name}`);
  return { id: found[0], body: found[1] };
}

/** The statements of every policy attached to the role `name`. */
function permissionsOf(stack: StackJson, name: string): Statement[] {
  const { id } = roleNamed(stack, name);
  const attached = Object.values<any>(stack.resource.aws_iam_role_policy_attachment ?? {}).filter(
    (a) => a.role === `\${aws_iam_role.${id}.name}`,
  );
  expect(attached.length).toBeGreaterThan(0);
  return attached.flatMap((a) => {
    const policyId = /^\$\{aws_iam_policy\.([^.]+)\.arn\}$/.exec(a.policy_arn)![1];
    return JSON.parse(stack.resource.aws_iam_policy[policyId].policy).Statement as Statement[];
  });
}

const trustOf = (stack: StackJson, name: string): Statement[] => JSON.parse(roleNamed(stack, name).body.assume_role_policy).Statement;

const stack = stackOf();
const planRole = stateStackNames.ciPlanRole(project);
const deployRoles = shipped.environments.map((env) => ({
  env,
  name: stateStackNames.ciDeployRole(project, env.name),
  prefix: `${prefixOf(project, env.name)}-`,
}));
const READ = /^[a-z0-9-]+:(Describe|Get|List)[A-Za-z]*\*?$/;

describe('the OpenID Connect provider', () => {
  it("is GitHub's token issuer with AWS STS as the audience", () => {
    expect(Object.values<any>(stack.resource.aws_iam_openid_connect_provider)).toEqual([
      expect.objectContaining({ url: `https://${GITHUB}`, client_id_list: ['sts.amazonaws.com'] }),
    ]);
  });

  it('is referenced, not created, when the account has one already', () => {
    const existing = stackOf(withCi({ identityProvider: 'existing' }));
    expect(existing.resource.aws_iam_openid_connect_provider).toBeUndefined();
    for (const name of [planRole, ...deployRoles.map((d) => d.name)]) {
      expect(trustOf(existing, name)[0].Principal).toEqual({
        Federated: `arn:aws:iam::${shipped.state!.accountId}:oidc-provider/${GITHUB}`,
      });
    }
  });
});

describe('trust: only the configured repository, with AWS as the audience', () => {
  const federated = (name: string) => {
    const statements = trustOf(stack, name);
    expect(statements).toHaveLength(1);
    const [s] = statements;
    expect(s.Effect).toBe('Allow');
    expect(s.Action).toBe('sts:AssumeRoleWithWebIdentity');
    expect(s.Principal).toEqual({ Federated: expect.stringMatching(/^\$\{aws_iam_openid_connect_provider\.[a-z_]+\.arn\}$/) });
    // Only StringEquals: no StringLike, no wildcard anywhere in the subjects.
    expect(Object.keys(s.Condition!)).toEqual(['StringEquals']);
    expect(s.Condition!.StringEquals[`${GITHUB}:aud`]).toBe('sts.amazonaws.com');
    const subjects = list(s.Condition!.StringEquals[`${GITHUB}:sub`]);
    for (const sub of subjects) expect(sub).not.toMatch(/[*?]/);
    return subjects;
  };

  it('plan: pull requests and the main branch', () => {
    expect(federated(planRole).sort()).toEqual(
      [`repo:${ci.repository}:pull_request`, `repo:${ci.repository}:ref:refs/heads/${ci.mainBranch}`].sort(),
    );
  });

  it.each(deployRoles.map((d) => [d.env.name, d] as const))(
    'deploy of %s: only jobs in the GitHub environment of that name',
    (_name, { env, name }) => {
      expect(federated(name)).toEqual([`repo:${ci.repository}:environment:${env.name}`]);
    },
  );

  it('every role: the configured maximum session', () => {
    for (const name of [planRole, ...deployRoles.map((d) => d.name)])
      expect(roleNamed(stack, name).body.max_session_duration).toBe(ci.maxSessionHours * 3600);
  });

  it('a changed repository and branch are what the roles trust', () => {
    const other = stackOf(withCi({ repository: 'acme/platform', mainBranch: 'trunk' }));
    const subjects = list(trustOf(other, planRole)[0].Condition!.StringEquals[`${GITHUB}:sub`]);
    expect(subjects.sort()).toEqual(['repo:acme/platform:pull_request', 'repo:acme/platform:ref:refs/heads/trunk']);
  });
});

describe('permissions', () => {
  const actions = (statements: Statement[]) => statements.filter((s) => s.Effect === 'Allow').flatMap((s) => list(s.Action));

  it('no role has a managed AWS policy, a "*" or "service:*" action, or a wildcard outside the reasoned list', () => {
    const attachments = Object.values<any>(stack.resource.aws_iam_role_policy_attachment).map((a) => a.policy_arn);
    expect(attachments.filter((arn) => arn.includes(':aws:policy/'))).toEqual([]);
    for (const name of [planRole, ...deployRoles.map((d) => d.name)]) {
      const wild = actions(permissionsOf(stack, name)).filter((a) => /[*?]/.test(a));
      expect(wild.filter((a) => !Object.hasOwn(WILDCARD_ACTIONS, a))).toEqual([]);
    }
  });

  it('plan: reads only, but for the lock file of each state', () => {
    const statements = permissionsOf(stack, planRole);
    const writes = statements.filter((s) =>
      list(s.Action).some((a) => !READ.test(a) && a !== 's3:ListBucket' && !/^kms:(Decrypt|GenerateDataKey)$/.test(a)),
    );
    expect(writes.length).toBeGreaterThan(0);
    for (const s of writes) {
      expect(list(s.Action).sort()).toEqual(['s3:DeleteObject', 's3:GetObject', 's3:PutObject']);
      for (const r of list(s.Resource)) expect(r).toMatch(/\.tfstate\.tflock$/);
    }
    // GenerateDataKey writes the lock file under the state key; it is granted on that key only.
    for (const s of statements.filter((s) => list(s.Action).includes('kms:GenerateDataKey'))) expect(list(s.Resource)).not.toContain('*');
  });

  it('plan: reads the state of every environment kept in S3', () => {
    const reads = permissionsOf(stack, planRole)
      .filter((s) => list(s.Action).includes('s3:GetObject'))
      .flatMap((s) => list(s.Resource));
    for (const { env } of deployRoles.filter((d) => d.env.backend.kind === 's3')) {
      expect(reads).toContain(`arn:aws:s3:::${shipped.state!.bucket}/${project}/${env.name}/${prefixOf(project, env.name)}.tfstate`);
    }
  });

  describe.each(deployRoles.map((d) => [d.env.name, d] as const))('deploy of %s', (_name, { env, name, prefix }) => {
    const statements = permissionsOf(stack, name);
    const others = deployRoles.filter((d) => d.env.name !== env.name && !d.prefix.startsWith(prefix) && !prefix.startsWith(d.prefix));

    it('reaches no other environment: no other prefix, tag or state key', () => {
      const text = JSON.stringify(statements);
      for (const other of others) {
        expect(text).not.toContain(other.prefix);
        expect(text).not.toContain(`/${other.env.name}/`);
      }
      for (const s of statements) {
        for (const values of Object.values(s.Condition ?? {})) {
          for (const [key, value] of Object.entries(values)) if (key.endsWith('Tag/Environment')) expect(value).toBe(env.name);
        }
      }
    });

    it('every write names the environment: its prefix, its tags, its state, or a creation the service cannot scope', () => {
      // `web-dev` as a name's start, a path segment (`/web-dev/flow-logs`) or its end (`aws-waf-logs-web-dev`).
      const named = new RegExp(`(^|[/:-])${prefix.slice(0, -1)}([-/:]|$)`);
      for (const s of statements.filter((s) => list(s.Action).some((a) => !READ.test(a)))) {
        const resources = list(s.Resource);
        const byTags = Object.values(s.Condition ?? {}).some(
          (keys) => keys[`aws:ResourceTag/Environment`] === env.name || keys[`aws:RequestTag/Environment`] === env.name,
        );
        // Named: the prefix; the service-linked roles; RDS's own secret of the master password, by the tag that
        // names its database; what AWS owns
        // and the stack only uses (default option groups, managed WAF rule groups: the database and the web ACL
        // of the request must match the prefix as well).
        const owned = (r: string) => r.includes(':og:default:') || r.includes(':regional/managedruleset/');
        const rdsSecret = (r: string) =>
          r.includes(':secret:rds!') && Object.values(s.Condition?.StringLike ?? {}).every((db) => named.test(String(db)));
        const byName = resources.every((r) => named.test(r) || r.includes('/aws-service-role/') || rdsSecret(r) || owned(r));
        const account = list(s.Action).every((a) =>
          /^logs:(CreateLogDelivery|DeleteLogDelivery|PutResourcePolicy|DescribeResourcePolicies)$/.test(a),
        );
        const launch = s.Condition?.ArnLike?.['ec2:LaunchTemplate'] !== undefined;
        const zone = env.https?.hostedZoneId !== undefined && resources.every((r) => r.endsWith(`hostedzone/${env.https!.hostedZoneId}`));
        const state = resources.every((r) => r.startsWith('${aws_kms_key.') || r.startsWith(`arn:aws:s3:::${shipped.state!.bucket}`));
        expect({ sid: s.Sid, scoped: byTags || byName || account || launch || zone || state }).toEqual({ sid: s.Sid, scoped: true });
      }
    });

    it('passes its roles only to the services the stack gives roles to, and attaches only Session Manager', () => {
      const pass = statements.filter((s) => list(s.Action).includes('iam:PassRole'));
      expect(pass).toHaveLength(1);
      expect(pass[0].Resource).toBe(`arn:aws:iam::${env.accountId}:role/${prefix}*`);
      expect(list(pass[0].Condition!.StringEquals['iam:PassedToService']).sort()).toEqual([
        'ec2.amazonaws.com',
        'monitoring.rds.amazonaws.com',
        'vpc-flow-logs.amazonaws.com',
      ]);
      const attach = statements.filter((s) => list(s.Action).includes('iam:AttachRolePolicy'));
      expect(attach.map((s) => s.Condition?.ArnEquals)).toEqual([
        { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore' },
      ]);
    });

    it('reads and writes its own state only', () => {
      const key = `arn:aws:s3:::${shipped.state!.bucket}/${project}/${env.name}/${prefixOf(project, env.name)}.tfstate`;
      const objects = statements.filter((s) => list(s.Action).includes('s3:PutObject')).flatMap((s) => list(s.Resource));
      expect(objects.sort()).toEqual([key, `${key}.tflock`]);
    });
  });
});

describe('the permissions boundary of each environment', () => {
  const boundaryOf = (env: string) => `arn:aws:iam::${shipped.state!.accountId}:policy/${stateStackNames.ciBoundaryPolicy(project, env)}`;
  // The environments with every kind of role and grant: container releases (secrets, registry) and uploads.
  const full = withContainerReleases({ ...platform, environments: platform.environments.map((e) => ({ ...e, uploads: {} })) });

  it('exists per environment, attached to no role (a boundary grants nothing)', () => {
    const policies = Object.values<any>(stack.resource.aws_iam_policy);
    for (const { env } of deployRoles)
      expect(policies.filter((p) => p.name === stateStackNames.ciBoundaryPolicy(project, env.name))).toHaveLength(1);
    const attached = Object.values<any>(stack.resource.aws_iam_role_policy_attachment).map((a) => a.policy_arn as string);
    expect(attached.filter((arn) => arn.includes('boundary'))).toEqual([]);
  });

  it.each(deployRoles.map((d) => [d.env.name, d] as const))(
    'deploy of %s: makes and changes roles only with its boundary, never removes it',
    (_name, { env, name }) => {
      const statements = permissionsOf(stack, name);
      const bounded = [
        'iam:CreateRole',
        'iam:PutRolePermissionsBoundary',
        'iam:PutRolePolicy',
        'iam:DeleteRolePolicy',
        'iam:AttachRolePolicy',
      ];
      for (const action of bounded) {
        const granting = statements.filter((s) => list(s.Action).includes(action));
        expect(granting.length).toBeGreaterThan(0);
        for (const s of granting)
          expect({ action, boundary: s.Condition?.StringEquals?.['iam:PermissionsBoundary'] }).toEqual({
            action,
            boundary: boundaryOf(env.name),
          });
      }
      expect(statements.flatMap((s) => list(s.Action))).not.toContain('iam:DeleteRolePermissionsBoundary');
    },
  );

  it.each([['the shipped config', platform] as const, ['container releases and uploads', full] as const])(
    'with %s, every role of every environment carries its boundary, which allows all its policies do',
    (_what, config) => {
      const { stacks } = synth(config);
      for (const { env } of deployRoles) {
        const web = stacks[prefixOf(project, env.name)];
        const roles = Object.values<any>(web.resource.aws_iam_role);
        expect(roles.length).toBeGreaterThan(0);
        for (const role of roles) expect(role.permissions_boundary).toBe(boundaryOf(env.name));
        const granted = Object.values<any>(web.resource.aws_iam_role_policy).flatMap((p) =>
          (JSON.parse(p.policy).Statement as Statement[]).flatMap((st) => list(st.Action)),
        );
        expect(granted.filter((a) => !WORKLOAD_ACTIONS.includes(a))).toEqual([]);
      }
    },
  );

  it('without CI roles, no boundary', () => {
    const { ci: _ci, ...withoutCi } = state;
    const { stacks } = synth({ ...platform, state: withoutCi });
    for (const { env } of deployRoles)
      for (const role of Object.values<any>(stacks[prefixOf(project, env.name)].resource.aws_iam_role))
        expect(role.permissions_boundary).toBeUndefined();
  });
});

describe('outputs and absence', () => {
  it('the plan role and each environment deploy role, by name', () => {
    expect(stack.output.ci_plan_role_arn.value).toBe(`\${aws_iam_role.${roleNamed(stack, planRole).id}.arn}`);
    expect(Object.keys(stack.output.ci_deploy_role_arns.value).sort()).toEqual(shipped.environments.map((e) => e.name).sort());
  });

  it('no ci section: no identity provider, no role, no output', () => {
    const { ci: _ci, ...withoutCi } = state;
    const bare = stackOf({ ...platform, state: withoutCi });
    expect(bare.resource.aws_iam_openid_connect_provider).toBeUndefined();
    expect(bare.resource.aws_iam_role).toBeUndefined();
    expect(bare.output.ci_plan_role_arn).toBeUndefined();
  });
});
