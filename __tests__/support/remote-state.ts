/**
 * Helpers of the remote-state tests: the probe stack (built through the same `addBackend` as the real
 * stacks), the test-only override that points a synthesized backend at loopback servers, state seeding
 * and reading, and phase timings.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, DataResource } from 'cdktf';
import type { Construct } from 'constructs';
import { ReadableStack, addBackend, type StackBackendProps } from '../../stacks';
import { TEST_OVERRIDE_FILE, offlineOverrideFor, type OfflineOptions, type TerraformWorkdir } from '../../harness/terraform';
import { TEST_ACCESS_KEY, TEST_SECRET_KEY } from './local-services';

export interface ProbeStackProps extends StackBackendProps {
  /** Seconds the `slow` resource's local-exec provisioner sleeps on create: an apply that holds the lock that long. */
  readonly slowSeconds: number;
}

/**
 * Three `terraform_data` resources (no provider, nothing to reach) whose state is kept by `addBackend`,
 * exactly as a web stack's is. `slow` sleeps while it is created, so an apply holds the lock long enough to
 * be watched and contended.
 */
export class ProbeStack extends ReadableStack {
  constructor(scope: Construct, props: ProbeStackProps) {
    super(scope, props.stackName);
    addBackend(this, props);
    new DataResource(this, 'first', { input: { value: 'one' } });
    new DataResource(this, 'second', { input: { value: 'two', list: [1, 2, 3] } });
    new DataResource(this, 'slow', {
      input: { value: 'slow' },
      provisioners: [{ type: 'local-exec', command: `sleep ${props.slowSeconds}` }],
    });
  }
}

const probeOutdirs: string[] = [];

/** Synthesizes a probe stack into a temp dir (removed by `removeProbes`); returns its stack directory. */
export function synthProbe(props: ProbeStackProps): string {
  const outdir = mkdtempSync(join(tmpdir(), 'synth-probe-'));
  probeOutdirs.push(outdir);
  const app = new App({ outdir, stackTraces: false });
  new ProbeStack(app, props);
  app.synth();
  return join(outdir, 'stacks', props.stackName);
}

/** Removes every directory `synthProbe` wrote. */
export function removeProbes(): void {
  probeOutdirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
}

/** The `terraform` block of a synthesized stack. */
export function terraformBlockOf(stackDir: string): Record<string, any> {
  return JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8')).terraform;
}

/** Where the loopback servers listen. */
export interface S3Endpoints {
  readonly s3: string;
  readonly dynamodb: string;
}

/**
 * TEST-ONLY override file for a stack with an s3 backend: the synthesized backend block, unchanged, plus
 * the loopback endpoints, path-style addressing, the server's credentials and the skip flags (nothing
 * here asks AWS anything). Terraform replaces a whole backend block from an override file, so the
 * synthesized settings are copied in; `changes` (e.g. `use_lockfile: false`) may alter them, and nothing
 * else does. With `provider`, the AWS provider gets the offline settings of harness/terraform.ts (and
 * reads what the plan looks up from `provider.readEndpoint`, moto on loopback).
 */
export function s3TestOverride(
  stackDir: string,
  endpoints: S3Endpoints,
  options: { provider?: OfflineOptions; changes?: Record<string, unknown> } = {},
): Record<string, string> {
  const synthesized = terraformBlockOf(stackDir).backend?.s3;
  if (!synthesized) throw new Error(`${stackDir}: no s3 backend synthesized`);
  const testOnly = {
    endpoints: { s3: endpoints.s3, dynamodb: endpoints.dynamodb },
    use_path_style: true,
    access_key: TEST_ACCESS_KEY,
    secret_key: TEST_SECRET_KEY,
    skip_credentials_validation: true,
    skip_requesting_account_id: true,
    skip_metadata_api_check: true,
    skip_region_validation: true,
  };
  const clash = Object.keys(testOnly).filter((k) => k in synthesized);
  if (clash.length > 0) throw new Error(`the synthesized backend already sets ${clash.join(', ')}; the test override must not hide it`);
  const override: Record<string, unknown> = { terraform: { backend: { s3: { ...synthesized, ...(options.changes ?? {}), ...testOnly } } } };
  if (options.provider) override.provider = offlineOverrideFor(stackDir, options.provider).provider;
  return { [TEST_OVERRIDE_FILE]: JSON.stringify(override, null, 2) };
}

/**
 * TEST-ONLY override for a stack whose backend needs nothing from the test (pg: PG_CONN_STR): the offline
 * provider, reading what the plan looks up from `provider.readEndpoint`.
 */
export function providerTestOverride(stackDir: string, provider: Omit<OfflineOptions, 'aliases'>): Record<string, string> {
  return {
    [TEST_OVERRIDE_FILE]: JSON.stringify({ provider: offlineOverrideFor(stackDir, provider).provider }, null, 2),
  };
}

/**
 * Pushes a state holding one output, `seeded` = `value`, into the workdir's backend (taking and releasing
 * the lock, writing the state): a plan that then shows `seeded` being removed has read the remote state.
 */
export async function seedState(workdir: TerraformWorkdir, value: string, env: Record<string, string> = {}): Promise<void> {
  const version = JSON.parse((await workdir.run(['version', '-json'])).stdout).terraform_version as string;
  const seed = {
    version: 4,
    terraform_version: version,
    serial: 1,
    lineage: '5eed0000-0000-4000-8000-000000000000',
    outputs: { seeded: { value, type: 'string' } },
    resources: [],
    check_results: null,
  };
  writeFileSync(join(workdir.dir, 'seed.tfstate'), JSON.stringify(seed));
  await workdir.run(['state', 'push', '-lock=true', 'seed.tfstate'], { env });
}

/** The plan line that shows the seeded output leaving: proof the plan read the remote state. */
export const seededOutputRemoved = (value: string) => new RegExp(`- seeded\\s*=\\s*"${value}" -> null`);

/** The state as the backend holds it (`terraform state pull`). */
export interface PulledState {
  readonly serial: number;
  readonly lineage: string;
  readonly resources: readonly { type: string; name: string; instances: { attributes: Record<string, any> }[] }[];
}

export async function pullState(workdir: TerraformWorkdir, env: Record<string, string> = {}): Promise<PulledState> {
  return JSON.parse((await workdir.run(['state', 'pull'], { env })).stdout) as PulledState;
}

/** `type.name` → the `id` attribute, for every resource of a pulled state. */
export function idsOf(state: PulledState): Record<string, string> {
  return Object.fromEntries(state.resources.map((r) => [`${r.type}.${r.name}`, r.instances[0]?.attributes.id]));
}

/**
 * Starts `work` for every name at once and returns the promises by name, for one test per name to await
 * (and report the failure of its own name). Rejections are not left unhandled in the meantime.
 */
export function startTogether<T>(names: readonly string[], work: (name: string) => Promise<T>): Record<string, Promise<T>> {
  return Object.fromEntries(
    names.map((name) => {
      const promise = work(name);
      promise.catch(() => undefined);
      return [name, promise];
    }),
  );
}

/**
 * Runs a test starts and does not await at once (the slow apply that holds a lock). `settle()`, called
 * after each test, waits for them, so a test that fails midway leaves no Terraform running into the next.
 */
export class BackgroundRuns {
  private readonly running = new Set<Promise<unknown>>();

  start<T>(run: Promise<T>): Promise<T> {
    this.running.add(run);
    run.then(
      () => this.running.delete(run),
      () => this.running.delete(run),
    );
    return run;
  }

  async settle(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }
}

/** Wall-clock time of each phase, printed at the end of a test file. */
export class Timings {
  private readonly phases: [string, number][] = [];

  async time<T>(phase: string, work: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await work();
    } finally {
      this.phases.push([phase, performance.now() - start]);
    }
  }

  record(phase: string, ms: number): void {
    this.phases.push([phase, ms]);
  }

  report(title: string): string {
    const width = Math.max(...this.phases.map(([p]) => p.length));
    return [
      `${title} — phase timings (wall clock, ms)`,
      ...this.phases.map(([p, ms]) => `  ${p.padEnd(width)}  ${ms.toFixed(0).padStart(7)}`),
    ].join('\n');
  }
}
