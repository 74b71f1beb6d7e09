/**
 * The CI identities of one account (modules/ci-roles), as the bootstrap family of stacks adds them: the state
 * stack for the environments of the state account, a CI account stack (ci-account-stack.ts) for each other
 * account an environment lives in — AWS's recommendation for isolation ("Organizing your AWS environment using
 * multiple accounts": a separate account per workload environment).
 */
import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import type { EnvironmentConfig, StateConfig } from '../config/types';
import { CiRoles, environmentScope, type StackInventory } from '../modules';
import { ciStateAccess } from './ci-state-access';

/** The CI roles of `environments` (all of `accountId`) in `scope`, and the outputs that name them. */
export function addCiIdentities(
  scope: Construct,
  props: {
    readonly project: string;
    readonly state: StateConfig;
    readonly accountId: string;
    readonly environments: readonly EnvironmentConfig[];
    readonly inventories: Readonly<Record<string, StackInventory>>;
    /** The state key's ARN, where the stack made it. @default - named by its alias */
    readonly stateKeyArn?: string;
  },
): CiRoles {
  const { project, state } = props;
  const ci = state.ci!;
  const roles = new CiRoles(scope, 'ci', {
    project,
    accountId: props.accountId,
    provider: ci.provider,
    repository: ci.repository,
    mainBranch: ci.mainBranch,
    identityProvider: ci.identityProvider,
    maxSessionSeconds: ci.maxSessionHours * 3600,
    environments: props.environments.map((env) => {
      const inventory = props.inventories[env.name];
      if (inventory === undefined) throw new Error(`environment "${env.name}": the CI roles need what its stack holds (inventories)`);
      return { scope: environmentScope(project, env, inventory), inventory, state: ciStateAccess(project, state, env, props.stateKeyArn) };
    }),
  });
  new TerraformOutput(scope, 'ci_plan_role_arns', {
    value: Object.fromEntries(Object.entries(roles.plan).map(([env, role]) => [env, role.arn])),
    description: 'Read-only plan role of each environment: pull requests, drift checks',
  });
  new TerraformOutput(scope, 'ci_deploy_role_arns', {
    value: Object.fromEntries(Object.entries(roles.deploy).map(([env, role]) => [env, role.arn])),
    description: 'Deploy role of each environment, assumed from the GitHub environment of its name',
  });
  return roles;
}
