import { App } from 'cdktf';
import { validateConfig } from '../config/validate';
import { inventoryOf } from '../modules/ci-roles/inventory';
import { assertPolicies } from '../policy';
import type { ReadableStack } from './readable-stack';
import { StateStack } from './state-stack';
import { WebStack } from './web-stack';

export * from './backend';
export * from './readable-stack';
export * from './state-stack';
export * from './web-stack';

/**
 * Validates `config` (throwing a `ConfigError` with every problem before any construct exists) and adds
 * to `app` the bootstrap stack (when the config has a state section) and one web stack per environment,
 * built from the validated config with its defaults filled in. Then runs each stack's policy packs and
 * throws a `PolicyError` listing every unsuppressed error of every stack, so nothing is synthesized from a
 * non-compliant app.
 */
export function buildStacks(app: App, input: unknown): ReadableStack[] {
  const config = validateConfig(input);
  const { project, state } = config;
  // The environments first: the bootstrap stack's CI roles are derived from what their stacks hold.
  const web = config.environments.map((environment) => new WebStack(app, { project, environment, state }));
  const inventories = Object.fromEntries(
    web.map((stack, i) => [config.environments[i].name, inventoryOf(stack, config.environments[i].region)]),
  );
  const bootstrap = state ? [new StateStack(app, { project, state, environments: config.environments, inventories })] : [];
  const stacks = [...bootstrap, ...web];
  assertPolicies(stacks);
  return stacks;
}

/**
 * What `npm run synth` does with a loaded config: validate it, build every stack, check the policy packs, and
 * only then write `outdir`. A `ConfigError` or `PolicyError` is thrown before the App exists, so a previous
 * synth's output is left as it was.
 */
export function synthesizePlatform(input: unknown, outdir?: string): { stacks: ReadableStack[]; outdir: string } {
  const config = validateConfig(input);
  const app = new App({ stackTraces: false, ...(outdir === undefined ? {} : { outdir }) });
  const stacks = buildStacks(app, config);
  app.synth();
  return { stacks, outdir: app.outdir };
}
