/**
 * Applied for real, against an AWS API emulator: every stack `buildStacks` makes from the shipped config
 * is deployed into moto on loopback, one moto server per stack (moto gives every DB instance the same
 * resource id, so two databases must not share a server), by real Terraform with the real AWS provider.
 *
 * 1. The bootstrap stack the way docs/deploy.md's manual fallback has it: applied with local state, read back
 *    through the AWS SDK, planned again, then its state moved into the bucket it made (`init -migrate-state`).
 * 2. Every environment at once, through its real s3 backend on the bootstrap stack's server, with the S3
 *    lock file (`use_lockfile`): while it applies, a second working directory is refused the lock (412);
 *    afterwards that directory reads the state back (the round trip) and plans again, and `cdktf diff` —
 *    the user's command — reads the same remote state.
 * 3. Read back through the SDK: subnets, routes and NAT per tier and zone, security group rules, the
 *    database, the auto scaling group, listeners, buckets and key rotation, against the config.
 * 4. Teardown: an environment without deletion protection is destroyed and nothing of it is left; the
 *    others, and the bootstrap stack, are refused by `prevent_destroy` and nothing of them is destroyed.
 *
 * Where moto is not AWS, the difference is a named entry of support/emulator-gaps.ts; anything else
 * failing, and any entry the run no longer needs, fails the test. Nothing leaves loopback (a trap proxy
 * counts every attempt). Terraform is pointed at moto as support/emulated-deploy.ts describes.
 */
import { copyFileSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawn } from 'node:child_process';
import { DeleteBucketPolicyCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS, ENGINES } from '../config/catalog';
import { apiBehindEdge, apiPathOf, exclusivePrefixOf } from '../config/edge';
import { FRONTEND_HEADER } from '../naming/names';
import { platform } from '../config/environments';
import type { EnvironmentConfig, PlatformConfig } from '../config/types';
import { validateConfig } from '../config/validate';
import { stateStackName } from '../stacks/state-stack';
import { stateStackNames } from '../naming';
import { webStackName } from '../stacks/web-stack';
import { CALL_LOG_DIR, TerraformWorkdir, cliConfigFile, protectedAddresses, type PlanJson, type RunResult } from '../harness/terraform';
import {
  awsClients,
  closeClients,
  liveResources,
  readAutoScalingGroup,
  readBucketPolicy,
  readBucketsAndKeys,
  readDatabase,
  readListenerRules,
  readListeners,
  readLoadBalancer,
  readNatGateways,
  readRepository,
  readSecurityGroupRules,
  readSubnets,
  readVpcEndpoints,
  type AwsClients,
  type BucketFacts,
} from './support/aws-readback';
import {
  ProxyTrap,
  allOfType,
  emulatorEnv,
  onlyOfType,
  providerOverrideFile,
  providerRegionOf,
  providerRegions,
  runCommand,
  s3StateLocation,
  stateIndex,
  withPrerequisites,
  writeBackendConfig,
} from './support/emulated-deploy';
import {
  EMULATOR_GAPS,
  GapLedger,
  applyErrors,
  blockOf,
  consequencesOf,
  judgePlan,
  triageApplyErrors,
  type ChangeVerdict,
  type ResourceError,
} from './support/emulator-gaps';
import { within, until } from './support/local-services';
import { preventDestroyRefusals } from './support/mock-apply';
import { startMoto, type MotoServer } from '../harness/moto';
import { Timings, pullState, type PulledState } from './support/remote-state';
import { selectedStacks } from './support/stacks';
import { synth, synthValidated, type StackJson, type Synthesized } from './support/synth';
import type { RecordedCall } from './support/iam/call-log';
import { callLogOf, decideCalls, factsOf } from './support/iam/prove';
import type { SimRequest } from './support/iam/requests';
import { bucketPolicyOf, documentOf, knownValues, rolePrincipal } from './support/iam/simulate';

const root = resolve(__dirname, '..');
/** The app role attaches an AWS managed policy: moto loads them on request. */
const MANAGED_POLICIES = { MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' };
/** Longest any one test waits: the bootstrap, an environment's apply (RDS waits ~3 min), then its teardown. */
const STAGE_MS = 15 * 60_000;

// ---- what is deployed: the stacks buildStacks makes from the shipped config ----
const config: PlatformConfig = validateConfig(platform);
const shipped = synth(config);
const bootstrapName = config.state ? stateStackName(config.project) : undefined;
const environments = config.environments.map((env) => ({ env, stack: webStackName(config.project, env.name) }));
/**
 * The environments deployed: every one, or those TEST_STACKS names (`TEST_STACKS=web-prod`). The bootstrap stack
 * always runs (the s3 backends keep their state in its bucket). A partial run still fails on a stale gap: an entry
 * only another environment needs shows as stale there, and the message names the filter.
 */
const envNames = selectedStacks(environments.map((e) => e.stack));
const s3Envs = environments.filter((e) => envNames.includes(e.stack) && e.env.backend.kind === 's3').map((e) => e.stack);
const envOf = (stack: string) => environments.find((e) => e.stack === stack)!.env;
/** The environment's own key (in its region; the edge has another, in us-east-1). */
const stackKeyArn = (stack: string, index: Record<string, Record<string, any>>) => {
  const regionOf = providerRegionOf(deployed.stacks[stack]);
  const keys = Object.entries(index).filter(([address]) => address.startsWith('aws_kms_key.') && regionOf(address) === envOf(stack).region);
  if (keys.length !== 1)
    throw new Error(`${stack}: expected one key in ${envOf(stack).region}, found ${keys.map(([a]) => a).join(', ') || 'none'}`);
  return keys[0][1].arn as string;
};

const ledger = new GapLedger();
/** The managed rotation of the database secret, and moto's refusal to cancel it (the gap secret-rotation-cancel-needs-lambda). */
const PASSWORD_ROTATION = 'aws_secretsmanager_secret_rotation.database_password_rotation';
const ROTATION_CANCEL_REFUSED =
  /CancelRotateSecret, https response error StatusCode: 400[\s\S]*doesn't already have a Lambda function ARN configured/;
const timings = new Timings();
const workdirs: TerraformWorkdir[] = [];
const scratch = mkdtempSync(join(tmpdir(), 'emulated-'));
const servers: Record<string, MotoServer> = {};
/** Each stack's clients in the region of its (default) provider. */
const clients: Record<string, AwsClients> = {};
const regional = new Map<string, AwsClients>();
/** A stack's clients in any region (the edge lives in us-east-1): one server answers every region. */
const clientsIn =
  (stack: string) =>
  (region: string): AwsClients => {
    const key = `${stack} ${region}`;
    if (!regional.has(key)) regional.set(key, awsClients(servers[stack].endpoint, region));
    return regional.get(key)!;
  };
/** Everything of an environment still in its account, in every region its providers deploy to. */
async function liveOf(stack: string): Promise<string[]> {
  const env = envOf(stack);
  const regions = providerRegions(deployed.stacks[stack]);
  const found = await Promise.all(
    regions.map((r) => liveResources(clientsIn(stack)(r), { Project: config.project, Environment: env.name }, stack)),
  );
  return [...new Set(found.flat())].sort();
}
let trap: ProxyTrap;
/** The shipped config with the emulator's ids of the prerequisites (hosted zones, certificates). */
let deployConfig: PlatformConfig;
let deployed: Synthesized;

function workdir(stackDir: string, files: Record<string, string> = providerOverrideFile()): TerraformWorkdir {
  const w = TerraformWorkdir.fromStack(stackDir, files);
  workdirs.push(w);
  return w;
}

/** A working directory of `stack`: its state where its backend keeps it (s3: on moto; local: in place). */
function stackWorkdir(stack: string): TerraformWorkdir {
  const kind = Object.keys(deployed.stacks[stack].terraform.backend ?? { local: {} })[0];
  // pg and HCP Terraform have no emulator here (pg: remote-state-pg.tf.test.ts): the state stays local.
  return workdir(deployed.dirs[stack], providerOverrideFile(kind === 'pg' || kind === 'cloud' ? { path: 'terraform.tfstate' } : undefined));
}

/** Who makes a run's AWS calls in CI: the environment's deploy role, its plan role; the bootstrap stack's, an administrator. */
type Caller = 'deploy' | 'plan';
/** Where the calls of `stack` made as `caller` are recorded (ci-permissions below proves each one allowed). */
const callsDir = (stack: string, caller: Caller) => join(scratch, 'calls', stack, stack === bootstrapName ? 'admin' : caller);
/**
 * The environment of a Terraform or cdktf process of `stack`, its calls recorded as `caller`'s; runs that
 * only test the harness (lock contention, reading the state back) are not recorded.
 */
const envFor = (stack: string, caller?: Caller) => ({
  ...emulatorEnv(servers[stack], trap),
  ...(caller ? { [CALL_LOG_DIR]: callsDir(stack, caller) } : {}),
});
/** The server that holds the state bucket: the bootstrap stack's. */
const stateServer = () => servers[bootstrapName ?? envNames[0]];
const stateClients = () => clients[bootstrapName ?? envNames[0]];

/** `terraform init`, with the backend moved to the state server when the stack's backend is s3. */
async function init(w: TerraformWorkdir, stack: string): Promise<RunResult> {
  const s3 = deployed.stacks[stack].terraform.backend?.s3 !== undefined;
  const backend = s3 ? [`-backend-config=${writeBackendConfig(w.dir, stateServer())}`] : [];
  return w.run(['init', '-input=false', '-no-color', ...backend], { env: envFor(stack, 'deploy') });
}

interface Applied {
  readonly result: RunResult;
  readonly errors: readonly ResourceError[];
  readonly unexpected: readonly ResourceError[];
  /** Resources whose create failed with a known gap. */
  readonly failedCreates: ReadonlySet<string>;
  /** Resources not created because they refer to one whose create failed (`type.name` → gap id). */
  readonly consequences: ReadonlyMap<string, string>;
  readonly state: PulledState;
  readonly index: Record<string, Record<string, any>>;
}

/** `terraform apply -json` against the stack's server; errors triaged against the allow-list. */
async function apply(w: TerraformWorkdir, stack: string): Promise<Applied> {
  const result = await timings.time(`${stack}: apply`, () =>
    w.run(['apply', '-auto-approve', '-input=false', '-json'], { env: envFor(stack, 'deploy'), allowedCodes: [0, 1], timeoutMs: STAGE_MS }),
  );
  const errors = applyErrors(result.stdout);
  const { allowed, unexpected } = triageApplyErrors(errors, ledger, stack);
  if (result.code !== 0 && errors.length === 0) throw new Error(`${stack}: apply failed without a resource error:\n${result.stderr}`);
  const state = await pullState(w, envFor(stack));
  const consequences = consequencesOf(deployed.stacks[stack].resource, allowed);
  return { result, errors, unexpected, failedCreates: new Set(allowed.keys()), consequences, state, index: stateIndex(state) };
}

/**
 * A plan (refreshing everything) as `terraform show -json` has it: the plan role's, without the lock, as
 * pull requests and drift checks plan (the plan role may not write the lock).
 */
async function planJson(w: TerraformWorkdir, stack: string): Promise<PlanJson> {
  await w.run(['plan', '-input=false', '-no-color', '-lock=false', '-out=second.tfplan'], {
    env: envFor(stack, 'plan'),
    timeoutMs: STAGE_MS,
  });
  return JSON.parse((await w.run(['show', '-json', 'second.tfplan'], { env: envFor(stack) })).stdout) as PlanJson;
}

/** `terraform destroy` that prevent_destroy must refuse; what it said, and the state before and after. */
async function refusedDestroy(w: TerraformWorkdir, stack: string) {
  const before = await pullState(w, envFor(stack));
  const result = await w.run(['destroy', '-auto-approve', '-input=false', '-no-color', '-refresh=false'], {
    env: envFor(stack, 'deploy'),
    allowedCodes: [0, 1],
  });
  const after = await pullState(w, envFor(stack));
  return { result, before, after };
}

/** Every bucket of `stack` is there, encrypted as synthesized, versioned and private; every key rotates. */
function expectBucketsAndKeysAsSynthesized(
  stack: StackJson,
  read: { buckets: Record<string, BucketFacts>; keyRotation: Record<string, boolean | undefined> },
): void {
  const nameOf = Object.fromEntries(Object.entries(stack.resource.aws_s3_bucket as Record<string, any>).map(([id, b]) => [id, b.bucket]));
  const designed = Object.fromEntries(
    Object.values(stack.resource.aws_s3_bucket_server_side_encryption_configuration as Record<string, any>).map((c) => [
      nameOf[/aws_s3_bucket\.([^.]+)\./.exec(c.bucket)![1]],
      c.rule[0].apply_server_side_encryption_by_default.sse_algorithm,
    ]),
  );
  expect(Object.keys(read.buckets).sort()).toEqual(Object.values(nameOf).sort());
  for (const [name, bucket] of Object.entries(read.buckets)) {
    expect({ name, ...bucket }).toMatchObject({
      name,
      sseAlgorithm: designed[name],
      versioning: 'Enabled',
      ownership: 'BucketOwnerEnforced',
      publicAccessBlock: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    });
  }
  expect(Object.keys(read.keyRotation)).toHaveLength(Object.keys(stack.resource.aws_kms_key ?? {}).length);
  expect(Object.values(read.keyRotation).every((on) => on === true)).toBe(true);
}

/**
 * Every resource of `stack` is in the state, or its create failed with a known gap, or it refers to one
 * that did (a consequence, recorded in the ledger): what is left is missing without a reason.
 */
function unexplainedAbsences(stack: StackJson, a: Applied, where: string): string[] {
  const failed = new Set([...a.failedCreates].map(blockOf));
  const missing = Object.entries(stack.resource)
    .flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`))
    .filter((address) => !(address in a.index) && !failed.has(address));
  const consequences = missing.filter((address) => a.consequences.has(address));
  consequences.forEach((address) =>
    ledger.record(a.consequences.get(address)!, `${where}: ${address} (refers to what the gap did not create)`),
  );
  return missing.filter((address) => !a.consequences.has(address));
}
const describeErrors = (errors: readonly ResourceError[]) =>
  errors.map((e) => `${e.address || '(no address)'}: ${e.summary}\n  ${e.detail.split('\n')[0]}`).join('\n');
const unexplainedOf = (verdicts: readonly ChangeVerdict[]) =>
  verdicts.filter((v) => v.unexplained.length > 0).map((v) => `${v.address} (${v.actions.join('+')}): ${v.unexplained.join('; ')}`);

// ---- the bootstrap stack ----

interface Bootstrap {
  readonly workdir: TerraformWorkdir;
  readonly applied: Applied;
  readonly buckets: Record<string, BucketFacts>;
  readonly keyRotation: Record<string, boolean | undefined>;
  readonly policy: unknown;
  /** What the workaround took away after the read-back: address → gap id. */
  readonly removedByWorkaround: ReadonlyMap<string, string>;
  /** What the TLS-only bucket answered an object write before the workaround. */
  readonly objectCallBeforeWorkaround: string;
}

/**
 * The bootstrap stack applied with local state and read back; then the state bucket made usable for the
 * backends (gap s3-policy-conditions-deny-objects: proven, then stepped around). The environments start
 * from here; the second plan follows (`bootstrapPlan`).
 */
async function bootstrapApply(): Promise<Bootstrap> {
  const stack = bootstrapName!;
  const w = stackWorkdir(stack);
  await timings.time(`${stack}: init (local state)`, () => init(w, stack));
  const applied = await apply(w, stack);
  const c = clients[stack];
  const { buckets, keyRotation } = await readBucketsAndKeys(clientsIn(stack), applied.index, providerRegionOf(deployed.stacks[stack]));
  const stateBucket = deployConfig.state!.bucket;
  const policy = await readBucketPolicy(c, stateBucket);

  const removedByWorkaround = new Map<string, string>();
  let objectCallBeforeWorkaround: string;
  try {
    await c.s3.send(new PutObjectCommand({ Bucket: stateBucket, Key: 'emulator-probe', Body: 'probe' }));
    objectCallBeforeWorkaround = 'accepted';
  } catch (error) {
    objectCallBeforeWorkaround = `${(error as { name?: string }).name} (HTTP ${(error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode})`;
    if (/\b403\b/.test(objectCallBeforeWorkaround)) ledger.record('s3-policy-conditions-deny-objects', `${stack}: ${stateBucket}`);
    await c.s3.send(new DeleteBucketPolicyCommand({ Bucket: stateBucket }));
    for (const [address, attributes] of Object.entries(applied.index)) {
      if (address.startsWith('aws_s3_bucket_policy.') && attributes.bucket === stateBucket)
        removedByWorkaround.set(address, 's3-policy-conditions-deny-objects');
    }
  }
  return { workdir: w, applied, buckets, keyRotation, policy, removedByWorkaround, objectCallBeforeWorkaround };
}

/** The bootstrap stack's second plan (local state still): nothing beyond the allow-list and the workaround. */
async function bootstrapPlan(b: Bootstrap): Promise<ChangeVerdict[]> {
  const stack = bootstrapName!;
  const plan = await timings.time(`${stack}: second plan`, () => planJson(b.workdir, stack));
  return judgePlan(
    plan,
    b.applied.failedCreates,
    ledger,
    `${stack} second plan`,
    new Map([...b.applied.consequences, ...b.removedByWorkaround]),
  );
}

let moved: PlatformConfig | undefined;
/** The deploy config once the bootstrap stack's own state is in the bucket (`state.backend: 's3'`). */
const movedConfig = () => (moved ??= { ...deployConfig, state: { ...deployConfig.state!, backend: 's3' } });

interface Migration {
  readonly output: RunResult;
  readonly localResources: string[];
  readonly remoteResources: string[];
  readonly object: { encryption?: string; key?: string };
}

/** The manual move: `state.backend: 's3'`, synth, `terraform init -migrate-state`. */
async function bootstrapMigrate(b: Bootstrap): Promise<Migration> {
  const stack = bootstrapName!;
  const moved = synth(movedConfig());
  copyFileSync(join(moved.dirs[stack], 'cdk.tf.json'), join(b.workdir.dir, 'cdk.tf.json'));
  const localResources = Object.keys(b.applied.index).sort();
  const backendFile = writeBackendConfig(b.workdir.dir, stateServer());
  const output = await timings.time(`${stack}: init -migrate-state`, () =>
    b.workdir.run(['init', '-migrate-state', '-force-copy', '-input=false', '-no-color', `-backend-config=${backendFile}`], {
      env: envFor(stack, 'deploy'),
    }),
  );
  const remote = stateIndex(await pullState(b.workdir, envFor(stack)));
  const location = { bucket: deployConfig.state!.bucket, key: moved.stacks[stack].terraform.backend.s3.key as string };
  const head = await clients[stack].s3.send(new HeadObjectCommand({ Bucket: location.bucket, Key: location.key }));
  return {
    output,
    localResources,
    remoteResources: Object.keys(remote).sort(),
    object: { encryption: head.ServerSideEncryption, key: head.SSEKMSKeyId },
  };
}

interface Unlock {
  readonly lockId: string;
  readonly lockedPlan: RunResult;
  readonly unlock: RunResult;
  readonly lockAfter: boolean;
  readonly planAfter: RunResult;
}

/**
 * A deploy interrupted hard (SIGKILL: no chance to release) leaves its lock file behind; the next run
 * is refused until `npm run unlock -- <stack> <lock id>` removes it.
 */
async function interruptedDeployAndUnlock(b: Bootstrap): Promise<Unlock> {
  const stack = bootstrapName!;
  const location = { bucket: deployConfig.state!.bucket, key: synth(movedConfig()).stacks[stack].terraform.backend.s3.key as string };
  const lockKey = `${location.key}.tflock`;
  const c = clients[stack];
  const env = { ...process.env, TF_CLI_CONFIG_FILE: cliConfigFile(), TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1', ...envFor(stack) };
  // A process group of its own, so the kill takes the provider plugin with it.
  const child = spawn(process.env.TERRAFORM_BIN ?? 'terraform', ['plan', '-input=false', '-no-color', '-lock=true'], {
    cwd: b.workdir.dir,
    env,
    stdio: 'ignore',
    detached: true,
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  try {
    await until(
      60_000,
      `the lock file of ${stack}`,
      () =>
        c.s3.send(new HeadObjectCommand({ Bucket: location.bucket, Key: lockKey })).then(
          () => true,
          () => false,
        ),
      100,
    );
  } finally {
    process.kill(-child.pid!, 'SIGKILL');
    await exited;
  }
  const lockInfo = JSON.parse(
    await (await c.s3.send(new GetObjectCommand({ Bucket: location.bucket, Key: lockKey }))).Body!.transformToString(),
  );
  const lockedPlan = await b.workdir.run(['plan', '-input=false', '-no-color', '-lock=true', '-lock-timeout=0s', '-refresh=false'], {
    env: envFor(stack),
    allowedCodes: [1],
  });

  const configFile = join(scratch, 'moved-config.json');
  writeFileSync(configFile, JSON.stringify(movedConfig()));
  const outdir = mkdtempSync(join(scratch, 'unlock-out-'));
  const unlock = await runNpm(['run', '--silent', 'unlock', '--', stack, lockInfo.ID, '-force'], {
    ...envFor(stack),
    PLATFORM_CONFIG: configFile,
    CDKTF_OUTDIR: outdir,
    TF_CLI_ARGS_init: `-backend-config=${writeBackendConfig(scratch, stateServer())}`,
  });
  const lockAfter = await c.s3.send(new HeadObjectCommand({ Bucket: location.bucket, Key: lockKey })).then(
    () => true,
    () => false,
  );
  const planAfter = await b.workdir.run(
    ['plan', '-input=false', '-no-color', '-lock=true', '-lock-timeout=0s', '-refresh=false', '-detailed-exitcode'],
    { env: envFor(stack), allowedCodes: [0, 2] },
  );
  return { lockId: lockInfo.ID, lockedPlan, unlock, lockAfter, planAfter };
}

const runNpm = (args: string[], env: Record<string, string>) => runCommand('npm', args, root, env);

// ---- the environments ----

interface Contention {
  readonly holder: { ID: string; Operation: string };
  readonly refused: RunResult;
  readonly lockAfterRefusal?: { ID: string };
}

interface EnvApplied extends Applied {
  readonly first: TerraformWorkdir;
  /** A second working directory of the same stack and backend. */
  readonly second?: TerraformWorkdir;
  readonly contention?: Contention;
  readonly lockLeft?: boolean;
  readonly secondState?: PulledState;
}

async function envApply(stack: string): Promise<EnvApplied> {
  const env = envOf(stack);
  const location = s3StateLocation(deployConfig, env, stack);
  const first = stackWorkdir(stack);
  const second = location ? stackWorkdir(stack) : undefined;
  await timings.time(`${stack}: init (two working directories)`, () => Promise.all([init(first, stack), second && init(second, stack)]));
  const applying = apply(first, stack);
  applying.catch(() => undefined);
  let contention: Contention | undefined;
  if (location && second) {
    // While the first directory applies, it holds the lock file; the second must be refused (412).
    const c = stateClients();
    const lockKey = `${location.key}.tflock`;
    const readLock = async () =>
      JSON.parse(await (await c.s3.send(new GetObjectCommand({ Bucket: location.bucket, Key: lockKey }))).Body!.transformToString()) as {
        ID: string;
        Operation: string;
      };
    await until(
      120_000,
      `the lock file of ${stack} during its apply`,
      () =>
        c.s3.send(new HeadObjectCommand({ Bucket: location.bucket, Key: lockKey })).then(
          () => true,
          () => false,
        ),
      100,
    );
    const holder = await readLock();
    const refused = await timings.time(`${stack}: plan from a second directory while locked (refused)`, () =>
      second.run(['plan', '-input=false', '-no-color', '-lock=true', '-lock-timeout=0s', '-refresh=false'], {
        env: envFor(stack),
        allowedCodes: [0, 1, 2],
      }),
    );
    const lockAfterRefusal = await readLock().catch(() => undefined);
    contention = { holder, refused, lockAfterRefusal };
  }
  const applied = await applying;
  let lockLeft: boolean | undefined;
  let secondState: PulledState | undefined;
  if (location && second) {
    lockLeft = await stateClients()
      .s3.send(new HeadObjectCommand({ Bucket: location.bucket, Key: `${location.key}.tflock` }))
      .then(
        () => true,
        () => false,
      );
    secondState = await pullState(second, envFor(stack));
  }
  return { ...applied, first, second, contention, lockLeft, secondState };
}

async function envReadback(stack: string, applied: EnvApplied) {
  const c = clients[stack];
  const index = applied.index;
  const vpc = onlyOfType(index, 'aws_vpc');
  const groups = Object.fromEntries(allOfType(index, 'aws_security_group').map((g) => [String(g.name).slice(`${stack}-`.length), g.id]));
  const defaultGroup = onlyOfType(index, 'aws_default_security_group');
  const db = onlyOfType(index, 'aws_db_instance');
  const asg = onlyOfType(index, 'aws_autoscaling_group');
  const lb = onlyOfType(index, 'aws_lb');
  const repository = onlyOfType(index, 'aws_ecr_repository');
  const [subnets, nats, rules, database, group, listeners, registry, endpoints, loadBalancer] = await Promise.all([
    readSubnets(c, vpc.id),
    readNatGateways(c, vpc.id),
    readSecurityGroupRules(c, { ...groups, default: defaultGroup.id }),
    readDatabase(c, db.identifier),
    readAutoScalingGroup(c, asg.name),
    readListeners(c, lb.arn),
    readRepository(c, repository.name),
    readVpcEndpoints(c, vpc.id),
    readLoadBalancer(c, lb.arn),
  ]);
  // Emulator gap elbv2-scheme-default-missing: moto leaves out the Scheme AWS defaults to internet-facing.
  if (loadBalancer.scheme === undefined && lb.internal === false) {
    ledger.record('elbv2-scheme-default-missing', `${stack}: ${lb.name}`);
    loadBalancer.scheme = 'internet-facing';
  }
  const https = allOfType(index, 'aws_lb_listener').find((l) => l.port === 443);
  const listenerRules = https ? await readListenerRules(c, https.arn) : [];
  const { buckets, keyRotation } = await readBucketsAndKeys(clientsIn(stack), index, providerRegionOf(deployed.stacks[stack]));
  const live = await liveOf(stack);
  return { subnets, nats, rules, database, group, listeners, listenerRules, loadBalancer, registry, endpoints, buckets, keyRotation, live };
}

interface Diffed {
  readonly result: RunResult;
  /** `address action` of every change the diff shows, in its own words. */
  readonly shown: string[];
  /** Its output as one text without spaces (what a cut line still shows). */
  readonly dense: string;
  /** Its summary: `<add> to add, <change> to change, <destroy> to destroy`. */
  readonly summary?: string;
  /** The plan it made (cdktf plans with `-out plan` in the stack's directory), judged. */
  readonly verdicts: ChangeVerdict[];
}

const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;
const SHOWN_AS: Record<string, string> = {
  'will be created': 'create',
  'will be updated in-place': 'update',
  'must be replaced': 'replace',
  'will be destroyed': 'delete',
};

/**
 * `npm run diff -- <stack>` (cdktf diff): a fresh synth of the deploy config into a directory of its own,
 * `terraform init` against the remote state, a plan refreshed against the stack's server. That plan is
 * the stack's second plan, judged attribute by attribute.
 */
async function cdktfDiff(stack: string, failedCreates: ReadonlySet<string>, consequences: ReadonlyMap<string, string>): Promise<Diffed> {
  const configFile = join(scratch, `${stack}-config.json`);
  writeFileSync(configFile, JSON.stringify(deployConfig));
  const outdir = mkdtempSync(join(scratch, `${stack}-cdktf-out-`));
  const backend = { TF_CLI_ARGS_init: `-backend-config=${writeBackendConfig(scratch, stateServer())}` };
  const result = await timings.time(`${stack}: cdktf diff (second plan)`, () =>
    // --skip-provider-lock: cdktf's `terraform providers lock` asks the registry for checksums, which an
    // offline run cannot reach (init still writes the lock file, from the provider mirror).
    // cdktf's own options go after a second `--` (npm run diff parses its own before it).
    runNpm(['run', '--silent', 'diff', '--', stack, '--', `--output=${outdir}`, '--skip-provider-lock=true'], {
      ...envFor(stack, 'plan'),
      PLATFORM_CONFIG: configFile,
      ...backend,
      // As the pull-request workflow runs it: the plan role may not write the lock.
      TF_CLI_ARGS_plan: '-lock=false',
    }),
  );
  if (result.code !== 0)
    throw new Error(
      `npm run diff -- ${stack} failed (exit ${result.code}):\n${`${result.stdout}\n${result.stderr}`.replace(ANSI, '').slice(-4000)}`,
    );
  const text = `${result.stdout}\n${result.stderr}`.replace(ANSI, '');
  // cdktf renders for an 80-column terminal when its output is not one: a long line wraps, and every
  // line starts with the stack's name. Read it as one text: prefixes dropped, whitespace collapsed.
  const flat = text
    .split('\n')
    .map((line) => line.replace(new RegExp(`^\\s*${stack}\\s+`), ''))
    .join(' ')
    .replace(/\s+/g, ' ');
  // A long address wraps inside itself, so the changes are read with every space removed (addresses have none).
  const dense = flat.replace(/ /g, '');
  const DENSE: Record<string, string> = Object.fromEntries(
    Object.entries(SHOWN_AS).map(([words, action]) => [words.replace(/ /g, ''), action]),
  );
  const shown = [...dense.matchAll(/#([^#\s(]+?)(?:\([^)]*\))?(willbecreated|willbeupdatedin-place|mustbereplaced|willbedestroyed)/g)].map(
    (m) => `${m[1]} ${DENSE[m[2]]}`,
  );
  const summary = /Plan: (\d+ to add, \d+ to change, \d+ to destroy)/.exec(flat)?.[1];
  const stackDir = join(outdir, 'stacks', stack);
  const shownPlan = await runCommand(process.env.TERRAFORM_BIN ?? 'terraform', ['show', '-json', 'plan'], stackDir, envFor(stack));
  if (shownPlan.code !== 0) throw new Error(`terraform show -json plan in ${stackDir} failed: ${shownPlan.stderr}`);
  const verdicts = judgePlan(
    JSON.parse(shownPlan.stdout) as PlanJson,
    failedCreates,
    ledger,
    `${stack} second plan (cdktf diff)`,
    consequences,
  );
  return { result, shown: [...new Set(shown)].sort(), dense, summary, verdicts };
}

/** `address action` of the changes of a judged plan, in the words of cdktf diff. */
const planChanges = (verdicts: readonly ChangeVerdict[]) =>
  verdicts
    .map((v) => `${v.address} ${v.actions.includes('delete') && v.actions.includes('create') ? 'replace' : v.actions.join('+')}`)
    .sort();

/** Terraform's summary line for the judged changes. */
const planSummary = (verdicts: readonly ChangeVerdict[]) => {
  const count = (action: string) => verdicts.filter((v) => v.actions.includes(action)).length;
  return `${count('create')} to add, ${count('update')} to change, ${count('delete')} to destroy`;
};

interface EnvRun {
  readonly applied: Promise<EnvApplied>;
  readonly readback: Promise<Awaited<ReturnType<typeof envReadback>>>;
  /** The second plan: cdktf diff's for a remote state, a terraform plan in the first directory else. */
  readonly secondPlan: Promise<ChangeVerdict[]>;
  readonly diff?: Promise<Diffed>;
  readonly teardown: Promise<
    | { kind: 'destroyed'; result: RunResult; live: string[] }
    | { kind: 'refused'; result: RunResult; before: PulledState; after: PulledState; liveAfter: string[] }
  >;
}

function runEnvironment(stack: string, ready: Promise<unknown>): EnvRun {
  const env = envOf(stack);
  const quiet = <T>(p: Promise<T>) => (p.catch(() => undefined), p);
  const applied = quiet(ready.then(() => envApply(stack)));
  const readback = quiet(applied.then((a) => envReadback(stack, a)));
  const remote = s3StateLocation(deployConfig, env, stack) !== undefined;
  const diff = remote ? quiet(applied.then((a) => cdktfDiff(stack, a.failedCreates, a.consequences))) : undefined;
  const secondPlan = quiet(
    diff
      ? diff.then((d) => d.verdicts)
      : applied.then(async (a) =>
          judgePlan(
            await timings.time(`${stack}: second plan`, () => planJson(a.first, stack)),
            a.failedCreates,
            ledger,
            `${stack} second plan`,
            a.consequences,
          ),
        ),
  );
  const teardown = quiet(
    Promise.all([applied, readback, secondPlan.catch(() => undefined)]).then(async ([a]) => {
      if (!env.deletionProtection) {
        // The second plan has just refreshed every resource.
        const destroy = () =>
          timings.time(`${stack}: destroy`, () =>
            a.first.run(['destroy', '-auto-approve', '-input=false', '-no-color', '-refresh=false'], {
              env: envFor(stack, 'deploy'),
              allowedCodes: [0, 1],
              timeoutMs: STAGE_MS,
            }),
          );
        let result = await destroy();
        // Emulator gap: moto cannot cancel the managed rotation of the database secret (emulator-gaps.ts).
        if (result.code !== 0 && ROTATION_CANCEL_REFUSED.test(`${result.stdout}\n${result.stderr}`)) {
          ledger.record('secret-rotation-cancel-needs-lambda', `${stack}: ${PASSWORD_ROTATION}`);
          await a.first.run(['state', 'rm', '-no-color', PASSWORD_ROTATION], { env: envFor(stack) });
          result = await destroy();
        }
        return { kind: 'destroyed' as const, result, live: await liveOf(stack) };
      }
      const refused = await refusedDestroy(a.first, stack);
      return { kind: 'refused' as const, ...refused, liveAfter: await liveOf(stack) };
    }),
  );
  return { applied, readback, secondPlan, diff, teardown };
}

// ---- the run ----

let bootstrap: Promise<Bootstrap>;
let bootstrapSecondPlan: Promise<ChangeVerdict[]>;
let migration: Promise<Migration>;
let unlock: Promise<Unlock>;
let bootstrapTeardown: Promise<Awaited<ReturnType<typeof refusedDestroy>>>;
let runs: Record<string, EnvRun>;
let wrongAccount: Promise<RunResult>;
const pending: Promise<unknown>[] = [];

beforeAll(async () => {
  trap = await ProxyTrap.start();
  const accountOf = (stack: string) => (stack === bootstrapName ? config.state!.accountId : envOf(stack).accountId);
  const started = await timings.time('start moto servers', () =>
    Promise.all(Object.keys(shipped.stacks).map(async (stack) => [stack, await startMoto(accountOf(stack), MANAGED_POLICIES)] as const)),
  );
  for (const [stack, server] of started) {
    servers[stack] = server;
    clients[stack] = awsClients(server.endpoint, stack === bootstrapName ? config.state!.region : envOf(stack).region);
  }
  // The bootstrap stack by hand, as docs/deploy.md's fallback has it: applied on a local backend first, then moved
  // (npm run bootstrap, which does the same in one command, is bootstrap.emulated.test.ts's).
  const firstLocal: PlatformConfig = config.state ? { ...config, state: { ...config.state, backend: 'local' } } : config;
  deployConfig = await withPrerequisites(firstLocal, (env) => clients[webStackName(config.project, env.name)], stateClients(), ledger);
  deployed = synth(deployConfig);

  const ready = bootstrapName ? (bootstrap = bootstrapApply()) : Promise.resolve();
  if (bootstrap !== undefined) {
    // One working directory, one step at a time: plan, move the state, the interrupted run, the refusal.
    bootstrapSecondPlan = bootstrap.then(bootstrapPlan);
    migration = bootstrapSecondPlan.catch(() => undefined).then(() => bootstrap.then(bootstrapMigrate));
    unlock = migration.then(() => bootstrap.then(interruptedDeployAndUnlock));
    bootstrapTeardown = unlock.catch(() => undefined).then(() => bootstrap.then((b) => refusedDestroy(b.workdir, bootstrapName!)));
    pending.push(bootstrap, bootstrapSecondPlan, migration, unlock, bootstrapTeardown);
  }
  runs = Object.fromEntries(envNames.map((stack) => [stack, runEnvironment(stack, ready)]));
  for (const run of Object.values(runs)) pending.push(...Object.values(run));
  wrongAccount = planAgainstAnotherAccount();
  pending.push(wrongAccount);
  pending.forEach((p) => p.catch(() => undefined));
}, 120_000);

afterAll(async () => {
  await within(STAGE_MS, 'the emulated deploy to settle', Promise.allSettled(pending)).catch(() => undefined);
  [...Object.values(clients), ...regional.values()].forEach(closeClients);
  await timings.time('stop moto servers', () => Promise.all(Object.values(servers).map((s) => s.stop())));
  await trap?.stop();
  workdirs.forEach((w) => w.remove());
  // KEEP_CALL_LOGS=<dir>: the recorded calls and the applied states, to study a refused call without a rerun.
  if (process.env.KEEP_CALL_LOGS) {
    cpSync(join(scratch, 'calls'), process.env.KEEP_CALL_LOGS, { recursive: true });
    for (const stack of envNames)
      await runs[stack].applied.then(
        (a) => writeFileSync(join(process.env.KEEP_CALL_LOGS!, stack, 'state.json'), JSON.stringify(a.state)),
        () => undefined,
      );
  }
  rmSync(scratch, { recursive: true, force: true });
  console.log(timings.report('emulated deploy (moto)'));
  console.log(
    ['emulator gaps this run needed:', ...Object.entries(ledger.uses()).map(([id, where]) => `  ${id}: ${where.join('; ')}`)].join('\n'),
  );
}, STAGE_MS);

/** A moto answering for another account: the provider's allowed_account_ids must refuse it. */
async function planAgainstAnotherAccount(): Promise<RunResult> {
  const stack = bootstrapName ?? envNames[0];
  const real = stack === bootstrapName ? config.state!.accountId : envOf(stack).accountId;
  const other = real === '000000000000' ? '999999999999' : '000000000000';
  const server = await startMoto(other, MANAGED_POLICIES);
  try {
    // The state stays local: only the provider's account check is under test.
    const w = workdir(shipped.dirs[stack], providerOverrideFile({ path: 'terraform.tfstate' }));
    const env = emulatorEnv(server, trap);
    await w.run(['init', '-input=false', '-no-color'], { env });
    return await w.run(['plan', '-input=false', '-no-color', '-refresh=false', '-lock=false'], { env, allowedCodes: [0, 1] });
  } finally {
    await server.stop();
  }
}

it('deploys every stack buildStacks makes from the shipped config (or those TEST_STACKS names)', () => {
  expect(Object.keys(shipped.stacks).sort()).toEqual(
    [...(bootstrapName ? [bootstrapName] : []), ...environments.map((e) => e.stack)].sort(),
  );
  expect(envNames.length).toBeGreaterThan(0);
});

it(
  'checks the account for real: against a server of another account, the provider refuses to plan',
  async () => {
    const result = await wrongAccount;
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/AWS account ID not allowed/);
  },
  STAGE_MS,
);

if (bootstrapName) {
  describe(`${bootstrapName} (bootstrap, local state first)`, () => {
    it(
      'applies: every resource created but where a known emulator gap fails',
      async () => {
        const { applied } = await bootstrap;
        expect(describeErrors(applied.unexpected)).toBe('');
        const stack = deployed.stacks[bootstrapName];
        expect(unexplainedAbsences(stack, applied, bootstrapName)).toEqual([]);
      },
      STAGE_MS,
    );

    it(
      'reads back every bucket encrypted as synthesized (the state bucket with its key), versioned and private, and every key rotating',
      async () => {
        const b = await bootstrap;
        const state = deployConfig.state!;
        expectBucketsAndKeysAsSynthesized(deployed.stacks[bootstrapName], b);
        expect(b.buckets[state.bucket].sseAlgorithm).toBe(state.encryption === 'kms' ? 'aws:kms' : 'AES256');
        if (state.encryption === 'kms') expect(b.buckets[state.bucket].kmsKeyId).toBe(onlyOfType(b.applied.index, 'aws_kms_key').arn);
      },
      STAGE_MS,
    );

    it(
      "holds the TLS-only state bucket policy as designed, with the guards of each environment's state",
      async () => {
        const b = await bootstrap;
        const policy = b.policy as { Statement: { Sid: string; Effect: string; Condition: unknown }[] };
        const designed = JSON.parse(
          deployed.stacks[bootstrapName!].resource.aws_s3_bucket_policy.state_bucket_policy.policy,
        ) as typeof policy;
        expect(policy.Statement.slice(0, 2).map((s) => [s.Sid, s.Effect, s.Condition])).toEqual([
          ['DenyInsecureTransport', 'Deny', { Bool: { 'aws:SecureTransport': 'false' } }],
          ['DenyTlsOlderThan12', 'Deny', { NumericLessThan: { 's3:TlsVersion': '1.2' } }],
        ]);
        expect(policy.Statement.map((s) => [s.Sid, s.Effect, s.Condition])).toEqual(
          designed.Statement.map((s) => [s.Sid, s.Effect, s.Condition]),
        );
      },
      STAGE_MS,
    );

    it(
      'plans no change beyond the allow-list after the apply',
      async () => {
        expect(unexplainedOf(await bootstrapSecondPlan)).toEqual([]);
      },
      STAGE_MS,
    );

    it(
      'moves its own state into the bucket it made (init -migrate-state), encrypted with the state key',
      async () => {
        const m = await migration;
        expect(m.output.stdout).toContain('Successfully configured the backend "s3"');
        expect(m.remoteResources).toEqual(m.localResources);
        if (deployConfig.state!.encryption === 'kms') expect(m.object.encryption).toBe('aws:kms');
      },
      STAGE_MS,
    );

    it(
      'an interrupted run leaves its lock; the next run is refused until npm run unlock removes it',
      async () => {
        const u = await unlock;
        expect(u.lockedPlan.stderr).toMatch(/Error acquiring the state lock/);
        expect(u.lockedPlan.stderr).toContain(u.lockId);
        expect(u.unlock.code).toBe(0);
        expect(`${u.unlock.stdout}${u.unlock.stderr}`).toMatch(/Terraform state has been successfully unlocked/);
        expect(u.lockAfter).toBe(false);
        expect(u.planAfter.stdout).not.toMatch(/Error acquiring the state lock/);
      },
      STAGE_MS,
    );

    it(
      'refuses a destroy because of prevent_destroy, and destroys nothing',
      async () => {
        const { result, before, after } = await bootstrapTeardown;
        expect(result.code).toBe(1);
        expect(preventDestroyRefusals(result)).toEqual(protectedAddresses(deployed.stacks[bootstrapName]).sort());
        expect(result.stdout).not.toMatch(/Destroying\.\.\./);
        expect(after.serial).toBe(before.serial);
        expect(stateIndex(after)).toEqual(stateIndex(before));
      },
      STAGE_MS,
    );
  });
}

describe.each(envNames)('%s', (stack) => {
  const env = (): EnvironmentConfig => envOf(stack);

  it(
    'applies through its backend: every resource created but where a known emulator gap fails',
    async () => {
      const a = await runs[stack].applied;
      expect(describeErrors(a.unexpected)).toBe('');
      expect(unexplainedAbsences(deployed.stacks[stack], a, stack)).toEqual([]);
    },
    STAGE_MS,
  );

  it(
    'reads back subnets per tier and zone as synthesized, none mapping public IPs',
    async () => {
      const { subnets } = await runs[stack].readback;
      const designed = Object.values(deployed.stacks[stack].resource.aws_subnet as Record<string, any>).map(
        (s) => `${s.tags.Tier} ${s.availability_zone} ${s.cidr_block}`,
      );
      expect(subnets.map((s) => `${s.tier} ${s.zone} ${s.cidr}`).sort()).toEqual(designed.sort());
      for (const tier of ['public', 'private', 'isolated']) {
        expect(
          subnets
            .filter((s) => s.tier === tier)
            .map((s) => s.zone)
            .sort(),
        ).toEqual([...env().availabilityZones].sort());
      }
      expect(subnets.filter((s) => s.mapsPublicIp)).toEqual([]);
    },
    STAGE_MS,
  );

  it(
    'routes the public tier to the internet gateway, the app tier through NAT as configured, and the data tier nowhere',
    async () => {
      const { subnets, nats } = await runs[stack].readback;
      const { index } = await runs[stack].applied;
      const strategy = env().natGateways;
      expect(nats).toHaveLength(strategy === 'none' ? 0 : strategy === 'single' ? 1 : env().availabilityZones.length);
      const subnetById = Object.fromEntries(
        allOfType(index, 'aws_subnet').map((s) => [s.id, { zone: s.availability_zone, tier: s.tags.Tier }]),
      );
      expect(nats.map((n) => subnetById[n.subnetId].tier)).toEqual(nats.map(() => 'public'));
      for (const s of subnets.filter((x) => x.tier === 'public')) expect(s.defaultRoute).toBe('igw');
      for (const s of subnets.filter((x) => x.tier === 'private')) {
        if (strategy === 'none') {
          expect(s.defaultRoute).toBeUndefined();
          continue;
        }
        const nat = nats.find((n) => s.defaultRoute === `nat:${n.id}`);
        expect(nat).toBeDefined();
        // perAz: each zone leaves through its own NAT gateway.
        if (strategy === 'perAz') expect(subnetById[nat!.subnetId].zone).toBe(s.zone);
      }
      for (const s of subnets.filter((x) => x.tier === 'isolated')) {
        expect(s.defaultRoute).toBeUndefined();
        expect(Object.values(s.routes)).toEqual(Object.values(s.routes).map(() => 'local'));
      }
    },
    STAGE_MS,
  );

  it(
    'reads back the security group chain exactly as designed: internet (or CloudFront alone) → ALB → app → DB, one port per hop',
    async () => {
      const { rules } = await runs[stack].readback;
      const app = env().compute.appPort;
      const db = ENGINES[env().database.engine].port;
      // Behind the edge the load balancer admits CloudFront's origin-facing servers on 443 only.
      const entry = apiBehindEdge(env())
        ? [`alb in tcp 443-443 ${CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS[env().region]}`]
        : ['alb in tcp 80-80 0.0.0.0/0', ...(env().https ? ['alb in tcp 443-443 0.0.0.0/0'] : [])];
      expect(rules).toEqual(
        [
          ...entry,
          `alb out tcp ${app}-${app} app`,
          `app in tcp ${app}-${app} alb`,
          `app out tcp ${db}-${db} db`,
          'app out tcp 443-443 0.0.0.0/0',
          `db in tcp ${db}-${db} app`,
        ].sort(),
      );
    },
    STAGE_MS,
  );

  it(
    'reads back the database: Multi-AZ and deletion protection as configured, encrypted with the stack key, private, on its port',
    async () => {
      const { database } = await runs[stack].readback;
      const { index } = await runs[stack].applied;
      const dataSubnets = allOfType(index, 'aws_subnet')
        .filter((s) => s.tags.Tier === 'isolated')
        .map((s) => s.id)
        .sort();
      expect(database).toMatchObject({
        status: 'available',
        engine: env().database.engine,
        multiAz: env().database.multiAz,
        storageEncrypted: true,
        kmsKeyId: stackKeyArn(stack, index),
        port: ENGINES[env().database.engine].port,
        deletionProtection: env().deletionProtection,
        publiclyAccessible: false,
        iamAuthentication: true,
        backupRetentionDays: env().database.backupRetentionDays,
        subnetIds: dataSubnets,
        securityGroupIds: [allOfType(index, 'aws_security_group').find((g) => g.name === `${stack}-db`)!.id],
      });
    },
    STAGE_MS,
  );

  it(
    'reads back the auto scaling group: sizes, ELB health check, app subnets, target group, instances in service',
    async () => {
      const { group } = await runs[stack].readback;
      const { index } = await runs[stack].applied;
      const { minSize, desiredCapacity, maxSize } = env().compute;
      expect(group).toEqual({
        minSize,
        desiredCapacity,
        maxSize,
        healthCheckType: 'ELB',
        healthCheckGracePeriod: 300,
        subnetIds: allOfType(index, 'aws_subnet')
          .filter((s) => s.tags.Tier === 'private')
          .map((s) => s.id)
          .sort(),
        targetGroupArns: [onlyOfType(index, 'aws_lb_target_group').arn],
        inService: desiredCapacity,
      });
    },
    STAGE_MS,
  );

  it(
    'reads back the load balancer and its listeners: public with HTTPS (TLS 1.3 policy) and a redirect, or plain HTTP; behind the edge internal in the app subnets, HTTPS alone, forwarding each front-end’s route only with its header',
    async () => {
      const { listeners, listenerRules, loadBalancer } = await runs[stack].readback;
      const { index } = await runs[stack].applied;
      const tier = apiBehindEdge(env()) ? 'private' : 'public';
      expect(loadBalancer).toEqual({
        scheme: apiBehindEdge(env()) ? 'internal' : 'internet-facing',
        subnetIds: allOfType(index, 'aws_subnet')
          .filter((s) => s.tags.Tier === tier)
          .map((s) => s.id)
          .sort(),
      });
      if (env().https && apiBehindEdge(env())) {
        const certificate =
          env().https!.certificateArn ??
          allOfType(index, 'aws_acm_certificate').find((c) => c.domain_name === env().https!.domainName)!.arn;
        expect(listeners).toEqual([
          {
            port: 443,
            protocol: 'HTTPS',
            sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
            certificates: [certificate],
            action: 'fixed-response',
            redirect: undefined,
          },
        ]);
        // Each front-end's route forwarded with its own header; an exclusive route refused to every other.
        const targetGroupArns = [onlyOfType(index, 'aws_lb_target_group').arn];
        const expected = env().frontends.flatMap((f, i) => {
          const path = apiPathOf(f, env().edge.apiPath);
          const forward = {
            priority: String((f.allowedIpRanges ? 10 : 200) + i),
            paths: [path],
            header: FRONTEND_HEADER,
            values: [f.name],
            action: 'forward',
            status: undefined,
            targetGroupArns,
          };
          const refuse = {
            priority: String(100 + i),
            paths: [`${exclusivePrefixOf(path)}*`],
            header: undefined,
            values: undefined,
            action: 'fixed-response',
            status: '403',
            targetGroupArns: [],
          };
          return f.allowedIpRanges ? [forward, refuse] : [forward];
        });
        expect(listenerRules).toEqual(expected.sort((a, b) => Number(a.priority) - Number(b.priority)));
      } else if (env().https) {
        const certificate =
          env().https!.certificateArn ??
          allOfType(index, 'aws_acm_certificate').find((c) => c.domain_name === env().https!.domainName)!.arn;
        expect(listeners).toEqual([
          { port: 80, protocol: 'HTTP', sslPolicy: undefined, certificates: [], action: 'redirect', redirect: 'HTTPS:443' },
          {
            port: 443,
            protocol: 'HTTPS',
            sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
            certificates: [certificate],
            action: 'forward',
            redirect: undefined,
          },
        ]);
      } else {
        expect(listeners).toEqual([
          { port: 80, protocol: 'HTTP', sslPolicy: undefined, certificates: [], action: 'forward', redirect: undefined },
        ]);
      }
    },
    STAGE_MS,
  );

  it(
    "reads back every bucket encrypted as synthesized, versioned and private, and every key rotating (each in its provider's region)",
    async () => {
      expectBucketsAndKeysAsSynthesized(deployed.stacks[stack], await runs[stack].readback);
    },
    STAGE_MS,
  );

  it(
    'reads back the container registry: immutable tags, scan on push, encrypted with the stack key, the lifecycle as synthesized',
    async () => {
      const { registry } = await runs[stack].readback;
      const { index } = await runs[stack].applied;
      const policy = Object.values(deployed.stacks[stack].resource.aws_ecr_lifecycle_policy as Record<string, any>)[0].policy;
      expect(registry).toEqual({
        tagMutability: 'IMMUTABLE',
        scanOnPush: true,
        encryption: 'KMS',
        kmsKey: stackKeyArn(stack, index),
        lifecycleRules: JSON.parse(policy).rules,
      });
    },
    STAGE_MS,
  );

  it(
    "reads back the S3 gateway endpoint in the app tier's route tables, and the interface endpoints as configured",
    async () => {
      const { endpoints } = await runs[stack].readback;
      const { index } = await runs[stack].applied;
      const designed = allOfType(index, 'aws_vpc_endpoint');
      expect(Object.keys(endpoints).sort()).toEqual(designed.map((e) => e.service_name).sort());
      const privateSubnets = new Set(
        allOfType(index, 'aws_subnet')
          .filter((s) => s.tags.Tier === 'private')
          .map((s) => s.id),
      );
      const appTables = [
        ...new Set(
          allOfType(index, 'aws_route_table_association')
            .filter((a) => privateSubnets.has(a.subnet_id))
            .map((a) => a.route_table_id),
        ),
      ].sort();
      expect(endpoints[`com.amazonaws.${env().region}.s3`]).toEqual({ type: 'Gateway', state: 'available', routeTableIds: appTables });
      for (const e of designed.filter((x) => x.vpc_endpoint_type === 'Interface'))
        expect(endpoints[e.service_name]).toMatchObject({ type: 'Interface', state: 'available' });
    },
    STAGE_MS,
  );

  it(
    'plans again (the second plan) no change beyond the allow-list',
    async () => {
      expect(unexplainedOf(await runs[stack].secondPlan)).toEqual([]);
    },
    STAGE_MS,
  );

  it(
    envOf(stack).deletionProtection
      ? 'refuses a destroy because of prevent_destroy, and destroys nothing'
      : 'is destroyed, and nothing of it is left',
    async () => {
      const t = await runs[stack].teardown;
      const before = (await runs[stack].readback).live;
      const { index } = await runs[stack].applied;
      // The listing sees the stack while it stands.
      expect(before).toEqual(
        expect.arrayContaining([
          onlyOfType(index, 'aws_vpc').arn,
          onlyOfType(index, 'aws_db_instance').arn,
          `autoscaling-group:${onlyOfType(index, 'aws_autoscaling_group').name}`,
        ]),
      );
      if (t.kind === 'destroyed') {
        expect(t.result.stdout).toMatch(/Destroy complete!/);
        expect(t.live).toEqual([]);
      } else {
        expect(t.result.code).toBe(1);
        expect(preventDestroyRefusals(t.result)).toEqual(protectedAddresses(deployed.stacks[stack]).sort());
        expect(t.result.stdout).not.toMatch(/Destroying\.\.\./);
        expect(t.after.serial).toBe(t.before.serial);
        expect(t.liveAfter).toEqual(before);
      }
    },
    STAGE_MS,
  );
});

describe.each(s3Envs)('%s state and locks through the s3 backend on moto', (stack) => {
  it(
    'cdktf diff (npm run diff), from a fresh synth in a directory of its own, reads the remote state: its plan is the second plan, and it shows exactly those changes',
    async () => {
      const d = (await runs[stack].diff)!;
      // cdktf cuts a header line longer than its 80 columns (the longest for_each addresses): such a change
      // must still be there, cut, with the start of its address; every change shown whole is planned.
      const planned = planChanges(d.verdicts);
      expect(d.shown.filter((c) => !planned.includes(c))).toEqual([]);
      const cut = planned.filter((c) => !d.shown.includes(c));
      expect(cut.filter((c) => !d.dense.includes(`#${c.split(' ')[0].slice(0, 40)}`))).toEqual([]);
      expect(cut.every((c) => c.split(' ')[0].length > 60)).toBe(true);
      // "No changes." prints no summary.
      expect(d.summary ?? '0 to add, 0 to change, 0 to destroy').toBe(planSummary(d.verdicts));
    },
    STAGE_MS,
  );

  it(
    "a second working directory is refused the lock (412) while the first applies, and leaves the holder's lock alone",
    async () => {
      const { contention } = await runs[stack].applied;
      expect(contention!.refused.code).toBe(1);
      expect(contention!.refused.stderr).toMatch(/Error acquiring the state lock/);
      expect(contention!.refused.stderr).toMatch(/StatusCode: 412|PreconditionFailed/);
      expect(contention!.refused.stderr).toContain(contention!.holder.ID);
      expect(contention!.holder.Operation).toBe('OperationTypeApply');
      expect(contention!.lockAfterRefusal?.ID).toBe(contention!.holder.ID);
    },
    STAGE_MS,
  );

  it(
    'round trip: a second working directory reads the state the first wrote; the lock is released',
    async () => {
      const a = await runs[stack].applied;
      expect(a.lockLeft).toBe(false);
      expect({ serial: a.secondState!.serial, lineage: a.secondState!.lineage }).toEqual({
        serial: a.state.serial,
        lineage: a.state.lineage,
      });
      expect(stateIndex(a.secondState!)).toEqual(a.index);
    },
    STAGE_MS,
  );
});

it(
  'keeps every network call on loopback',
  async () => {
    await Promise.allSettled(pending);
    expect(trap.attempts()).toEqual([]);
  },
  STAGE_MS,
);

it(
  'every allow-list entry is needed by this run (none stale)',
  async () => {
    await Promise.allSettled(pending);
    const partial = process.env.TEST_STACKS ? ` (TEST_STACKS=${process.env.TEST_STACKS}: another environment may need it)` : '';
    expect(ledger.stale().map((g) => `${g.id}: ${g.reason}${partial}`)).toEqual([]);
    expect(EMULATOR_GAPS.length).toBeGreaterThan(0);
  },
  STAGE_MS,
);

/**
 * The CI roles can make every call Terraform made above, decided by an IAM policy simulator: each
 * environment's deploy role its applies, inits and destroys, its plan role its plans (cdktf diff, as pull
 * requests run it; the drift check runs the same plan) — with the tags, regions and resource policies AWS would
 * see (support/iam/). And the same calls made from an account of the environment's own, by the roles of the
 * one-account-per-environment layout: the proof of that layout.
 */
describe('the CI roles allow every call their runs make (IAM simulator)', () => {
  /** Every recorded log of the run, for the facts (tags, aliases, policies) of every resource. */
  const everyLog = () =>
    [bootstrapName, ...envNames]
      .filter((s): s is string => s !== undefined)
      .flatMap((s) => (['deploy', 'plan'] as const).map((c) => callLogOf(callsDir(s, c))));
  const ciStackOf = (cfg: PlatformConfig, stack: string, synthesized: Synthesized) => {
    const env = cfg.environments.find((e) => webStackName(cfg.project, e.name) === stack)!;
    return synthesized.stacks[
      env.accountId === cfg.state!.accountId ? stateStackName(cfg.project) : stateStackNames.ciAccountStack(cfg.project, env.accountId)
    ];
  };
  /** The state key as it exists (the policies name it by reference: `${aws_kms_key.state_bucket_key.arn}`). */
  const stateKeyValue = async (): Promise<Record<string, string>> => {
    if (bootstrapName === undefined) return {};
    const index = (await bootstrap).applied.index;
    return Object.fromEntries(
      Object.entries(index)
        .filter(([address]) => address.startsWith('aws_kms_key.'))
        .map(([address, a]) => [`${address}.arn`, a.arn as string]),
    );
  };
  /** The harness reads the state back after every run (`state pull`): its own reads, not the role's. */
  const harness = (c: RecordedCall) => c.module === 'backend-s3' && c.file.includes('-state.jsonl');

  it.each(envNames.map((s) => [s] as const))(
    '%s: its deploy role is allowed every call of its deploys, its plan role every call of its plans',
    async (stack) => {
      await Promise.allSettled(pending);
      const run = await runs[stack].applied;
      const env = envOf(stack);
      const facts = factsOf(env.accountId, [run.state as never], everyLog());
      const ci = ciStackOf(deployConfig, stack, deployed);
      const role = async (name: string) => rolePrincipal(ci, name, env.accountId, await stateKeyValue());
      const verdicts = {
        deploy: await decideCalls(
          callLogOf(callsDir(stack, 'deploy')),
          facts,
          await role(stateStackNames.ciDeployRole(config.project, env.name)),
          { skip: harness },
        ),
        plan: await decideCalls(
          callLogOf(callsDir(stack, 'plan')),
          facts,
          await role(stateStackNames.ciPlanRole(config.project, env.name)),
          {
            skip: harness,
          },
        ),
      };
      for (const [caller, v] of Object.entries(verdicts)) {
        expect({ caller, recorded: v.calls > 0 }).toEqual({ caller, recorded: true });
        expect({ caller, refused: v.refused, unmapped: v.unmapped, incomplete: v.incomplete }).toEqual({
          caller,
          refused: [],
          unmapped: [],
          incomplete: [],
        });
      }
    },
    STAGE_MS,
  );

  it(
    "the administrator who deploys the bootstrap stack is refused none of its calls by the state bucket's or key's own policies",
    async () => {
      if (!bootstrapName) return;
      await Promise.allSettled(pending);
      const account = deployConfig.state!.accountId;
      // An administrator's own permissions are the account's business: all of them, here. What is proven is
      // that the bucket's and the key's policies (the guards of each environment's state) do not lock them out.
      const admin = {
        arn: `arn:aws:iam::${account}:role/Administrator`,
        accountId: account,
        identity: [
          { name: 'administrator', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } },
        ],
      };
      const facts = factsOf(account, [], everyLog());
      const v = await decideCalls(callLogOf(callsDir(bootstrapName, 'deploy')), facts, admin, { skip: harness });
      expect(v.calls).toBeGreaterThan(0);
      expect({ refused: v.refused, unmapped: v.unmapped, incomplete: v.incomplete }).toEqual({ refused: [], unmapped: [], incomplete: [] });
    },
    STAGE_MS,
  );

  it.each(envNames.map((s) => [s] as const))(
    '%s: in an account of its own, the same calls are allowed to the roles that account gets',
    async (stack) => {
      await Promise.allSettled(pending);
      const env = envOf(stack);
      const other = env.accountId === '222222222222' ? '333333333333' : '222222222222';
      // The validated deploy config with the environment moved: a copy edited afterwards, not validated again.
      const variant: PlatformConfig = {
        ...deployConfig,
        environments: deployConfig.environments.map((e) => (e.name === env.name ? { ...e, accountId: other } : e)),
      };
      const synthesized = synthValidated(variant);
      const run = await runs[stack].applied;
      const stateAccount = deployConfig.state!.accountId;
      // The same request from the other account: its resources are there; the state bucket stays where it is.
      const retarget = (r: SimRequest): SimRequest => {
        if (
          r.accountId !== env.accountId ||
          r.call.module === 'backend-s3' ||
          r.resource.startsWith(`arn:aws:s3:::${deployConfig.state!.bucket}`)
        )
          return r;
        // The account is in ARNs and in names (buckets: <prefix>-…-<account>-<region>).
        const swap = (v: unknown): unknown =>
          typeof v === 'string' ? v.split(env.accountId).join(other) : Array.isArray(v) ? v.map(swap) : v;
        return {
          ...r,
          accountId: other,
          resource: swap(r.resource) as string,
          context: Object.fromEntries(Object.entries(r.context).map(([k, v]) => [k, swap(v)])) as never,
          resourcePolicy:
            r.resourcePolicy === undefined ? undefined : JSON.parse(JSON.stringify(r.resourcePolicy).split(env.accountId).join(other)),
        };
      };
      const facts = factsOf(env.accountId, [run.state as never], everyLog());
      const ci = ciStackOf(variant, stack, synthesized);
      expect(ci).not.toBe(synthesized.stacks[stateStackName(config.project)]);
      const role = async (name: string) => rolePrincipal(ci, name, other, await stateKeyValue());
      const stateKeyPolicy = (r: SimRequest) =>
        r.action.startsWith('kms:') && r.accountId === stateAccount
          ? {
              ...r,
              resourcePolicy: documentOf(
                Object.values<any>(synthesized.stacks[stateStackName(config.project)].resource.aws_kms_key)[0].policy,
                knownValues(synthesized.stacks[stateStackName(config.project)], stateAccount),
              ),
            }
          : r;
      const bucketPolicy = (r: SimRequest) =>
        r.resource.startsWith(`arn:aws:s3:::${deployConfig.state!.bucket}`)
          ? {
              ...r,
              resourcePolicy: bucketPolicyOf(synthesized.stacks[stateStackName(config.project)], deployConfig.state!.bucket, stateAccount),
            }
          : r;
      const verdicts = {
        deploy: await decideCalls(
          callLogOf(callsDir(stack, 'deploy')),
          facts,
          await role(stateStackNames.ciDeployRole(config.project, env.name)),
          {
            skip: harness,
            retarget: (r) => bucketPolicy(stateKeyPolicy(retarget(r))),
          },
        ),
        plan: await decideCalls(
          callLogOf(callsDir(stack, 'plan')),
          facts,
          await role(stateStackNames.ciPlanRole(config.project, env.name)),
          {
            skip: harness,
            retarget: (r) => bucketPolicy(stateKeyPolicy(retarget(r))),
          },
        ),
      };
      for (const [caller, v] of Object.entries(verdicts))
        expect({ caller, refused: v.refused, unmapped: v.unmapped }).toEqual({ caller, refused: [], unmapped: [] });
    },
    STAGE_MS,
  );
});
