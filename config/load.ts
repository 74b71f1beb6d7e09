import { readFileSync } from 'node:fs';
import { platform } from './environments';
import type { PlatformConfig } from './types';

/** Environment variable naming a JSON file to synthesize instead of `config/environments.ts`. */
export const CONFIG_FILE_VARIABLE = 'PLATFORM_CONFIG';

/** The file named by PLATFORM_CONFIG cannot be read or parsed. */
export class ConfigFileError extends Error {
  override readonly name = 'ConfigFileError';
}

/**
 * The configuration to synthesize: `config/environments.ts`, or the JSON file named by PLATFORM_CONFIG
 * (for pipelines that generate environments). Either way it is validated by `buildStacks` before use;
 * a JSON file is returned as parsed, unchecked.
 */
export function loadPlatformConfig(env: NodeJS.ProcessEnv = process.env): PlatformConfig {
  const file = env[CONFIG_FILE_VARIABLE];
  if (!file) return platform;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigFileError(`${CONFIG_FILE_VARIABLE}=${file}: cannot read the file (${(error as Error).message})`);
  }
  try {
    return JSON.parse(text) as PlatformConfig;
  } catch (error) {
    throw new ConfigFileError(`${CONFIG_FILE_VARIABLE}=${file}: not valid JSON (${(error as Error).message})`);
  }
}
