import type { App } from 'cdktf';
import type { PlatformConfig } from '../config/types';
import { assertValidConfig } from '../config/validate';
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
 */
export function buildStacks(app: App, config: PlatformConfig): ReadableStack[] {
  assertValidConfig(config);
  const { project, state } = config;
  const bootstrap = state ? [new StateStack(app, { project, state })] : [];
  return [...bootstrap, ...config.environments.map((environment) => new WebStack(app, { project, environment, state }))];
}
