/**
 * The stacks the tests check, from the config rather than from a list: the shipped config (validated, with
 * its defaults), its stack names in the order `buildStacks` makes them, and each environment with its stack.
 */
import { platform } from '../../config/environments';
import type { EnvironmentConfig, PlatformConfig } from '../../config/types';
import { validateConfig } from '../../config/validate';
import { platformStackNames, webStackName } from '../../naming';

export const shipped: PlatformConfig = validateConfig(platform);

/** Every stack of `config`: the bootstrap stack (with a state section), the CI account stacks, one per environment. */
export function stackNames(config: PlatformConfig = shipped): string[] {
  return platformStackNames(config);
}

/** Each environment of `config` with the name of its stack. */
export function environmentStacks(config: PlatformConfig = shipped): { env: EnvironmentConfig; stack: string }[] {
  return config.environments.map((env) => ({ env, stack: webStackName(config.project, env.name) }));
}

/**
 * The stacks a Terraform suite exercises: all of `all`, or those TEST_STACKS names (comma-separated), to run
 * the Terraform checks of one stack alone (`TEST_STACKS=web-staging npm run test:terraform`). A name that is
 * not a stack of the config is an error, never an empty run.
 */
export function selectedStacks(all: readonly string[]): string[] {
  const wanted = (process.env.TEST_STACKS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (wanted.length === 0) return [...all];
  const unknown = wanted.filter((name) => !all.includes(name));
  if (unknown.length > 0)
    throw new Error(
      `TEST_STACKS=${process.env.TEST_STACKS}: ${unknown.join(', ')} is not a stack of the config (stacks: ${all.join(', ')})`,
    );
  return all.filter((name) => wanted.includes(name));
}
