import { dev, platform, prod } from '../../config/environments';
import type { EnvironmentInput, PlatformInput } from '../../config/types';

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] };
/** An environment open to malformed edits: every field optional and of any type (bad-input tests). */
export type AnyEnv = { -readonly [K in keyof EnvironmentInput]?: any } & Record<string, any>;

/** A deep copy of the shipped config with `edit` applied to environment `name` (default prod). */
export function configWith(edit: (env: AnyEnv) => void, name: 'dev' | 'prod' = 'prod'): PlatformInput {
  const copy = structuredClone(platform) as Mutable<PlatformInput>;
  const env = copy.environments.find((e) => e.name === name) as unknown as AnyEnv;
  edit(env);
  return copy as PlatformInput;
}

/** A single-environment config built from dev or prod with overrides. */
export function single(base: 'dev' | 'prod', overrides: Partial<EnvironmentInput> = {}): PlatformInput {
  const source = base === 'dev' ? dev : prod;
  return { ...structuredClone(platform), environments: [{ ...structuredClone(source), ...overrides }] };
}

/** A /16 in 10.0.0.0/8 that no environment of the shipped config overlaps (for an environment a test adds). */
export function freeCidr(): string {
  const used = platform.environments.map((e) => Number(e.vpcCidr.split('.')[1]));
  for (let second = 250; second > 0; second--) if (!used.includes(second)) return `10.${second}.0.0/16`;
  throw new Error('no free /16 left in 10.0.0.0/8');
}

/** An environment name the shipped config does not use, trying `preferred` first. */
export function freeName(...preferred: string[]): string {
  const used = new Set(platform.environments.map((e) => e.name));
  const found = [...preferred, ...Array.from({ length: 99 }, (_, i) => `extra${i + 1}`)].find((n) => !used.has(n));
  if (!found) throw new Error('no free environment name');
  return found;
}
