/**
 * Entry point: validates the typed config, builds the bootstrap (state) stack and one web stack per
 * environment, synthesizes. A config problem stops everything before the app exists, and a policy error
 * (every one of every stack is listed) stops it before synthesis: either way nothing is written.
 */
import { App } from 'cdktf';
import { ConfigFileError, loadPlatformConfig } from './config/load';
import { ConfigError, assertValidConfig } from './config/validate';
import type { PlatformConfig } from './config/types';
import { PolicyError } from './policy';
import { buildStacks } from './stacks';

let config: PlatformConfig;
try {
  config = loadPlatformConfig();
  assertValidConfig(config);
} catch (error) {
  if (!(error instanceof ConfigError || error instanceof ConfigFileError)) throw error;
  console.error(error.message);
  process.exit(1);
}

const app = new App({ stackTraces: false });
try {
  buildStacks(app, config);
} catch (error) {
  if (!(error instanceof PolicyError)) throw error;
  console.error(error.message);
  process.exit(1);
}
app.synth();
