/**
 * `npm run validate`: checks the config (config/environments.ts, or the JSON file named by PLATFORM_CONFIG)
 * against every rule `npm run synth` applies to it, without building stacks or writing anything. Exit 0 and a
 * one-line summary when it is valid; exit 1 and every problem when it is not.
 */
import { ConfigFileError, loadPlatformConfig } from '../config/load';
import { ConfigError, validateConfig } from '../config/validate';
import { platformStackNames } from '../naming';

try {
  const config = validateConfig(loadPlatformConfig());
  const stacks = platformStackNames(config);
  console.log(
    `config valid: project ${config.project}, ${config.environments.length} environment${config.environments.length === 1 ? '' : 's'} (stacks ${stacks.join(', ')})`,
  );
} catch (error) {
  if (!(error instanceof ConfigError || error instanceof ConfigFileError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
