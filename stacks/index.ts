import type { App } from 'cdktf';
import type { PlatformConfig } from '../config/types';
import { assertValidConfig } from '../config/validate';
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
 * to `app` the bootstrap stack (when the config has a state section) and one web stack per environment.
 * Then runs each stack's policy packs and throws a `PolicyError` listing every unsuppressed error of every
 * stack, so nothing is synthesized from a non-compliant app.
 */
export function buildStacks(app: App, config: PlatformConfig): ReadableStack[] {
  assertValidConfig(config);
  const { project, state } = config;
  const bootstrap = state ? [new StateStack(app, { project, state })] : [];
  const stacks = [...bootstrap, ...config.environments.map((environment) => new WebStack(app, { project, environment, state }))];
  assertPolicies(stacks);
  return stacks;
}
