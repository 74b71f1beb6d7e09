/** The cost estimate of every environment of a validated config, from the stacks a synth wrote. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlatformConfig } from '../config/types';
import { webStackName } from '../naming';
import { CostError, estimate, type Estimate } from './estimate';

export * from './estimate';
export * from './report';

/** Estimates of each environment of `config`, reading `<outdir>/stacks/<stack>/cdk.tf.json`. */
export function estimatePlatform(config: PlatformConfig, outdir: string): Estimate[] {
  return config.environments.map((env) => {
    const stack = webStackName(config.project, env.name);
    const file = join(outdir, 'stacks', stack, 'cdk.tf.json');
    if (!existsSync(file)) throw new CostError(`cost: ${file} does not exist: run npm run synth first`);
    return estimate(stack, env, JSON.parse(readFileSync(file, 'utf8')));
  });
}
