/**
 * The CI identities of the bootstrap stack, read from the synthesized JSON: who may assume each role (trust
 * conditions), how their policies are made (derived from what the stacks hold, in policies IAM accepts), and
 * the boundary of each environment. What the roles may and may not do is decided by the IAM simulator:
 * ci-isolation.test.ts (every attack between environments) and ci-permissions.emulated.test.ts (every call a
 * deploy makes). Environments, branches and the repository come from the config; nothing here lists them.
 */
import { platform, state } from '../config/environments';
import type { PlatformInput, StateInput } from '../config/types';
import { prefixOf, stateStackName, stateStackNames, webStackName } from '../naming';
import { MANAGED_POLICIES_PER_ROLE, MANAGED_POLICY_MAX_CHARACTERS, RESOURCE_ACCESS, accessOf } from '../modules/ci-roles';
import { WILDCARD_ACTIONS } from '../policy/iam-rules';
import { renderIamReference } from '../scripts/iam-reference-render';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VARIANTS } from './support/variants';
import { withAddedEnvironment, withContainerReleases } from './support/config';
import { boundedPrincipal, decide, rolePrincipal } from './support/iam/simulate';
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

/** The policies attached to the role `name`: their names and documents. */
function policiesOf(stack: StackJson, name: string): { name: string; text: string; statements: Statement[] }[] {
  const { id } = roleNamed(stack, name);
  return Object.values<any>(stack.resource.aws_iam_role_policy_attachment ?? {})
    .filter((a) => a.role === `\${aws_iam_role.${id}.name}`)
    .map((a) => {
      const policy = stack.resource.aws_iam_policy[/^\$\{aws_iam_policy\.([^.]+)\.arn\}$/.exec(a.policy_arn)![1]];
      return { name: policy.name, text: policy.policy, statements: JSON.parse(policy.policy).Statement };
    });
}

const trustOf = (stack: StackJson, name: string): Statement[] => JSON.parse(roleNamed(stack, name).body.assume_role_policy).Statement;

const stack = stackOf();
const roles = shipped.environments.map((env) => ({
  env,
  plan: stateStackNames.ciPlanRole(project, env.name),
  deploy: stateStackNames.ciDeployRole(project, env.name),
}));
const allRoles = roles.flatMap((r) => [r.plan, r.deploy]);

describe('the OpenID Connect provider', () => {
  it("is GitHub's token issuer with AWS STS as the audience", () => {
    expect(Object.values<any>(stack.resource.aws_iam_openid_connect_provider)).toEqual([
      expect.objectContaining({ url: `https://${GITHUB}`, client_id_list: ['sts.amazonaws.com'] }),
    ]);
  });

  it('is referenced, not created, when the account has one already', () => {
    const existing = stackOf(withCi({ identityProvider: 'existing' }));
    expect(existing.resource.aws_iam_openid_connect_provider).toBeUndefined();
    for (const name of allRoles)
      expect(trustOf(existing, name)[0].Principal).toEqual({
        Federated: `arn:aws:iam::${shipped.state!.accountId}:oidc-provider/${GITHUB}`,
      });
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

  it.each(roles.map((r) => [r.env.name, r] as const))('plan of %s: pull requests and the main branch', (_name, { plan }) => {
    expect(federated(plan).sort()).toEqual(
      [`repo:${ci.repository}:pull_request`, `repo:${ci.repository}:ref:refs/heads/${ci.mainBranch}`].sort(),
    );
  });

  it.each(roles.map((r) => [r.env.name, r] as const))(
    'deploy of %s: only jobs in the GitHub environment of that name',
    (_name, { env, deploy }) => {
      expect(federated(deploy)).toEqual([`repo:${ci.repository}:environment:${env.name}`]);
    },
  );

  it('every role: the configured maximum session', () => {
    for (const name of allRoles) expect(roleNamed(stack, name).body.max_session_duration).toBe(ci.maxSessionHours * 3600);
  });

  it('a changed repository and branch are what the roles trust', () => {
    const other = stackOf(withCi({ repository: 'acme/platform', mainBranch: 'trunk' }));
    const subjects = list(trustOf(other, roles[0].plan)[0].Condition!.StringEquals[`${GITHUB}:sub`]);
    expect(subjects.sort()).toEqual(['repo:acme/platform:pull_request', 'repo:acme/platform:ref:refs/heads/trunk']);
  });
});

describe('policies IAM accepts', () => {
  it.each(allRoles)("%s: customer managed policies only, each within IAM's size, no more than a role may attach", (name) => {
    const policies = policiesOf(stack, name);
    expect(policies.length).toBeGreaterThan(0);
    expect(policies.length).toBeLessThanOrEqual(MANAGED_POLICIES_PER_ROLE);
    for (const p of policies)
      expect({ name: p.name, size: p.text.replace(/\s/g, '').length <= MANAGED_POLICY_MAX_CHARACTERS }).toEqual({
        name: p.name,
        size: true,
      });
    const attachments = Object.values<any>(stack.resource.aws_iam_role_policy_attachment).map((a) => a.policy_arn);
    expect(attachments.filter((arn) => arn.includes(':aws:policy/'))).toEqual([]);
  });

  it.each(allRoles)('%s: no "*" or "service:*" action, nor a wildcard outside the reasoned list', (name) => {
    const wild = policiesOf(stack, name)
      .flatMap((p) => p.statements.flatMap((s) => list(s.Action)))
      .filter((a) => /[*?]/.test(a));
    expect(wild.filter((a) => !Object.hasOwn(WILDCARD_ACTIONS, a))).toEqual([]);
  });

  it.each(roles.map((r) => [r.env.name, r] as const))('%s: the plan role changes nothing and reads no secret value', (_name, { plan }) => {
    const statements = policiesOf(stack, plan).flatMap((p) => p.statements);
    const actions = statements.flatMap((s) => list(s.Action));
    // Reads only; and the state key's Decrypt, which reading the state object takes, only through S3.
    const writes = statements
      .filter((s) => !(s.Condition?.StringEquals?.['kms:ViaService'] ?? '').toString().startsWith('s3.'))
      .flatMap((s) => list(s.Action))
      .filter((a) => !/^[a-z0-9-]+:(Describe|Get|List|Head)[A-Za-z]*$/.test(a));
    expect(writes).toEqual([]);
    expect(actions).not.toContain('secretsmanager:GetSecretValue');
  });

  it.each(roles.map((r) => [r.env.name, r] as const))('%s: names no other environment of the config', (_name, { env, plan, deploy }) => {
    const others = shipped.environments.filter((e) => e.name !== env.name).map((e) => prefixOf(project, e.name));
    for (const name of [plan, deploy]) {
      const text = policiesOf(stack, name)
        .map((p) => p.text)
        .join('\n');
      for (const other of others) expect(text).not.toMatch(new RegExp(`[/:"]${other}[-/"]`));
    }
  });
});

describe('derived from what the stacks hold', () => {
  it('every resource type of every stack of every variant has its IAM actions in the catalog', () => {
    const missing = new Set<string>();
    for (const [, config] of VARIANTS) {
      const { stacks } = synth(config);
      for (const [name, s] of Object.entries(stacks))
        if (name !== stateStackName(project)) for (const type of Object.keys(s.resource)) if (!(type in RESOURCE_ACCESS)) missing.add(type);
    }
    expect([...missing]).toEqual([]);
  });

  it('a stack holding a type the catalog does not know cannot be derived, and says where to add it', () => {
    expect(() => accessOf('aws_made_up_thing')).toThrow(/aws_made_up_thing is not in RESOURCE_ACCESS \(modules\/ci-roles\/catalog\.ts\)/);
  });

  it.each(roles.map((r) => [r.env.name, r] as const))(
    "%s: every resource type of the environment's stack is granted to its deploy role",
    (_name, { env, deploy }) => {
      const json = synth(platform).stacks[webStackName(project, env.name)];
      const granted = policiesOf(stack, deploy)
        .map((p) => p.text)
        .join('\n');
      for (const type of Object.keys(json.resource))
        for (const action of accessOf(type).write.slice(0, 1))
          expect({ type, action, granted: granted.includes(`"${action}"`) }).toEqual({ type, action, granted: true });
    },
  );

  it('iam/service-authorization.ts is what npm run iam-reference writes from the Service Authorization Reference', async () => {
    const written = readFileSync(join(__dirname, '..', 'iam', 'service-authorization.ts'), 'utf8');
    expect(written).toBe(await renderIamReference());
  });

  it('an added environment gets its own plan and deploy roles and boundary, with nothing listed by hand', () => {
    const added = withAddedEnvironment(platform);
    const env = added.environments[added.environments.length - 1];
    const s = stackOf(added);
    for (const name of [stateStackNames.ciPlanRole(project, env.name), stateStackNames.ciDeployRole(project, env.name)])
      expect(policiesOf(s, name).length).toBeGreaterThan(0);
    expect(Object.values<any>(s.resource.aws_iam_policy).map((p) => p.name)).toContain(stateStackNames.ciBoundaryPolicy(project, env.name));
  });
});

describe('the permissions boundary of each environment', () => {
  const boundaryOf = (env: string) => `arn:aws:iam::${shipped.state!.accountId}:policy/${stateStackNames.ciBoundaryPolicy(project, env)}`;
  // The environments with every kind of role and grant: container releases (secrets, registry) and uploads.
  const full = withContainerReleases({ ...platform, environments: platform.environments.map((e) => ({ ...e, uploads: {} })) });

  it('exists per environment, attached to no role (a boundary grants nothing)', () => {
    const policies = Object.values<any>(stack.resource.aws_iam_policy);
    for (const { env } of roles)
      expect(policies.filter((p) => p.name === stateStackNames.ciBoundaryPolicy(project, env.name))).toHaveLength(1);
    const attached = Object.values<any>(stack.resource.aws_iam_role_policy_attachment).map((a) => a.policy_arn as string);
    expect(attached.filter((arn) => arn.includes('boundary'))).toEqual([]);
  });

  it.each(roles.map((r) => [r.env.name, r] as const))(
    'deploy of %s: may create a role of its environment with its boundary (simulated)',
    async (_name, { env, deploy }) => {
      const principal = rolePrincipal(stack, deploy, env.accountId);
      const request = {
        action: 'iam:CreateRole',
        resource: `arn:aws:iam::${env.accountId}:role/${prefixOf(project, env.name)}-app`,
        accountId: env.accountId,
        context: { 'aws:RequestedRegion': 'us-east-1', 'iam:PermissionsBoundary': boundaryOf(env.name) },
      };
      expect((await decide(principal, request)).allowed).toBe(true);
      expect(policiesOf(stack, deploy).flatMap((p) => p.statements.flatMap((s) => list(s.Action)))).not.toContain(
        'iam:DeleteRolePermissionsBoundary',
      );
    },
  );

  it.each([['the shipped config', platform] as const, ['container releases and uploads', full] as const])(
    'with %s, every role of every environment carries its boundary, which allows what each of its policies grants (simulated)',
    async (_what, config) => {
      const { stacks } = synth(config);
      const s = stacks[stateStackName(project)];
      for (const { env } of roles) {
        const web = stacks[prefixOf(project, env.name)];
        const webRoles = Object.values<any>(web.resource.aws_iam_role);
        expect(webRoles.length).toBeGreaterThan(0);
        for (const role of webRoles) expect(role.permissions_boundary).toBe(boundaryOf(env.name));
        // Each action a role's own policy grants is allowed by the boundary on at least one resource of the
        // environment (the log group, the key, the secret …): the boundary never breaks what the stack grants.
        const bounded = boundedPrincipal(s, boundaryOf(env.name), `arn:aws:iam::${env.accountId}:role/x`, env.accountId);
        const granted = Object.values<any>(web.resource.aws_iam_role_policy).flatMap((p) =>
          (JSON.parse(p.policy).Statement as Statement[]).flatMap((st) => list(st.Action)),
        );
        const boundaryText = JSON.stringify(bounded.boundary);
        for (const action of new Set(granted))
          expect({ action, allowedByTheBoundary: boundaryText.includes(`"${action}"`) }).toEqual({ action, allowedByTheBoundary: true });
      }
    },
  );

  it('without CI roles, no boundary', () => {
    const { ci: _ci, ...withoutCi } = state;
    const { stacks } = synth({ ...platform, state: withoutCi });
    for (const { env } of roles)
      for (const role of Object.values<any>(stacks[prefixOf(project, env.name)].resource.aws_iam_role))
        expect(role.permissions_boundary).toBeUndefined();
  });
});

describe('outputs and absence', () => {
  it('the plan and deploy role of each environment, by name', () => {
    const names = shipped.environments.map((e) => e.name).sort();
    expect(Object.keys(stack.output.ci_plan_role_arns.value).sort()).toEqual(names);
    expect(Object.keys(stack.output.ci_deploy_role_arns.value).sort()).toEqual(names);
  });

  it('no ci section: no identity provider, no role, no output', () => {
    const { ci: _ci, ...withoutCi } = state;
    const bare = stackOf({ ...platform, state: withoutCi });
    expect(bare.resource.aws_iam_openid_connect_provider).toBeUndefined();
    expect(bare.resource.aws_iam_role).toBeUndefined();
    expect(bare.output.ci_plan_role_arns).toBeUndefined();
  });
});
