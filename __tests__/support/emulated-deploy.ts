/**
 * Helpers of the emulated deploy (`__tests__/emulated-deploy.emulated.test.ts`): how Terraform and cdktf
 * are pointed at moto, the prerequisites a config names but no stack creates (hosted zones, certificates,
 * buckets of their own), a trap that proves nothing leaves loopback, and state reading.
 *
 * Pointing at moto is TEST-ONLY and touches nothing but endpoints and retries:
 * - the AWS provider: `AWS_ENDPOINT_URL` (every service, one variable the SDK reads) plus an override file
 *   that lowers `max_retries` (moto's unimplemented calls answer 500, which the provider would otherwise
 *   retry for minutes);
 * - an s3 backend: a `-backend-config` file with its endpoints (S3, STS, DynamoDB) and path-style
 *   addressing, given to `terraform init` (cdktf: through `TF_CLI_ARGS_init`).
 * No skip flag anywhere: the provider and the backend ask STS who they are, and moto answers with the
 * account the server runs as (MOTO_ACCOUNT_ID), which `allowed_account_ids` then checks for real.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import { DeleteHostedZoneCommand } from '@aws-sdk/client-route-53';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import type { EnvironmentConfig, PlatformConfig } from '../../config/types';
import { s3BackendSettings } from '../../stacks/backend';
import { TEST_OVERRIDE_FILE, cliConfigFile, withCallLog, type RunResult } from '../../harness/terraform';
import { EMULATOR_CREDENTIALS, createHostedZone, requestCertificate, type AwsClients } from './aws-readback';
import type { GapLedger } from './emulator-gaps';
import type { MotoServer } from '../../harness/moto';
import type { PulledState } from './remote-state';
import type { StackJson } from './synth';

/** Attempts per AWS call: enough for a dropped loopback connection, few enough that a 500 fails fast. */
export const MAX_RETRIES = 5;

/** Name of the test-only backend settings file in a working directory. */
export const BACKEND_CONFIG_FILE = 'zz_test_emulator.s3.tfbackend';

/**
 * A loopback TCP port that accepts connections only to count and drop them. Terraform, the provider and
 * the backend get it as their HTTP(S) proxy: Go sends every destination except loopback through the proxy
 * (and never a loopback one), so any attempt to reach beyond 127.0.0.1 lands here and fails.
 */
export class ProxyTrap {
  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly seen: string[],
  ) {}

  static async start(): Promise<ProxyTrap> {
    const seen: string[] = [];
    const server = createServer((socket) => {
      socket.once('data', (chunk) => seen.push(chunk.toString().split('\r\n')[0]));
      socket.setTimeout(1000, () => socket.destroy());
      setTimeout(() => socket.destroy(), 200);
    });
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return new ProxyTrap(server, `http://127.0.0.1:${port}`, seen);
  }

  /** First request line of every connection that tried to leave loopback. */
  attempts(): string[] {
    return [...this.seen];
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Environment of a Terraform or cdktf process whose AWS calls go to `server`. */
export function emulatorEnv(server: MotoServer, trap: ProxyTrap): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: server.endpoint,
    AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
    // The credentials above are the whole chain: no shared files, no instance metadata.
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
    HTTP_PROXY: trap.url,
    HTTPS_PROXY: trap.url,
    NO_PROXY: '127.0.0.1,localhost',
  };
}

/**
 * The override of a working directory: fewer provider retries, nothing else — but for a backend the
 * emulator cannot hold (`localBackend`), the state kept locally instead.
 */
export function providerOverrideFile(localBackend?: { path: string }): Record<string, string> {
  const override: Record<string, unknown> = { provider: { aws: { max_retries: MAX_RETRIES } } };
  if (localBackend) override.terraform = { backend: { local: localBackend } };
  return { [TEST_OVERRIDE_FILE]: JSON.stringify(override, null, 2) };
}

/** `-backend-config` settings that move an s3 backend to `stateServer`. */
export function backendConfigText(stateServer: MotoServer): string {
  const e = stateServer.endpoint;
  return `# TEST-ONLY: the s3 backend against moto on loopback.\nendpoints = {\n  s3       = "${e}"\n  sts      = "${e}"\n  iam      = "${e}"\n  dynamodb = "${e}"\n}\nuse_path_style = true\n`;
}

/**
 * Runs `command` with the mirror CLI config, no version checks, and (for cdktf) no shared plugin cache:
 * cdktf points Terraform at ~/.terraform.d/plugin-cache, where two cdktf runs at once collide
 * ("failed to create directory … file exists"). Resolves with its output (any exit code).
 */
export function runCommand(command: string, args: string[], cwd: string, env: Record<string, string>): Promise<RunResult> {
  return new Promise((resolvePromise) => {
    const base = {
      TF_CLI_CONFIG_FILE: cliConfigFile(),
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      CHECKPOINT_DISABLE: '1',
      CDKTF_DISABLE_PLUGIN_CACHE_ENV: 'true',
    };
    // cdktf runs its Terraform processes one after another: with a call log, they append to one file.
    const child = spawn(command, args, {
      cwd,
      env: withCallLog({ ...process.env, ...base, ...env }, `${command}-${args.find((a) => !a.startsWith('-')) ?? ''}`),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('exit', (code) => resolvePromise({ stdout, stderr, code: code ?? 1 }));
  });
}

/** Writes the backend settings into `dir`; returns the path for `-backend-config=`. */
export function writeBackendConfig(dir: string, stateServer: MotoServer): string {
  const path = join(dir, BACKEND_CONFIG_FILE);
  writeFileSync(path, backendConfigText(stateServer));
  return path;
}

/**
 * The config to deploy: `config` with what its environments name but no stack creates made in the
 * emulator first — a hosted zone for every hosted zone id the config names (`https.hostedZoneId`,
 * `frontends[].hostedZoneId`), a certificate for `https.certificateArn`, the bucket of an s3 backend that
 * names its own — and their emulator ids put in place of the examples.
 */
export async function withPrerequisites(
  config: PlatformConfig,
  clientsOf: (env: EnvironmentConfig) => AwsClients,
  stateClients: AwsClients,
  ledger: GapLedger,
): Promise<PlatformConfig> {
  const copy = structuredClone(config) as { -readonly [K in keyof PlatformConfig]: any };
  copy.environments = await Promise.all(
    config.environments.map(async (env) => {
      const clients = clientsOf(env);
      const zones = await hostedZonesOf(env, clients, ledger);
      let https = env.https;
      if (https?.hostedZoneId !== undefined) https = { ...https, hostedZoneId: zones.get(https.hostedZoneId)! };
      if (https?.certificateArn !== undefined) https = { ...https, certificateArn: await requestCertificate(clients, https.domainName) };
      const frontends = env.frontends.map((f) => (f.hostedZoneId === undefined ? f : { ...f, hostedZoneId: zones.get(f.hostedZoneId)! }));
      if (env.backend.kind === 's3' && env.backend.bucket !== undefined) {
        await stateClients.s3.send(new CreateBucketCommand({ Bucket: env.backend.bucket }));
      }
      return { ...env, ...(https === undefined ? {} : { https }), frontends };
    }),
  );
  return copy as PlatformConfig;
}

/**
 * One emulator hosted zone per hosted zone id the environment names (configured id → emulator id), named
 * for what the names that use it have in common: https and the front-ends may share one zone
 * (`app.example.com`, `www.example.com` → `example.com`), as they do in AWS.
 */
async function hostedZonesOf(env: EnvironmentConfig, clients: AwsClients, ledger: GapLedger): Promise<Map<string, string>> {
  const names = new Map<string, string[]>();
  const use = (zoneId: string | undefined, domain: string | undefined) => {
    if (zoneId !== undefined && domain !== undefined) names.set(zoneId, [...(names.get(zoneId) ?? []), domain]);
  };
  use(env.https?.hostedZoneId, env.https?.domainName);
  // A front-end without a zone of its own is published in https's.
  for (const f of env.frontends) use(f.hostedZoneId ?? (f.domainName ? env.https?.hostedZoneId : undefined), f.domainName);
  const zones = new Map<string, string>();
  for (const [configured, domains] of names)
    zones.set(configured, await hostedZoneLikeAws(clients, commonSuffix(domains), ledger, env.name));
  return zones;
}

/** The longest DNS suffix all `domains` share (`www.example.com`, `admin.example.com` → `example.com`). */
function commonSuffix(domains: readonly string[]): string {
  const labels = domains.map((d) => d.split('.').reverse());
  const shared: string[] = [];
  for (let i = 0; labels.every((l) => i < l.length && l[i] === labels[0][i]); i++) shared.push(labels[0][i]);
  if (shared.length === 0) throw new Error(`the names ${domains.join(', ')} share one hosted zone id but no DNS suffix`);
  return shared.reverse().join('.');
}

/**
 * A hosted zone for `domain` whose id starts with "Z", as every Route 53 id does (and the config
 * validation requires). moto draws ids from 22 random letters and digits, so zones are created until one
 * qualifies and the others deleted (emulator gap `route53-zone-id-prefix`, recorded when moto still
 * hands out such ids).
 */
async function hostedZoneLikeAws(clients: AwsClients, domain: string, ledger: GapLedger, where: string): Promise<string> {
  const ids: string[] = [];
  const qualifies = (id: string) => id.startsWith('Z');
  // Until a Z id is found, and one that is not (the gap) was seen or 20 draws all qualified (it is gone).
  while (!(ids.some(qualifies) && (ids.some((id) => !qualifies(id)) || ids.length >= 20))) {
    if (ids.length >= 500) throw new Error(`moto gave no hosted zone id starting with Z in ${ids.length} tries`);
    ids.push(await createHostedZone(clients, domain));
  }
  const found = ids.find(qualifies)!;
  if (ids.some((id) => !qualifies(id))) ledger.record('route53-zone-id-prefix', `${where}: hosted zone for ${domain}`);
  await Promise.all(ids.filter((id) => id !== found).map((Id) => clients.route53.send(new DeleteHostedZoneCommand({ Id }))));
  return found;
}

/** Where an environment's s3 backend keeps its state, or undefined when its backend is not s3. */
export function s3StateLocation(
  config: PlatformConfig,
  env: EnvironmentConfig,
  stackName: string,
): { bucket: string; key: string } | undefined {
  if (env.backend.kind !== 's3') return undefined;
  const s = s3BackendSettings({
    project: config.project,
    stackName,
    keyScope: env.name,
    region: env.region,
    backend: env.backend,
    state: config.state,
  });
  return { bucket: s.bucket, key: s.key };
}

/** `type.name` → the resource's attributes, for every resource of a pulled state. */
export function stateIndex(state: PulledState): Record<string, Record<string, any>> {
  return Object.fromEntries(
    state.resources.filter((r: any) => r.mode !== 'data').map((r) => [`${r.type}.${r.name}`, r.instances[0]?.attributes ?? {}]),
  );
}

/** The attributes of the only resource of `type` in `index`; throws when there is not exactly one. */
export function onlyOfType(index: Record<string, Record<string, any>>, type: string): Record<string, any> {
  const found = Object.entries(index).filter(([address]) => address.startsWith(`${type}.`));
  if (found.length !== 1) throw new Error(`expected exactly one ${type} in the state, found ${found.map(([a]) => a).join(', ') || 'none'}`);
  return found[0][1];
}

/** Every resource of `type` in `index`. */
export function allOfType(index: Record<string, Record<string, any>>, type: string): Record<string, any>[] {
  return Object.entries(index)
    .filter(([address]) => address.startsWith(`${type}.`))
    .map(([, attributes]) => attributes);
}

/**
 * The region each resource of `stack` is deployed to: its provider's (`provider: "aws.<alias>"`, else the
 * default aws provider's). `address` is `type.name`, with or without an instance key.
 */
export function providerRegionOf(stack: StackJson): (address: string) => string {
  const providers = ([] as { alias?: string; region: string }[]).concat(stack.provider.aws ?? []);
  const regionOfAlias = new Map(providers.map((p) => [p.alias === undefined ? 'aws' : `aws.${p.alias}`, p.region]));
  return (address) => {
    const [type, name] = address.replace(/\[[^\]]*\]$/, '').split('.');
    const resource = stack.resource[type]?.[name];
    if (resource === undefined) throw new Error(`${address} is not a resource of the stack`);
    const region = regionOfAlias.get(resource.provider ?? 'aws');
    if (region === undefined) throw new Error(`${address}: provider ${resource.provider ?? 'aws'} has no region in the stack`);
    return region;
  };
}

/** Every region the stack's aws providers deploy to. */
export function providerRegions(stack: StackJson): string[] {
  return [...new Set(([] as { region: string }[]).concat(stack.provider.aws ?? []).map((p) => p.region))].sort();
}
