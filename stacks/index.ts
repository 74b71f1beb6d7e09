import { App } from 'cdktf';
import type { PlatformConfig } from '../config/types';
import { validateConfig } from '../config/validate';
import { inventoryOf } from '../modules/ci-roles/inventory';
import { assertPolicies } from '../policy';
import type { ReadableStack } from './readable-stack';
import { CiAccountStack, ciAccountIds } from './ci-account-stack';
import { StateStack } from './state-stack';
import { WebStack } from './web-stack';

export * from './backend';
export * from './ci-account-stack';
export * from './readable-stack';
export * from './state-stack';
export * from './web-stack';

/**
 * Adds to `app` the bootstrap stack (when the config has a state section) and one web stack per environment,
 * built from `config` as `validateConfig` returned it (checked once, as written, with its defaults filled in:
 * it is not checked again here, see config/types.ts). Then runs each stack's policy packs and throws a
 * `PolicyError` listing every unsuppressed error of every stack, so nothing is synthesized from a
 * non-compliant app.
 */
export function buildStacks(app: App, config: PlatformConfig): ReadableStack[] {
  const { project, state } = config;
  // The environments first: the bootstrap stack's CI roles are derived from what their stacks hold.
  const web = config.environments.map((environment) => new WebStack(app, { project, environment, state }));
  const inventories = Object.fromEntries(
    web.map((stack, i) => [config.environments[i].name, inventoryOf(stack, config.environments[i].region)]),
  );
  const bootstrap = state ? [new StateStack(app, { project, state, environments: config.environments, inventories })] : [];
  // The CI identities of every other account an environment lives in: a stack of the bootstrap family each.
  const ciAccounts = ciAccountIds(config).map(
    (accountId) =>
      new CiAccountStack(app, {
        project,
        state: state!,
        accountId,
        environments: config.environments.filter((e) => e.accountId === accountId),
        inventories,
      }),
  );
  const stacks = [...bootstrap, ...ciAccounts, ...web];
  assertPolicies(stacks);
  return stacks;
}

/**
 * Builds every stack of a validated `config`, checks the policy packs, and only then writes `outdir`. A
 * `PolicyError` is thrown before the App exists, so a previous synth's output is left as it was.
 */
export function synthesizeConfig(config: PlatformConfig, outdir?: string): { stacks: ReadableStack[]; outdir: string } {
  const app = new App({ stackTraces: false, ...(outdir === undefined ? {} : { outdir }) });
  const stacks = buildStacks(app, config);
  app.synth();
  return { stacks, outdir: app.outdir };
}

/**
 * What `npm run synth` does with a loaded config: validate it once, as written (a `ConfigError` with every
 * problem, thrown before the App exists), then `synthesizeConfig`. What `npm run validate` accepts, this
 * synthesizes (unless a policy pack refuses it).
 */
export function synthesizePlatform(input: unknown, outdir?: string): { stacks: ReadableStack[]; outdir: string } {
  return synthesizeConfig(validateConfig(input), outdir);
}
