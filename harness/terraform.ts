/**
 * Runs real Terraform on synthesized stacks, offline: the test harness behind `npm test` and `npm run check`.
 *
 * Each stack is copied to a fresh temp directory with a TEST-ONLY override file (local backend, dummy
 * credentials, the provider's skip flags). Nothing of that reaches `cdktf.out`. Providers come from a
 * filesystem mirror (TF_PROVIDER_MIRROR, default /opt/tf-plugins) when it exists, else from the registry;
 * they are symlinked from the mirror, so parallel inits share nothing writable (no plugin-cache race), and
 * every working directory gets its own lock file.
 */
import { execFile, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where this machine keeps the offline provider mirror. */
export const DEFAULT_PROVIDER_MIRROR = '/opt/tf-plugins';

/** Name of the test-only override file; Terraform merges `*_override.tf.json` last. */
export const TEST_OVERRIDE_FILE = 'zz_test_override.tf.json';

export interface OfflineOptions {
  /**
   * Where the plan reads what the stacks look up at plan time (the AMI's public SSM parameter): an AWS API
   * emulator on loopback (harness/moto.ts). Without it, a stack with such a lookup cannot plan.
   * @default - no endpoint: validate and mock apply need none
   */
  readonly readEndpoint?: string;
  /**
   * The aliases of the stack's other AWS provider configurations (`us_east_1` for CloudFront's region);
   * each gets the same offline settings as the default one.
   * @default - the default provider only
   */
  readonly aliases?: readonly string[];
}

/** The aliases of a stack's AWS provider configurations (`us_east_1` for CloudFront's region), from its JSON. */
export function awsProviderAliases(stack: { provider?: Record<string, unknown> } | undefined): string[] {
  const configs = ([] as { alias?: string }[]).concat((stack?.provider?.aws as { alias?: string }[] | undefined) ?? []);
  return configs.map((c) => c.alias).filter((a): a is string => typeof a === 'string');
}

/**
 * Test-only provider and backend settings: plan and apply with no AWS account and no network. Every AWS
 * provider configuration of the stack gets them: the default one, and each alias in `options.aliases`.
 */
export function offlineOverride(options: OfflineOptions = {}): Record<string, unknown> {
  const offline = {
    access_key: 'mock-access-key',
    secret_key: 'mock-secret-key',
    skip_credentials_validation: true,
    skip_requesting_account_id: true,
    skip_metadata_api_check: true,
    // The real stack pins the account; with no account to ask for, the pin cannot be checked here.
    allowed_account_ids: null,
    ...(options.readEndpoint ? { endpoints: [{ ssm: options.readEndpoint }] } : {}),
  };
  const aliases = options.aliases ?? [];
  return {
    terraform: { backend: { local: { path: 'terraform.tfstate' } } },
    provider: { aws: aliases.length === 0 ? offline : [offline, ...aliases.map((alias) => ({ alias, ...offline }))] },
  };
}

/** The offline override as the file a working directory gets (name → content). */
export function offlineOverrideFile(options: OfflineOptions = {}): Record<string, string> {
  return { [TEST_OVERRIDE_FILE]: JSON.stringify(offlineOverride(options), null, 2) };
}

/** The offline override file for the synthesized stack in `stackDir` (its provider aliases read from it). */
export function offlineOverrideFileFor(stackDir: string, options: Omit<OfflineOptions, 'aliases'> = {}): Record<string, string> {
  return { [TEST_OVERRIDE_FILE]: JSON.stringify(offlineOverrideFor(stackDir, options), null, 2) };
}

/** The offline override for the synthesized stack in `stackDir`: every AWS provider alias it has gets it. */
export function offlineOverrideFor(stackDir: string, options: Omit<OfflineOptions, 'aliases'> = {}): Record<string, unknown> {
  return offlineOverride({ ...options, aliases: awsProviderAliases(JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8'))) });
}

/** `terraform` from TERRAFORM_BIN or PATH; throws with install instructions when it is missing. */
export function terraformBinary(): string {
  const bin = process.env.TERRAFORM_BIN ?? 'terraform';
  // The probe asks HashiCorp for the latest version unless checkpoints are off: nothing here needs that.
  const probe = spawnSync(bin, ['version', '-json'], { encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      `Terraform is required but "${bin}" could not be run (${probe.error?.message ?? probe.stderr}).\n` +
        'Install Terraform >= 1.10 (https://developer.hashicorp.com/terraform/install, or your package manager) ' +
        'and put it on PATH, or set TERRAFORM_BIN to its path.',
    );
  }
  return bin;
}

let cliConfigPath: string | undefined;

/**
 * A Terraform CLI config whose `provider_installation` uses the offline mirror for hashicorp/aws when the
 * mirror directory exists; otherwise Terraform's defaults (the registry) apply.
 */
export function cliConfigFile(): string {
  if (cliConfigPath) return cliConfigPath;
  const mirror = process.env.TF_PROVIDER_MIRROR ?? DEFAULT_PROVIDER_MIRROR;
  const dir = mkdtempSync(join(tmpdir(), 'tf-cli-'));
  cliConfigPath = join(dir, 'terraform.tfrc');
  const body = existsSync(mirror)
    ? `provider_installation {
  filesystem_mirror {
    path    = ${JSON.stringify(mirror)}
    include = ["registry.terraform.io/hashicorp/aws"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/aws"]
  }
}
`
    : '';
  writeFileSync(cliConfigPath, body);
  return cliConfigPath;
}

/**
 * Set in a run's environment, a directory: the run's AWS calls are recorded there, one JSON log per process
 * (`<start>-<n>-<command>.jsonl`), by Terraform's own logging (`TF_LOG=JSON`, the AWS provider's and the s3
 * backend's DEBUG entries "HTTP Request Sent" / "HTTP Response Received": service, operation, region,
 * resource type and body of every request). The CI roles' proof reads them (__tests__/support/iam/).
 */
export const CALL_LOG_DIR = 'TF_CALL_LOG_DIR';

let callLogSequence = 0;

/** `env` with Terraform's call logging on when it names a CALL_LOG_DIR (else unchanged). */
export function withCallLog<T extends Record<string, string | undefined>>(env: T, label: string): T {
  const dir = env[CALL_LOG_DIR];
  if (dir === undefined || dir === '') return env;
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${Date.now()}-${String(++callLogSequence).padStart(4, '0')}-${label.replace(/[^A-Za-z0-9-]/g, '_')}.jsonl`);
  return { ...env, TF_LOG: 'JSON', TF_LOG_CORE: 'DEBUG', TF_LOG_PROVIDER: 'DEBUG', TF_LOG_PATH: file };
}

export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

/** Thrown when Terraform fails; the message carries Terraform's own output. */
export class TerraformError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly result: RunResult,
    readonly dir: string,
  ) {
    super(
      `terraform ${args.join(' ')} failed (exit ${result.code}) in ${dir}\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`,
    );
    this.name = 'TerraformError';
  }
}

/** A stack copied into its own directory, ready for Terraform. */
export class TerraformWorkdir {
  private constructor(
    readonly dir: string,
    private readonly bin: string,
  ) {}

  /**
   * Copies the synthesized stack directory (cdk.tf.json and any assets) into a fresh temp dir and adds
   * `files` (name → content), by default the offline override for its providers.
   */
  static fromStack(stackDir: string, files?: Record<string, string>): TerraformWorkdir {
    if (!existsSync(join(stackDir, 'cdk.tf.json'))) throw new Error(`No synthesized stack at ${stackDir}`);
    return TerraformWorkdir.fromDirectory(stackDir, files ?? offlineOverrideFileFor(stackDir));
  }

  /**
   * Copies any Terraform configuration directory (JSON or HCL; without `.terraform/` and state, and
   * without its lock file unless `keepLockFile`) into a fresh temp dir and adds `files` (name → content).
   * With no `sourceDir`, the directory holds only `files`.
   */
  static fromDirectory(
    sourceDir: string | undefined,
    files: Record<string, string> = {},
    options: { keepLockFile?: boolean } = {},
  ): TerraformWorkdir {
    const bin = terraformBinary();
    const dir = mkdtempSync(join(tmpdir(), 'tf-stack-'));
    for (const entry of sourceDir ? readdirSync(sourceDir) : []) {
      if (entry === '.terraform' || entry.endsWith('.tfstate')) continue;
      if (entry === '.terraform.lock.hcl' && !options.keepLockFile) continue;
      cpSync(join(sourceDir as string, entry), join(dir, entry), { recursive: true });
    }
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), content);
    }
    return new TerraformWorkdir(dir, bin);
  }

  /**
   * Runs `terraform <args>`; resolves with its output when the exit code is allowed, else throws. A run
   * still going after `timeoutMs` (default 10 minutes) is killed and fails, so nothing hangs forever.
   */
  run(args: string[], options: { allowedCodes?: number[]; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<RunResult> {
    const env = withCallLog(
      {
        ...process.env,
        TF_CLI_CONFIG_FILE: cliConfigFile(),
        TF_IN_AUTOMATION: '1',
        TF_INPUT: '0',
        CHECKPOINT_DISABLE: '1',
        ...(options.env ?? {}),
      },
      args[0] ?? 'terraform',
    );
    return new Promise((resolve, reject) => {
      execFile(
        this.bin,
        args,
        { cwd: this.dir, env, maxBuffer: 512 * 1024 * 1024, timeout: options.timeoutMs ?? 600_000 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          const result = { stdout, stderr, code };
          if ((options.allowedCodes ?? [0]).includes(code)) resolve(result);
          else reject(new TerraformError(args, result, this.dir));
        },
      );
    });
  }

  init(extra: string[] = []): Promise<RunResult> {
    return this.run(['init', '-input=false', '-no-color', ...extra]);
  }

  validate(): Promise<RunResult> {
    return this.run(['validate', '-no-color']);
  }

  /** `terraform plan -out` then `terraform show -json`: the plan as Terraform represents it. */
  async plan(extra: string[] = []): Promise<PlanJson> {
    await this.run(['plan', '-input=false', '-no-color', '-lock=false', '-refresh=false', '-out=tfplan', ...extra]);
    const shown = await this.run(['show', '-json', 'tfplan']);
    return JSON.parse(shown.stdout) as PlanJson;
  }

  /** `terraform test` on the `.tftest.hcl` files placed in the working directory's `tests/`. */
  test(extra: string[] = [], options: { allowedCodes?: number[] } = {}): Promise<RunResult> {
    return this.run(['test', '-no-color', ...extra], options);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The part of `terraform show -json` the tests read. */
export interface PlanJson {
  readonly format_version: string;
  readonly errored?: boolean;
  readonly resource_changes: readonly {
    readonly address: string;
    readonly type: string;
    readonly name: string;
    readonly change: { readonly actions: readonly string[]; readonly after: Record<string, any> | null };
  }[];
  readonly planned_values: {
    readonly root_module: { readonly resources?: readonly { address: string; type: string; values: Record<string, any> }[] };
    readonly outputs?: Record<string, unknown>;
  };
  readonly configuration: Record<string, any>;
}

/** Count of planned creations per resource type. */
export function countByType(plan: PlanJson): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const rc of plan.resource_changes) {
    if (rc.change.actions.includes('create')) counts[rc.type] = (counts[rc.type] ?? 0) + 1;
  }
  return counts;
}

/** Planned values of every resource of `type`, by address. */
export function plannedOfType(plan: PlanJson, type: string): Record<string, Record<string, any>> {
  const out: Record<string, Record<string, any>> = {};
  for (const r of plan.planned_values.root_module.resources ?? []) if (r.type === type) out[r.address] = r.values;
  return out;
}

/** Name of the test-only override that lifts `prevent_destroy` for a mock apply's teardown. */
export const LIFT_PREVENT_DESTROY_FILE = 'zz_lift_prevent_destroy_override.tf.json';

type StackResources = { resource?: Record<string, Record<string, { lifecycle?: { prevent_destroy?: boolean } }>> };

/** Addresses (`type.name`) of the resources a synthesized stack protects with `prevent_destroy`. */
export function protectedAddresses(stack: StackResources): string[] {
  return Object.entries(stack.resource ?? {}).flatMap(([type, byName]) =>
    Object.entries(byName)
      .filter(([, body]) => body.lifecycle?.prevent_destroy === true)
      .map(([name]) => `${type}.${name}`),
  );
}

/**
 * TEST-ONLY override: `prevent_destroy = false` on exactly the protected resources, so `terraform test`
 * can tear down what its mock apply created. What users deploy keeps the protection.
 */
export function liftPreventDestroyOverride(stack: StackResources): string {
  const resource: Record<string, Record<string, unknown>> = {};
  for (const address of protectedAddresses(stack)) {
    const [type, name] = address.split('.');
    (resource[type] ??= {})[name] = { lifecycle: { prevent_destroy: false } };
  }
  // An empty `resource` object is not valid Terraform JSON; an empty document is.
  return JSON.stringify(Object.keys(resource).length > 0 ? { resource } : {}, null, 2);
}
