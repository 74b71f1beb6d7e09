import type { App } from 'cdktf';
import type { PlatformConfig } from '../config/types';
import { assertValidConfig } from '../config/validate';
import { assertPolicies } from '../policy';
import { WebStack } from './web-stack';

export * from './readable-stack';
export * from './web-stack';

/**
 * Validates `config` (throwing a `ConfigError` with every problem before any construct exists) and adds
 * one web stack per environment to `app`. Then runs each stack's policy packs and throws a `PolicyError`
 * listing every unsuppressed error of every stack, so nothing is synthesized from a non-compliant app.
 */
export function buildStacks(app: App, config: PlatformConfig): WebStack[] {
  assertValidConfig(config);
  const stacks = config.environments.map((environment) => new WebStack(app, { project: config.project, environment }));
  assertPolicies(stacks);
  return stacks;
}
