/**
 * Types of the platform configuration, inferred from its one definition in config/schema.ts (where each
 * field's description, default and allowed values live; README "Configuration reference" lists them).
 *
 * - `…Input` is what a config may say: fields with a default may be left out (config/environments.ts, a
 *   PLATFORM_CONFIG file).
 * - `…Config` is what `validateConfig` returns: checked, with every default filled in. Stacks and constructs
 *   take these.
 *
 * A config is validated once, as written: its defaults are not an input (a pinned `compute.amiId` sits beside
 * the defaulted `amiSsmParameter`, which the input may not name with it), so validating a validated config again
 * can refuse what the input was allowed to say. `PlatformConfig` carries a type-only mark that `validateConfig`
 * refuses (`NotValidated`), so handing it a validated config, or a copy of one, is a compile error.
 */
import type * as z from 'zod';
import type { backendSchema, environmentSchema, platformSchema, stateSchema } from './schema';

/** Deeply readonly: validated config is never edited. */
type Immutable<T> = T extends (infer U)[] ? readonly Immutable<U>[] : T extends object ? { readonly [K in keyof T]: Immutable<T[K]> } : T;

export type PlatformInput = Immutable<z.input<typeof platformSchema>>;
export type EnvironmentInput = Immutable<z.input<typeof environmentSchema>>;
export type StateInput = Immutable<z.input<typeof stateSchema>>;
export type ComputeInput = EnvironmentInput['compute'];
export type DatabaseInput = EnvironmentInput['database'];

/** Type-only mark of a validated config (no such property exists at run time). */
declare const VALIDATED: unique symbol;
type Validated = { readonly [VALIDATED]: true };

/** Checked, with every default filled in: only `validateConfig` makes one (or a copy of one). */
export type PlatformConfig = Immutable<z.output<typeof platformSchema>> & Validated;
/** `T`, unless it is a validated config (or a copy of one): that must be passed on, never validated again. */
export type NotValidated<T> = T extends Validated
  ? 'a validated config: pass it on (buildStacks, synthesizeConfig), never validate it again'
  : T;
export type EnvironmentConfig = PlatformConfig['environments'][number];
export type StateConfig = Immutable<z.output<typeof stateSchema>>;
export type ComputeConfig = EnvironmentConfig['compute'];
export type DatabaseConfig = EnvironmentConfig['database'];
export type HttpsConfig = NonNullable<EnvironmentConfig['https']>;
export type WebFirewallConfig = EnvironmentConfig['webFirewall'];
export type FrontendConfig = EnvironmentConfig['frontends'][number];
export type EdgeConfig = EnvironmentConfig['edge'];
export type PolicySuppression = EnvironmentConfig['policySuppressions'][number];
export type ApplicationConfig = EnvironmentConfig['application'];
export type ContainerApplicationConfig = Extract<ApplicationConfig, { kind: 'container' }>;
export type RolloutConfig = ComputeConfig['rollout'];
export type UsageConfig = EnvironmentConfig['usage'];

export type BackendConfig = Immutable<z.output<typeof backendSchema>>;
export type BackendKind = BackendConfig['kind'];
export type S3BackendConfig = Extract<BackendConfig, { kind: 's3' }>;
export type LocalBackendConfig = Extract<BackendConfig, { kind: 'local' }>;
export type PgBackendConfig = Extract<BackendConfig, { kind: 'pg' }>;
export type CloudBackendConfig = Extract<BackendConfig, { kind: 'cloud' }>;

export type NatStrategy = EnvironmentConfig['natGateways'];
export type DbEngine = DatabaseConfig['engine'];
export type ScalingMode = ComputeConfig['scaling'];
export type StateEncryption = StateConfig['encryption'];
export type CiConfig = NonNullable<StateConfig['ci']>;
export type CiProvider = CiConfig['provider'];
