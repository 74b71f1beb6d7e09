/**
 * What the CI workflows read from the config and from Terraform, kept pure (no process, no file system) so
 * it is unit-tested: the environments a workflow iterates over (`npm run ci:matrix`) and the drift report of
 * a plan (`npm run drift`).
 */
import type { PlatformConfig } from '../config/types';
import { stateStackNames, webStackName } from '../naming';

/** One environment as a workflow's matrix entry. */
export interface CiMatrixEntry {
  /** Environment name: the GitHub environment a deploy job names. */
  readonly environment: string;
  /** Its stack (`web-dev`), the argument of `npm run diff | deploy | drift`. */
  readonly stack: string;
  readonly region: string;
  /** The read-only role of diffs and drift checks. */
  readonly planRoleArn: string;
  /** The environment's deploy role. */
  readonly deployRoleArn: string;
  /** Session length to ask for: the roles' maximum. */
  readonly sessionSeconds: number;
}

/** The config has no CI roles: the workflows cannot assume anything. */
export class CiConfigError extends Error {
  override readonly name = 'CiConfigError';
}

/**
 * Every environment of `config`, in its order (deploys go one after the other in this order), with the
 * roles the bootstrap stack made for it. The role ARNs follow from the config (account, project, names), so
 * a workflow needs no variable or secret to find them.
 */
export function ciMatrix(config: PlatformConfig): CiMatrixEntry[] {
  const ci = config.state?.ci;
  if (!config.state || !ci) {
    throw new CiConfigError(
      'the config has no state.ci section, so the bootstrap stack makes no CI roles: add one (README, "Deploying from CI") and deploy the bootstrap stack',
    );
  }
  return config.environments.map((env) => ({
    environment: env.name,
    stack: webStackName(config.project, env.name),
    region: env.region,
    // Each environment's roles live in its own account (the state's, or one of its own).
    planRoleArn: `arn:aws:iam::${env.accountId}:role/${stateStackNames.ciPlanRole(config.project, env.name)}`,
    deployRoleArn: `arn:aws:iam::${env.accountId}:role/${stateStackNames.ciDeployRole(config.project, env.name)}`,
    sessionSeconds: ci.maxSessionHours * 3600,
  }));
}

/** The lines `npm run ci:matrix -- --github-output` appends to `$GITHUB_OUTPUT`. */
export function githubOutput(entries: readonly CiMatrixEntry[]): string {
  return `environments=${JSON.stringify(entries)}\n`;
}

/** The part of `terraform show -json <plan>` the drift report reads. */
export interface DriftPlan {
  readonly resource_changes?: readonly { readonly address: string; readonly change: { readonly actions: readonly string[] } }[];
  readonly resource_drift?: readonly { readonly address: string; readonly change: { readonly actions: readonly string[] } }[];
  readonly output_changes?: Readonly<Record<string, { readonly actions: readonly string[] }>>;
}

/** One resource whose deployed state differs from the code. */
export interface Drifted {
  readonly address: string;
  /** What the plan would do: `update`, `create`, `delete`, `replace`, or `changed outside Terraform`. */
  readonly action: string;
}

function actionOf(actions: readonly string[]): string | undefined {
  const a = [...actions].sort().join(',');
  if (a === 'no-op' || a === 'read' || a === '') return undefined;
  if (a === 'create,delete') return 'replace';
  return a;
}

/**
 * The resources a plan would change — what the deployed infrastructure has that the code does not say, or
 * the reverse — and, apart, those Terraform saw changed outside it (`resource_drift`), by address.
 */
export function driftOf(plan: DriftPlan): Drifted[] {
  const out = new Map<string, Drifted>();
  for (const rc of plan.resource_changes ?? []) {
    const action = actionOf(rc.change.actions);
    if (action) out.set(rc.address, { address: rc.address, action });
  }
  for (const rd of plan.resource_drift ?? []) {
    if (!out.has(rd.address) && actionOf(rd.change.actions))
      out.set(rd.address, { address: rd.address, action: 'changed outside Terraform' });
  }
  return [...out.values()].sort((a, b) => a.address.localeCompare(b.address));
}

/** The report of a drift check of `stack`: a Markdown job summary and the exit code (0 none, 2 drift). */
export function driftReport(stack: string, plan: DriftPlan): { markdown: string; exitCode: 0 | 2 } {
  const drifted = driftOf(plan);
  if (drifted.length === 0) return { markdown: `### ${stack}: no drift\n\nThe deployed infrastructure matches the code.\n`, exitCode: 0 };
  const rows = drifted.map((d) => `| \`${d.address}\` | ${d.action} |`);
  return {
    markdown: [
      `### ${stack}: ${drifted.length} resource${drifted.length === 1 ? '' : 's'} drifted`,
      '',
      'The deployed infrastructure differs from the code. Apply the code (`npm run deploy`) or change the code to what is deployed.',
      '',
      '| Resource | Plan |',
      '| --- | --- |',
      ...rows,
      '',
    ].join('\n'),
    exitCode: 2,
  };
}
