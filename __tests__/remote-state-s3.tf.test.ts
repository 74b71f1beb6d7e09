/**
 * The s3 backend, end to end and offline: s3rver (S3 protocol) and dynalite (DynamoDB protocol) on
 * loopback, started and stopped here; the synthesized backend blocks pointed at them by a TEST-ONLY
 * override (support/remote-state.ts); real Terraform.
 *
 * The config is the shipped one plus a lock table in the state section, and the bootstrap stack's own
 * state moved into the bucket, so every stack's backend is the synthesized default (state bucket, key
 * `web/<env>/<stack>.tfstate`, encrypt, the state key's alias, `use_lockfile`) plus `dynamodb_table`.
 *
 * S3 lock files: s3rver ignores `If-None-Match`, the conditional write Terraform's lock file relies on,
 * so a second writer simply overwrites the first's `.tflock` (and, when its DynamoDB lock then fails,
 * deletes it). Lock-file contention therefore cannot be proven against s3rver: the lock file is shown
 * being written and removed, and contention is proven on the DynamoDB lock, with `use_lockfile` off in
 * that one test's override. The lock file's own contention (412 on the conditional write) is proven
 * against moto, which honours If-None-Match, in emulated-deploy.emulated.test.ts.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { platform } from '../config/environments';
import { startMoto, type MotoServer } from '../harness/moto';
import { TerraformWorkdir } from '../harness/terraform';
import { startDynamo, startS3, until, type DynamoService, type S3Service } from './support/local-services';
import {
  BackgroundRuns,
  Timings,
  idsOf,
  pullState,
  removeProbes,
  s3TestOverride,
  seedState,
  seededOutputRemoved,
  startTogether,
  synthProbe,
  terraformBlockOf,
  type PulledState,
  type S3Endpoints,
} from './support/remote-state';
import { synth } from './support/synth';
import { validateConfig } from '../config/validate';

const LOCK_TABLE = 'web-tfstate-locks';
// The bootstrap stack as after npm run bootstrap (docs/deploy.md): its own state in the bucket.
const config = validateConfig({ ...platform, state: { ...platform.state!, lockTable: LOCK_TABLE, backend: 's3' } });
const BUCKET = config.state!.bucket;
const REMOTE_STACKS = ['web-state', ...config.environments.map((e) => `${config.project}-${e.name}`)];
const LOCK_ERROR = /Error acquiring the state lock/;

const timings = new Timings();
const workdirs: TerraformWorkdir[] = [];
let s3: S3Service;
let dynamo: DynamoService;
let moto: MotoServer;
let endpoints: S3Endpoints;

function workdir(stackDir: string, files: Record<string, string>): TerraformWorkdir {
  const w = TerraformWorkdir.fromStack(stackDir, files);
  workdirs.push(w);
  return w;
}

const background = new BackgroundRuns();
afterEach(() => background.settle(), 60_000);

const lockFile = (key: string) => `${key}.tflock`;
const lockId = (key: string) => `${BUCKET}/${key}`;

beforeAll(async () => {
  // moto answers what the stacks read when planned (the AMI's public parameter).
  await timings.time('start s3rver + dynalite + moto', async () => {
    [s3, dynamo, moto] = await Promise.all([startS3([BUCKET]), startDynamo([LOCK_TABLE]), startMoto()]);
  });
  endpoints = { s3: s3.endpoint, dynamodb: dynamo.endpoint };
}, 180_000);

afterAll(async () => {
  workdirs.forEach((w) => w.remove());
  removeProbes();
  await timings.time('stop servers', () => Promise.all([s3?.stop(), dynamo?.stop(), moto?.stop()]));
  // Phase times for tuning, on request (a green run prints nothing): TEST_TIMINGS=1.
  if (process.env.TEST_TIMINGS === '1') console.log(timings.report('remote state on s3 (s3rver + dynalite)'));
}, 60_000);

interface StackProof {
  readonly key: string;
  readonly initOutput: string;
  readonly refused: { stderr: string; lockFileLeft: boolean; heldLockKept: boolean };
  readonly planOutput: string;
  readonly afterPlan: { lockIds: string[]; keys: string[] };
}

/** (1) for one stack: init, seed, a plan refused by a held lock, a plan that reads state and releases the lock. */
async function proveStack(stack: string): Promise<StackProof> {
  const stackDir = synth(config).dirs[stack];
  const key = terraformBlockOf(stackDir).backend.s3.key as string;
  const w = workdir(stackDir, s3TestOverride(stackDir, endpoints, { provider: { readEndpoint: moto.endpoint } }));
  const init = await timings.time(`${stack}: terraform init (s3 backend, aws provider)`, () => w.init());
  await timings.time(`${stack}: state push (seed)`, () => seedState(w, stack));

  // Someone else holds the lock: the plan must try to take it, fail, and leave the holder's lock alone.
  const held = {
    ID: `held-by-test-${stack}`,
    Operation: 'OperationTypeApply',
    Who: 'remote-state test',
    Version: '1.11.4',
    Created: new Date().toISOString(),
    Path: lockId(key),
    Info: '',
  };
  await dynamo.call('PutItem', { TableName: LOCK_TABLE, Item: { LockID: { S: lockId(key) }, Info: { S: JSON.stringify(held) } } });
  const refused = await timings.time(`${stack}: plan -lock=true while locked (refused)`, () =>
    w.run(['plan', '-refresh=false', '-lock=true', '-lock-timeout=0s', '-input=false', '-no-color'], { allowedCodes: [1] }),
  );
  const heldLockKept = (await dynamo.lockItem(LOCK_TABLE, lockId(key)))?.Info === JSON.stringify(held);
  const lockFileLeft = s3.hasObject(BUCKET, lockFile(key));
  await dynamo.call('DeleteItem', { TableName: LOCK_TABLE, Key: { LockID: { S: lockId(key) } } });

  const plan = await timings.time(`${stack}: plan -refresh=false -lock=true`, () =>
    w.run(['plan', '-refresh=false', '-lock=true', '-input=false', '-no-color', '-detailed-exitcode'], { allowedCodes: [2] }),
  );
  return {
    key,
    initOutput: init.stdout,
    refused: { stderr: refused.stderr, lockFileLeft, heldLockKept },
    planOutput: plan.stdout,
    afterPlan: { lockIds: await dynamo.lockIds(LOCK_TABLE), keys: s3.keys(BUCKET) },
  };
}

describe('(1) every environment stack, and web-state once moved: init against the s3 backend, plan reads state and takes and releases the lock', () => {
  // Both stacks run at once (each `it` awaits its own); a failure is reported by the stack's own test.
  let proofs: Record<string, Promise<StackProof>>;
  beforeAll(() => {
    proofs = startTogether(REMOTE_STACKS, proveStack);
  });

  it.each(REMOTE_STACKS.map((s) => [s]))(
    '%s',
    async (stack) => {
      const proof = await proofs[stack];
      expect(proof.key).toBe(`web/${stack.replace('web-', '')}/${stack}.tfstate`);
      expect(proof.initOutput).toContain('Successfully configured the backend "s3"');
      // The plan asked for the lock, was refused with the holder's identity, and touched nothing of it.
      expect(proof.refused.stderr).toMatch(LOCK_ERROR);
      expect(proof.refused.stderr).toContain(`held-by-test-${stack}`);
      expect(proof.refused.heldLockKept).toBe(true);
      expect(proof.refused.lockFileLeft).toBe(false);
      // Once free, the plan ran: it read the seeded state (and plans to drop its output) and proposes the stack.
      expect(proof.planOutput).toMatch(seededOutputRemoved(stack));
      // Every resource the stack declares is proposed (the seeded state holds only an output).
      const declared = Object.values(synth(config).stacks[stack].resource).reduce((n, byName) => n + Object.keys(byName).length, 0);
      expect(proof.planOutput).toContain(`Plan: ${declared} to add, 0 to change, 0 to destroy.`);
      // ...and released the lock: no lock item, no lock file; the state's digest (DynamoDB) and object (S3) remain.
      expect(proof.afterPlan.lockIds).toContain(`${lockId(proof.key)}-md5`);
      expect(proof.afterPlan.lockIds).not.toContain(lockId(proof.key));
      expect(proof.afterPlan.keys).toContain(proof.key);
      expect(proof.afterPlan.keys).not.toContain(lockFile(proof.key));
    },
    300_000,
  );
});

describe('(2) and (3): a probe stack built through the same addBackend', () => {
  const dev = config.environments.find((e) => e.name === 'dev')!;
  const probeDir = synthProbe({
    project: config.project,
    stackName: 'web-probe',
    keyScope: dev.name,
    region: dev.region,
    backend: dev.backend,
    state: config.state,
    slowSeconds: 3,
  });
  const key = 'web/dev/web-probe.tfstate';
  let first: TerraformWorkdir;
  let second: TerraformWorkdir;

  it('has the backend settings of web-dev but its own key', () => {
    const devBackend = terraformBlockOf(synth(config).dirs['web-dev']).backend.s3;
    expect(terraformBlockOf(probeDir).backend.s3).toEqual({ ...devBackend, key });
  });

  it('(2) applied from one working directory, read back from a second: no changes', async () => {
    first = workdir(probeDir, s3TestOverride(probeDir, endpoints));
    second = workdir(probeDir, s3TestOverride(probeDir, endpoints));
    await timings.time('probe: init (first and second directory)', () => Promise.all([first.init(), second.init()]));

    // While the apply runs, both locks are held: the .tflock object and the DynamoDB item.
    const seen = { lockFile: false, lockItem: false };
    const apply = background.start(
      timings.time('probe: apply from the first directory (3 s sleep)', () =>
        first.run(['apply', '-auto-approve', '-lock=true', '-input=false', '-no-color']),
      ),
    );
    await until(20_000, 'lock file and lock item during the apply', async () => {
      seen.lockFile ||= s3.hasObject(BUCKET, lockFile(key));
      seen.lockItem ||= (await dynamo.lockItem(LOCK_TABLE, lockId(key))) !== undefined;
      return seen.lockFile && seen.lockItem;
    });
    await apply;
    expect(seen).toEqual({ lockFile: true, lockItem: true });
    expect(s3.hasObject(BUCKET, lockFile(key))).toBe(false);
    expect(await dynamo.lockItem(LOCK_TABLE, lockId(key))).toBeUndefined();

    const plan = await timings.time('probe: plan from the second directory', () =>
      second.run(['plan', '-lock=true', '-input=false', '-no-color', '-detailed-exitcode']),
    );
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('No changes.');
    const state = await pullState(second);
    expect(Object.keys(idsOf(state)).sort()).toEqual(['terraform_data.first', 'terraform_data.second', 'terraform_data.slow']);
    expect(JSON.parse(s3.readObject(BUCKET, key)!)).toMatchObject({ serial: state.serial, lineage: state.lineage });
  }, 120_000);

  it('(3) lock contention: a second apply fails on the lock, the first completes, the state is intact', async () => {
    // DynamoDB locking only here: see the file comment on s3rver and If-None-Match.
    const dynamoOnly = s3TestOverride(probeDir, endpoints, { changes: { use_lockfile: false } });
    const holder = workdir(probeDir, dynamoOnly);
    const contender = workdir(probeDir, dynamoOnly);
    await timings.time('contention: init (two directories)', () => Promise.all([holder.init(), contender.init()]));
    const before = await pullState(contender);

    const started = performance.now();
    const slowApply = background.start(
      holder.run(['apply', '-auto-approve', '-lock=true', '-input=false', '-no-color', '-replace=terraform_data.slow']),
    );
    let holderLock: Record<string, string> | undefined;
    await until(20_000, 'the first apply holding the DynamoDB lock', async () => {
      holderLock = await dynamo.lockItem(LOCK_TABLE, lockId(key));
      return holderLock !== undefined;
    });
    const second = await timings.time('contention: second apply (refused)', () =>
      contender.run(['apply', '-auto-approve', '-lock=true', '-lock-timeout=0s', '-input=false', '-no-color'], { allowedCodes: [1] }),
    );
    expect(second.stderr).toMatch(LOCK_ERROR);
    expect(second.stderr).toContain(JSON.parse(holderLock!.Info).ID);
    const firstResult = await slowApply;
    timings.record('contention: first apply, start to finish (3 s sleep)', performance.now() - started);
    expect(firstResult.stdout).toContain('Apply complete! Resources: 1 added, 0 changed, 1 destroyed.');

    expect(await dynamo.lockItem(LOCK_TABLE, lockId(key))).toBeUndefined();
    const after = await pullState(contender);
    expect(after.lineage).toBe(before.lineage);
    expect(after.serial).toBeGreaterThan(before.serial);
    const [was, now] = [idsOf(before), idsOf(after)];
    expect(Object.keys(now).sort()).toEqual(['terraform_data.first', 'terraform_data.second', 'terraform_data.slow']);
    expect(now['terraform_data.first']).toBe(was['terraform_data.first']);
    expect(now['terraform_data.slow']).not.toBe(was['terraform_data.slow']);
    // The digest Terraform keeps in DynamoDB matches the state object (the next read checks it, too).
    const digest = createHash('md5').update(s3.readObject(BUCKET, key)!).digest('hex');
    expect((await dynamo.lockItem(LOCK_TABLE, `${lockId(key)}-md5`))?.Digest).toBe(digest);
    const plan = await contender.run(['plan', '-lock=true', '-input=false', '-no-color', '-detailed-exitcode']);
    expect(plan.stdout).toContain('No changes.');
  }, 120_000);
});

describe('the bootstrap stack moves its own state into the bucket (docs/deploy.md)', () => {
  it('local state, then state.backend s3 and terraform init -migrate-state -force-copy: same state in the bucket, no changes', async () => {
    // A probe named like a bootstrap stack goes through the manual steps docs/deploy.md gives for web-state.
    const stackName = 'web-state-probe';
    const probe = (kind: 'local' | 's3') =>
      synthProbe({
        project: config.project,
        stackName,
        keyScope: 'state',
        region: config.state!.region,
        backend: { kind },
        state: config.state,
        slowSeconds: 0,
      });
    const local = probe('local');
    expect(terraformBlockOf(local).backend).toEqual({ local: { path: `terraform.${stackName}.tfstate` } });
    const w = workdir(local, {});
    await timings.time('migration: init + apply with local state', async () => {
      await w.init();
      await w.run(['apply', '-auto-approve', '-input=false', '-no-color']);
    });
    const localState = await pullState(w);

    // npm run synth after setting state.backend to 's3' rewrites cdk.tf.json in the same directory.
    const moved = probe('s3');
    copyFileSync(join(moved, 'cdk.tf.json'), join(w.dir, 'cdk.tf.json'));
    for (const [name, content] of Object.entries(s3TestOverride(moved, endpoints))) writeFileSync(join(w.dir, name), content);
    const migrate = await timings.time('migration: terraform init -migrate-state -force-copy', () =>
      w.run(['init', '-migrate-state', '-force-copy', '-input=false', '-no-color']),
    );
    expect(migrate.stdout).toContain('Successfully configured the backend "s3"');

    const key = `web/state/${stackName}.tfstate`;
    // The bucket holds the same resources, same ids (Terraform gives the copy a new lineage and serial).
    const inBucket = JSON.parse(s3.readObject(BUCKET, key)!) as PulledState;
    expect(idsOf(inBucket)).toEqual(idsOf(localState));
    expect(Object.keys(idsOf(inBucket))).toHaveLength(3);
    const plan = await w.run(['plan', '-lock=true', '-input=false', '-no-color', '-detailed-exitcode']);
    expect(plan.stdout).toContain('No changes.');
  }, 120_000);
});
