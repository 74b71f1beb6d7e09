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
