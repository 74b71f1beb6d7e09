import type { App } from 'cdktf';
import type { PlatformConfig } from '../config/types';
import { assertValidConfig } from '../config/validate';
import { WebStack } from './web-stack';

export * from './readable-stack';
export * from './web-stack';

/**
 * Validates `config` (throwing a `ConfigError` with every problem before any construct exists) and adds
 * one web stack per environment to `app`.
 */
export function buildStacks(app: App, config: PlatformConfig): WebStack[] {
  assertValidConfig(config);
  return config.environments.map((environment) => new WebStack(app, { project: config.project, environment }));
}
