import { readFileSync, statSync } from 'node:fs';
import { show } from './display';
import { platform } from './environments';

/** Environment variable naming a JSON file to synthesize instead of `config/environments.ts`. */
export const CONFIG_FILE_VARIABLE = 'PLATFORM_CONFIG';

/** PLATFORM_CONFIG is set but does not name a readable JSON file. */
export class ConfigFileError extends Error {
  override readonly name = 'ConfigFileError';
}

/**
 * The configuration to synthesize, unchecked (`validateConfig` checks it): `config/environments.ts`, or the
 * JSON file named by PLATFORM_CONFIG (for pipelines that generate environments). A PLATFORM_CONFIG that is set
 * but empty (a pipeline variable that expanded to nothing) or that names anything but a readable JSON file is
 * an error, never a silent fall-back to the shipped example.
 */
export function loadPlatformConfig(env: NodeJS.ProcessEnv = process.env): unknown {
  if (!(CONFIG_FILE_VARIABLE in env)) return platform;
  const file = env[CONFIG_FILE_VARIABLE] ?? '';
  // A plain path as typed; anything else (spaces, control characters, a huge value) quoted, escaped and cut.
  const named = `${CONFIG_FILE_VARIABLE}=${/^[\w./@:+~-]{1,200}$/.test(file) ? file : show(file)}`;
  if (file.trim() === '') {
    throw new ConfigFileError(
      `${named}: set but empty; name a JSON file (PLATFORM_CONFIG=platform.json) or unset it to use config/environments.ts`,
    );
  }
  let text: string;
  try {
    if (!statSync(file).isFile()) throw new Error('not a regular file');
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigFileError(`${named}: cannot read the file (${(error as Error).message})`);
  }
  try {
    // A byte-order mark (some Windows editors write one) is not part of the JSON.
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ConfigFileError(`${named}: not valid JSON (${(error as Error).message})`);
  }
}
