import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Every stack a synth wrote to `outdir`: stack name → its cdk.tf.json, byte for byte. */
export function readStacks(outdir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(join(outdir, 'stacks')).map((s) => [s, readFileSync(join(outdir, 'stacks', s, 'cdk.tf.json'), 'utf8')]),
  );
}
