/**
 * Entry point: loads the config (config/environments.ts or PLATFORM_CONFIG), validates it, builds the
 * bootstrap (state) stack and one web stack per environment, and synthesizes. A config problem and a policy
 * error (every one of every stack is listed) both stop it before anything is written.
 */
import { ConfigFileError, loadPlatformConfig } from './config/load';
import { ConfigError } from './config/validate';
import { PolicyError } from './policy';
import { synthesizePlatform } from './stacks';

try {
  synthesizePlatform(loadPlatformConfig());
} catch (error) {
  if (!(error instanceof ConfigError || error instanceof ConfigFileError || error instanceof PolicyError)) throw error;
  console.error(error.message);
  process.exit(1);
}
