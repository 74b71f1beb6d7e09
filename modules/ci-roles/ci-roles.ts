import { Construct } from 'constructs';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import type { CiProvider } from '../../config/types';
import { stateStackNames } from '../../naming';
import { suppress } from '../../policy/suppress';
import { policyDocument, type PolicyStatement } from '../policy-statements';
import { boundaryStatements } from './boundary';
import { accessOf } from './catalog';
import { impliedStatements } from './implied';
import type { StackInventory } from './inventory';
import { MANAGED_POLICIES_PER_ROLE, pack, packByConcern, type PolicyPart } from './policies';
import type { EnvironmentScope } from './scopes';
import { stateStatements, type CiStateAccess } from './state-access';
import { scopedStatements } from './statements';
import { CI_HOSTS, issuerHost, trustPolicy } from './trust';

/** One environment the roles deploy and plan. */
export interface CiEnvironment {
  /** Its names, tags and regions. */
  readonly scope: EnvironmentScope;
  /** What its stack holds. */
  readonly inventory: StackInventory;
  /** Where its state is. @default - not in S3 (pg or HCP Terraform): no state permission */
  readonly state?: CiStateAccess;
}

export interface CiRolesProps {
  /** Project name: roles `<project>-ci-plan-<env>` and `<project>-ci-deploy-<env>`. */
  readonly project: string;
  /** Account of the roles: every environment given here lives in it. */
  readonly accountId: string;
  /** CI host whose tokens the roles trust. */
  readonly provider: CiProvider;
  /** `owner/name`: the only repository whose workflows may assume the roles. */
  readonly repository: string;
  /** Branch whose runs may assume the plan roles (besides pull requests). */
  readonly mainBranch: string;
  /** Create the account's OpenID Connect provider for the host, or use the existing one. */
  readonly identityProvider: 'create' | 'existing';
  /** Longest session of any role, in seconds (3600–43200). */
  readonly maxSessionSeconds: number;
  /** The environments of the account. */
  readonly environments: readonly CiEnvironment[];
}

/** The read (plan) and write (deploy) actions of what a stack holds. */
function actionsOf(inventory: StackInventory, write: boolean): string[] {
  const actions = new Set<string>();
  for (const type of inventory.resources.keys()) {
    const access = accessOf(type);
    access.read.forEach((a) => actions.add(a));
    if (write) access.write.forEach((a) => actions.add(a));
  }
  for (const type of inventory.dataSources.keys()) accessOf(type, 'data').read.forEach((a) => actions.add(a));
  return [...actions];
}

/**
 * What a plan role never reads, though a plan of the stack would: a secret's value (the refresh of an
 * `aws_secretsmanager_secret_version`). Pull requests run before review; a stack that manages a secret value
 * cannot be diffed by them, and no stack of the platform does.
 */
const NEVER_PLANNED = ['secretsmanager:GetSecretValue'];

/** The plan role's policies of `env`: reads of what its stack holds, and its state (read only). */
export function planPolicies(env: CiEnvironment): PolicyPart[] {
  const reads = actionsOf(env.inventory, false).filter((a) => !NEVER_PLANNED.includes(a));
  return [
    ...pack('read', scopedStatements(reads, env.scope, { sid: 'Read' })),
    ...(env.state ? pack('state', stateStatements(env.state, 'plan')) : []),
  ];
}

/** The deploy role's policies of `env`: what creating, changing and destroying its stack needs, and its state. */
export function deployPolicies(env: CiEnvironment, boundary: string): PolicyPart[] {
  const statements = [
    ...scopedStatements(actionsOf(env.inventory, true), env.scope, { sid: 'Deploy', untagged: untaggedCreates(env.inventory) }),
    ...impliedStatements(env.scope, env.inventory),
  ].flatMap((s) => withBoundary(s, boundary, env.inventory.managedPolicyArns));
  return packByConcern(statements, stateStatements(env.state, 'deploy'));
}

/** The actions that create a resource of a type the stack does not tag: its requests carry no tags to require. */
function untaggedCreates(inventory: StackInventory): ReadonlySet<string> {
  return new Set([...inventory.untaggedTypes].flatMap((type) => accessOf(type).write));
}

/** The IAM actions that create or change a role: allowed only with the environment's boundary. */
const BOUNDED = ['iam:CreateRole', 'iam:PutRolePermissionsBoundary', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy'];
/** Attaching a managed policy: also only the AWS managed policies the stack attaches. */
const ATTACHING = ['iam:AttachRolePolicy', 'iam:DetachRolePolicy'];

/**
 * `s` with the actions that create or change a role split off into statements that require `boundary` on the
 * role (IAM user guide, "Permissions boundaries for IAM entities": delegate role creation under a boundary with
 * `iam:PermissionsBoundary`), attaching only `managed` (`iam:PolicyARN`).
 */
function withBoundary(s: PolicyStatement, boundary: string, managed: readonly string[]): PolicyStatement[] {
  const actions = (Array.isArray(s.Action) ? s.Action : [s.Action]) as string[];
  const bounded = actions.filter((a) => BOUNDED.includes(a));
  const attaching = actions.filter((a) => ATTACHING.includes(a));
  if (bounded.length + attaching.length === 0) return [s];
  const rest = actions.filter((a) => !BOUNDED.includes(a) && !ATTACHING.includes(a));
  const condition = (extra: PolicyStatement['Condition'] = {}) => ({
    ...(s.Condition ?? {}),
    ...extra,
    StringEquals: { ...(s.Condition?.StringEquals ?? {}), 'iam:PermissionsBoundary': boundary },
  });
  return [
    ...(rest.length > 0 ? [{ ...s, Action: rest }] : []),
    ...(bounded.length > 0 ? [{ ...s, Sid: `${s.Sid}WithTheBoundary`, Action: bounded, Condition: condition() }] : []),
    ...(attaching.length > 0 && managed.length > 0
      ? [
          {
            ...s,
            Sid: `${s.Sid}AttachOnlyItsManagedPolicies`,
            Action: attaching,
            Condition: condition({ ArnEquals: { 'iam:PolicyARN': [...managed] } }),
          },
        ]
      : []),
  ];
}

/**
 * The identities of a CI pipeline in one account: the host's OpenID Connect provider (or the account's existing
 * one) and, per environment, the roles it may assume with a short-lived token, never a stored key.
 *
 * - `plan` (`<project>-ci-plan-<env>`): pull requests and runs on the main branch; reads what the
 *   environment's stack holds and reads its state — no lock, no secret value, no write.
 * - `deploy` (`<project>-ci-deploy-<env>`): only jobs that name the repository's GitHub environment of the same
 *   name (where its required reviewers and branch rules apply); what creating, changing and destroying the
 *   environment's stack needs, on its resources only (modules/ci-roles/statements.ts), and its state.
 * - a permissions boundary per environment (`<project>-ci-boundary-<env>`) that every role of its stack carries.
 *
 * Every permission is derived from what the stacks hold (catalog.ts, inventory.ts); nothing is listed by hand.
 */
export class CiRoles extends Construct {
  /** ARN of the OpenID Connect provider the roles trust. */
  readonly providerArn: string;
  /** The plan role of each environment, by environment name. */
  readonly plan: Readonly<Record<string, IamRole>>;
  /** The deploy role of each environment, by environment name. */
  readonly deploy: Readonly<Record<string, IamRole>>;

  constructor(scope: Construct, id: string, props: CiRolesProps) {
    super(scope, id);
    const { project, accountId, repository } = props;
    const host = CI_HOSTS[props.provider];
    this.providerArn =
      props.identityProvider === 'create'
        ? new IamOpenidConnectProvider(this, 'identity_provider', { url: host.issuer, clientIdList: [host.audience] }).arn
        : `arn:aws:iam::${accountId}:oidc-provider/${issuerHost(host)}`;

    const role = (roleId: string, name: string, description: string, subjects: readonly string[]) =>
      new IamRole(this, roleId, {
        name,
        description,
        maxSessionDuration: props.maxSessionSeconds,
        assumeRolePolicy: trustPolicy(host, this.providerArn, subjects),
      });
    const attach = (r: IamRole, roleName: string, parts: readonly PolicyPart[], name: (part: string) => string, purpose: string) => {
      if (parts.length > MANAGED_POLICIES_PER_ROLE)
        throw new Error(
          `${roleName} needs ${parts.length} managed policies, more than the ${MANAGED_POLICIES_PER_ROLE} IAM attaches to a role by default ("IAM and AWS STS quotas")`,
        );
      for (const p of parts) {
        const policyId = `${r.node.id}_${p.part}`;
        const managed = new IamPolicy(this, `policy_${policyId}`, {
          name: name(p.part),
          description: `${purpose}: ${p.part}`,
          policy: policyDocument(p.statements),
        });
        new IamRolePolicyAttachment(this, `${policyId}_attachment`, { role: r.name, policyArn: managed.arn });
      }
    };

    const plan: Record<string, IamRole> = {};
    const deploy: Record<string, IamRole> = {};
    for (const env of props.environments) {
      const { name: envName, prefix } = env.scope;
      plan[envName] = role(
        `plan_${envName}`,
        stateStackNames.ciPlanRole(project, envName),
        `Read-only CI plans of ${prefix}: pull requests and the ${props.mainBranch} branch`,
        [host.branchSubject(repository, props.mainBranch), host.pullRequestSubject(repository)],
      );
      deploy[envName] = role(
        `deploy_${envName}`,
        stateStackNames.ciDeployRole(project, envName),
        `CI deploys of ${prefix}, from the GitHub environment ${envName}`,
        [host.environmentSubject(repository, envName)],
      );
      const boundaryName = stateStackNames.ciBoundaryPolicy(project, envName);
      const boundary = new IamPolicy(this, `boundary_${envName}`, {
        name: boundaryName,
        description: `Permissions boundary of the roles of ${prefix}: the most they may ever be granted`,
        policy: policyDocument(boundaryStatements(env.scope, env.inventory)),
      });
      suppress(
        boundary,
        'iam-no-wildcard-resources',
        'A permissions boundary grants nothing: it caps the environment\'s roles; its statements are scoped like the deploy role\'s, and where an action takes no resource AWS allows only "*".',
      );
      const boundaryArn = `arn:aws:iam::${accountId}:policy/${boundaryName}`;
      attach(
        plan[envName],
        stateStackNames.ciPlanRole(project, envName),
        planPolicies(env),
        (p) => stateStackNames.ciPlanPolicy(project, envName, p),
        `CI plans of ${prefix}`,
      );
      attach(
        deploy[envName],
        stateStackNames.ciDeployRole(project, envName),
        deployPolicies(env, boundaryArn),
        (p) => stateStackNames.ciDeployPolicy(project, envName, p),
        `CI deploys of ${prefix}`,
      );
    }
    this.plan = plan;
    this.deploy = deploy;
  }
}
