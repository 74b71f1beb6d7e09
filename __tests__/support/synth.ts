import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdktf';
import { platform } from '../../config/environments';
import type { PlatformConfig, PlatformInput } from '../../config/types';
import { validateConfig } from '../../config/validate';
import { buildStacks } from '../../stacks';

export interface Synthesized {
  readonly outdir: string;
  /** Stack name → parsed cdk.tf.json. */
  readonly stacks: Record<string, StackJson>;
  /** Stack name → its directory. */
  readonly dirs: Record<string, string>;
  /** Stack name → warnings recorded during synth. */
  readonly warnings: Record<string, string[]>;
}

export type StackJson = {
  resource: Record<string, Record<string, any>>;
  output: Record<string, any>;
  terraform: Record<string, any>;
  provider: Record<string, any>;
  locals?: Record<string, any>;
  [key: string]: any;
};

const cache = new Map<PlatformInput | PlatformConfig, Synthesized>();

/** Validates `config` (default: the shipped dev + prod) once and synthesizes it into a temp dir, once per config per test file. */
export function synth(config: PlatformInput = platform): Synthesized {
  const hit = cache.get(config);
  if (hit) return hit;
  const result = synthValidated(validateConfig(config));
  cache.set(config, result);
  return result;
}

/** Synthesizes a validated config (as `validateConfig` returned it, or a copy edited afterwards) into a temp dir, once per config. */
export function synthValidated(config: PlatformConfig): Synthesized {
  const hit = cache.get(config);
  if (hit) return hit;
  const outdir = mkdtempSync(join(tmpdir(), 'synth-'));
  const app = new App({ outdir, stackTraces: false });
  const built = buildStacks(app, config);
  app.synth();
  const stacks: Record<string, StackJson> = {};
  const dirs: Record<string, string> = {};
  const warnings: Record<string, string[]> = {};
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8'));
  for (const stack of built) {
    const name = stack.node.id;
    dirs[name] = join(outdir, 'stacks', name);
    stacks[name] = JSON.parse(readFileSync(join(dirs[name], 'cdk.tf.json'), 'utf8'));
    warnings[name] = manifest.stacks[name].annotations.filter((a: any) => a.level === '@cdktf/warn').map((a: any) => a.message);
  }
  const result = { outdir, stacks, dirs, warnings };
  cache.set(config, result);
  return result;
}

/** The single resource `type.name` of a stack, failing loudly when absent. */
export function resource(stack: StackJson, type: string, name: string): Record<string, any> {
  const r = stack.resource[type]?.[name];
  if (!r) throw new Error(`resource ${type}.${name} not found; have: ${Object.keys(stack.resource[type] ?? {}).join(', ')}`);
  return r;
}

/** All resources of `type` (name → body). */
export function resources(stack: StackJson, type: string): Record<string, Record<string, any>> {
  return stack.resource[type] ?? {};
}
