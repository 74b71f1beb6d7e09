import { dev, platform, prod } from '../../config/environments';
import type { EnvironmentInput, PlatformInput, StateInput } from '../../config/types';

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

/** `env` (a copy of prod) with domain names of its own, `app.example.com` made `app.<label>.example.com`: a domain reaches one environment. */
export function withOwnDomains(env: AnyEnv, label: string): void {
  const own = (domain: string) => domain.replace(/^([^.]+)\./, `$1.${label}.`);
  if (env.https) env.https.domainName = own(env.https.domainName);
  for (const f of env.frontends ?? []) if (f.domainName) f.domainName = own(f.domainName);
}

/** An environment name the shipped config does not use, trying `preferred` first. */
export function freeName(...preferred: string[]): string {
  const used = new Set(platform.environments.map((e) => e.name));
  const found = [...preferred, ...Array.from({ length: 99 }, (_, i) => `extra${i + 1}`)].find((n) => !used.has(n));
  if (!found) throw new Error('no free environment name');
  return found;
}

/** A container release as the README shows it: the environment's ECR repository, a secret, a parameter, plain values, a command. */
export const CONTAINER_RELEASE = {
  kind: 'container',
  image: { tag: '1.4.2', digest: `sha256:${'0123456789abcdef'.repeat(4)}` },
  command: ['java', '-jar', '/app/api.jar'],
  environment: { SPRING_PROFILES_ACTIVE: 'prod', FEATURE_FLAGS: 'a,b' },
  secrets: { STRIPE_KEY: { secret: 'api/stripe' }, SIGNING_KEY: { parameter: 'api/signing-key' } },
} as const;

/** The shipped config (or `config`) with every environment running `release` instead of the placeholder. */
export function withContainerReleases(config: PlatformInput = platform, release: unknown = CONTAINER_RELEASE): PlatformInput {
  const copy = structuredClone(config) as Mutable<PlatformInput>;
  for (const env of copy.environments as unknown as AnyEnv[]) env.application = structuredClone(release);
  return copy as PlatformInput;
}

/** The state section without its CI roles (for configs the roles cannot serve: local state, more than 8 environments). */
export function withoutCi(state: StateInput): StateInput {
  const { ci: _ci, ...rest } = state;
  return rest;
}

/**
 * `config` with one more environment, as a user adds one: a copy of its first environment under a free name,
 * with a free VPC CIDR and domains of its own.
 */
export function withAddedEnvironment(config: PlatformInput = platform): PlatformInput {
  const base = structuredClone(config.environments[0]) as AnyEnv;
  const name = freeName('staging');
  base.name = name;
  base.vpcCidr = freeCidr();
  withOwnDomains(base, name);
  return { ...config, environments: [...config.environments, base as EnvironmentInput] };
}
