/**
 * The permissions boundary of an environment's roles: the most its app servers, flow logs and database
 * monitoring may ever be granted, derived from what its stack's roles' policies name and scoped to the
 * environment like everything else (its names, its tags, its regions). The deploy role creates and changes
 * roles only with this boundary (grants: iam:PermissionsBoundary), so whatever a deploy writes into a role's
 * policies — even `"Action": "*"` — reaches nothing of another environment.
 */
import { Aspects, type IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { stateStackNames } from '../../naming';
import type { PolicyStatement } from '../policy-statements';
import { MANAGED_POLICY_ACTIONS, WORKLOAD_ACTIONS } from './catalog';
import type { StackInventory } from './inventory';
import type { EnvironmentScope } from './scopes';
import { scopedStatements } from './statements';

/** ARN of the permissions boundary of environment `env`'s roles. */
export const boundaryArn = (project: string, accountId: string, env: string): string =>
  `arn:aws:iam::${accountId}:policy/${stateStackNames.ciBoundaryPolicy(project, env)}`;

/** The actions the environment's roles use: their own policies' and the AWS managed policies they attach. */
export function workloadActionsOf(inventory: StackInventory, where: string): string[] {
  const actions = new Set(inventory.workloadActions);
  for (const arn of inventory.managedPolicyArns) {
    const granted = MANAGED_POLICY_ACTIONS[arn];
    if (granted === undefined)
      throw new Error(`${where}: a role attaches ${arn}, whose actions modules/ci-roles/catalog.ts (MANAGED_POLICY_ACTIONS) does not list`);
    granted.forEach((a) => actions.add(a));
  }
  const unknown = [...actions].filter((a) => !WORKLOAD_ACTIONS.includes(a));
  if (unknown.length > 0)
    throw new Error(
      `${where}: its roles grant ${unknown.join(', ')}, which modules/ci-roles/catalog.ts (WORKLOAD_ACTIONS) does not list: add them there (and run npm run iam-reference) so the environment's permissions boundary allows them`,
    );
  return [...actions].sort();
}

/** The boundary's statements for environment `env`. */
export function boundaryStatements(env: EnvironmentScope, inventory: StackInventory): PolicyStatement[] {
  return scopedStatements(workloadActionsOf(inventory, `environment "${env.name}"`), env, { purpose: 'workload', sid: 'Workload' });
}

/**
 * Gives every IAM role of a stack the permissions boundary `arn` (an environment stack with CI roles: the
 * deploy role may create and change only roles that carry it).
 */
export class PermissionsBoundary implements IAspect {
  constructor(private readonly arn: string) {}

  visit(node: IConstruct): void {
    if (node instanceof IamRole) node.permissionsBoundary = this.arn;
  }

  /** Adds the aspect to `scope`. */
  static apply(scope: IConstruct, arn: string): void {
    Aspects.of(scope).add(new PermissionsBoundary(arn));
  }
}
