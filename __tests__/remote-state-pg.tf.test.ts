/**
 * The pg backend, end to end and offline: a throwaway PostgreSQL cluster on loopback (initdb + postgres,
 * Debian's `postgresql`; scripts/ci-deps.sh installs it), started and stopped here, real Terraform.
 *
 * The synthesized backend blocks are used as they are (`pg { schema_name }`): the connection string
 * reaches Terraform only through PG_CONN_STR in the environment of each run, and the tests check it was
 * written to no file. The pg backend locks with PostgreSQL advisory locks held by its session: the
 * workspace row's id, or -1 while it creates a workspace's first state.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { platform } from '../config/environments';
import { startMoto, type MotoServer } from '../harness/moto';
import { TerraformWorkdir } from '../harness/terraform';
import { pgSchemaName } from '../stacks';
import { startPostgres, until, type PostgresService } from './support/local-services';
import {
  BackgroundRuns,
  Timings,
  idsOf,
  providerTestOverride,
  pullState,
  removeProbes,
  seedState,
  seededOutputRemoved,
  startTogether,
  synthProbe,
  terraformBlockOf,
  type ProbeStackProps,
} from './support/remote-state';
import { synth } from './support/synth';
import { validateConfig } from '../config/validate';

const config = validateConfig({
  ...platform,
  environments: platform.environments.map((e) => ({ ...e, backend: { kind: 'pg' as const } })),
});
const ENV_STACKS = config.environments.map((e) => `${config.project}-${e.name}`);
const LOCK_ERROR = /Error acquiring the state lock/;

const timings = new Timings();
const workdirs: TerraformWorkdir[] = [];
let pg: PostgresService;
let moto: MotoServer;
let env: Record<string, string>;

function workdir(stackDir: string, files: Record<string, string> = {}): TerraformWorkdir {
  const w = TerraformWorkdir.fromStack(stackDir, files);
  workdirs.push(w);
  return w;
}

/** Every file under `dir` (the working directory, .terraform included) that contains `text`. */
function filesContaining(dir: string, text: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as { name: string; parentPath: string; isFile(): boolean }[])
    .filter((f) => f.isFile())
    .map((f) => join(f.parentPath, f.name))
    .filter((path) => readFileSync(path).includes(text));
}

let queue: Promise<unknown> = Promise.resolve();
/** Runs `work` after every earlier `serially` work has settled. */
function serially<T>(work: () => Promise<T>): Promise<T> {
  const run = queue.then(work);
  queue = run.catch(() => undefined);
  return run;
}

/**
 * `terraform init`, one at a time: the pg backend creates its schema and table with CREATE … IF NOT
 * EXISTS, which PostgreSQL does not make safe against a concurrent twin (two inits of a new schema at
 * once fail with a duplicate key in pg_type).
 */
const init = (w: TerraformWorkdir) => serially(() => w.run(['init', '-input=false', '-no-color'], { env }));

const background = new BackgroundRuns();
afterEach(() => background.settle(), 60_000);

const rowId = (schema: string) => pg.query(`select id from ${schema}.states where name = 'default'`);
/** Advisory locks held on the workspace row of `schema` (a bigint key: high half in classid, low half in objid). */
const workspaceLocks = (schema: string) =>
  Number(pg.query(`select count(*) from pg_locks where locktype = 'advisory' and classid = 0 and objid = ${rowId(schema)}`));
/** Advisory locks held on key -1, the pg backend's workspace-creation lock. */
const creationLocks = () =>
  Number(pg.query("select count(*) from pg_locks where locktype = 'advisory' and classid = 4294967295 and objid = 4294967295"));

beforeAll(async () => {
  // moto answers what the stacks read when planned (the AMI's public parameter).
  [pg, moto] = await timings.time('start postgres (initdb + server) and moto', () => Promise.all([startPostgres(), startMoto()]));
  env = { PG_CONN_STR: pg.connectionString };
}, 180_000);

afterAll(async () => {
  const leaks = workdirs.flatMap((w) => filesContaining(w.dir, pg?.connectionString ?? '\0'));
  workdirs.forEach((w) => w.remove());
  removeProbes();
  await timings.time('stop postgres and moto', async () => Promise.all([pg?.stop(), moto?.stop()]));
  // Phase times for tuning, on request (a green run prints nothing): TEST_TIMINGS=1.
  if (process.env.TEST_TIMINGS === '1') console.log(timings.report('remote state on pg (PostgreSQL)'));
  expect(leaks).toEqual([]);
}, 60_000);

interface StackProof {
  readonly schema: string;
  readonly initOutput: string;
  readonly refusedStderr: string;
  readonly planOutput: string;
  readonly locksAfter: number;
  readonly leaks: string[];
}

/** (4)/(1) for one environment stack: init, seed, a plan refused by a held lock, a plan that reads state and releases the lock. */
async function proveEnvironmentStack(stack: string): Promise<StackProof> {
  const stackDir = synth(config).dirs[stack];
  const schema = terraformBlockOf(stackDir).backend.pg.schema_name as string;
  const w = workdir(stackDir, providerTestOverride(stackDir, { readEndpoint: moto.endpoint }));
  // One stack at a time until its first state exists (see the last test: the creation lock is shared).
  const init = await serially(async () => {
    const done = await timings.time(`${stack}: terraform init (pg backend, aws provider)`, () =>
      w.run(['init', '-input=false', '-no-color'], { env }),
    );
    await timings.time(`${stack}: state push (seed)`, () => seedState(w, stack, env));
    return done;
  });

  // Another session holds the workspace's advisory lock: the plan must ask for it and be refused.
  const release = await pg.holdSession(`select pg_advisory_lock(${rowId(schema)})`);
  let refused;
  try {
    refused = await timings.time(`${stack}: plan -lock=true while locked (refused)`, () =>
      w.run(['plan', '-refresh=false', '-lock=true', '-lock-timeout=0s', '-input=false', '-no-color'], { env, allowedCodes: [1] }),
    );
  } finally {
    await release();
  }
  const plan = await timings.time(`${stack}: plan -refresh=false -lock=true`, () =>
    w.run(['plan', '-refresh=false', '-lock=true', '-input=false', '-no-color', '-detailed-exitcode'], { env, allowedCodes: [2] }),
  );
  return {
    schema,
    initOutput: init.stdout,
    refusedStderr: refused.stderr,
    planOutput: plan.stdout,
    locksAfter: workspaceLocks(schema),
    leaks: filesContaining(w.dir, pg.connectionString),
  };
}

describe('(4) (1) every environment stack: init against the pg backend, plan reads state and takes and releases the lock', () => {
  // Both stacks run at once (each `it` awaits its own); a failure is reported by the stack's own test.
  let proofs: Record<string, Promise<StackProof>>;
  beforeAll(() => {
    proofs = startTogether(ENV_STACKS, proveEnvironmentStack);
  });

  it.each(ENV_STACKS.map((s) => [s]))(
    '%s',
    async (stack) => {
      const proof = await proofs[stack];
      expect(proof.schema).toBe(pgSchemaName(stack));
      expect(proof.initOutput).toContain('Successfully configured the backend "pg"');
      expect(pg.query(`select count(*) from ${proof.schema}.states`)).toBe('1');
      expect(proof.refusedStderr).toMatch(LOCK_ERROR);
      expect(proof.refusedStderr).toContain('Workspace is already locked: default');
      expect(proof.planOutput).toMatch(seededOutputRemoved(stack));
      expect(proof.planOutput).toMatch(/Plan: \d+ to add, 0 to change, 0 to destroy\./);
      expect(proof.locksAfter).toBe(0);
      expect(proof.leaks).toEqual([]);
    },
    300_000,
  );
});

describe('(4) (2) and (3): a probe stack built through the same addBackend, on pg', () => {
  const dev = config.environments.find((e) => e.name === 'dev')!;
  const probe = (stackName: string, slowSeconds: number): ProbeStackProps => ({
    project: config.project,
    stackName,
    keyScope: dev.name,
    region: dev.region,
    backend: dev.backend,
    slowSeconds,
  });
  const probeDir = synthProbe(probe('web-probe', 3));
  const schema = pgSchemaName('web-probe');

  it('has the backend block of web-dev but its own schema, and no connection string', () => {
    expect(terraformBlockOf(synth(config).dirs['web-dev']).backend).toEqual({ pg: { schema_name: 'web_dev' } });
    expect(terraformBlockOf(probeDir).backend).toEqual({ pg: { schema_name: schema } });
  });

  it('(2) applied from one working directory, read back from a second: no changes', async () => {
    const [first, second] = [workdir(probeDir), workdir(probeDir)];
    await timings.time('probe: init (first and second directory)', () => Promise.all([init(first), init(second)]));
    let lockSeen = false;
    const apply = background.start(
      timings.time('probe: apply from the first directory (3 s sleep)', () =>
        first.run(['apply', '-auto-approve', '-lock=true', '-input=false', '-no-color'], { env }),
      ),
    );
    // The first apply of a workspace holds the creation lock (-1) until its row exists.
    await until(20_000, 'the creation lock during the apply', () => (lockSeen ||= creationLocks() > 0));
    await apply;
    expect(lockSeen).toBe(true);
    expect(creationLocks()).toBe(0);
    expect(workspaceLocks(schema)).toBe(0);

    const plan = await timings.time('probe: plan from the second directory', () =>
      second.run(['plan', '-lock=true', '-input=false', '-no-color', '-detailed-exitcode'], { env }),
    );
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('No changes.');
    const state = await pullState(second, env);
    expect(Object.keys(idsOf(state)).sort()).toEqual(['terraform_data.first', 'terraform_data.second', 'terraform_data.slow']);
    expect(JSON.parse(pg.query(`select data from ${schema}.states where name = 'default'`))).toMatchObject({
      serial: state.serial,
      lineage: state.lineage,
    });
  }, 120_000);

  it('(3) lock contention: a second apply fails on the lock, the first completes, the state is intact', async () => {
    const [holder, contender] = [workdir(probeDir), workdir(probeDir)];
    await timings.time('contention: init (two directories)', () => Promise.all([init(holder), init(contender)]));
    const before = await pullState(contender, env);

    const started = performance.now();
    const slowApply = background.start(
      holder.run(['apply', '-auto-approve', '-lock=true', '-input=false', '-no-color', '-replace=terraform_data.slow'], { env }),
    );
    await until(20_000, 'the first apply holding the workspace lock', () => workspaceLocks(schema) === 1);
    const second = await timings.time('contention: second apply (refused)', () =>
      contender.run(['apply', '-auto-approve', '-lock=true', '-lock-timeout=0s', '-input=false', '-no-color'], { env, allowedCodes: [1] }),
    );
    expect(second.stderr).toMatch(LOCK_ERROR);
    expect(second.stderr).toContain('Workspace is already locked: default');
    const firstResult = await slowApply;
    timings.record('contention: first apply, start to finish (3 s sleep)', performance.now() - started);
    expect(firstResult.stdout).toContain('Apply complete! Resources: 1 added, 0 changed, 1 destroyed.');

    expect(workspaceLocks(schema)).toBe(0);
    const after = await pullState(contender, env);
    expect(after.lineage).toBe(before.lineage);
    expect(after.serial).toBeGreaterThan(before.serial);
    const [was, now] = [idsOf(before), idsOf(after)];
    expect(Object.keys(now).sort()).toEqual(['terraform_data.first', 'terraform_data.second', 'terraform_data.slow']);
    expect(now['terraform_data.first']).toBe(was['terraform_data.first']);
    expect(now['terraform_data.slow']).not.toBe(was['terraform_data.slow']);
    const plan = await contender.run(['plan', '-lock=true', '-input=false', '-no-color', '-detailed-exitcode'], { env });
    expect(plan.stdout).toContain('No changes.');
  }, 120_000);

  it('first deploys of two stacks in one database at once: the second is refused (why npm run deploy serializes pg stacks)', async () => {
    const [a, b] = [workdir(synthProbe(probe('web-first-a', 2))), workdir(synthProbe(probe('web-first-b', 2)))];
    await Promise.all([init(a), init(b)]);
    const slow = background.start(a.run(['apply', '-auto-approve', '-input=false', '-no-color'], { env }));
    await until(20_000, 'the first stack holding the creation lock', () => creationLocks() === 1);
    const refused = await b.run(['apply', '-auto-approve', '-lock-timeout=0s', '-input=false', '-no-color'], { env, allowedCodes: [1] });
    expect(refused.stderr).toContain('Already locked for workspace creation: default');
    await slow;
    const serial = await timings.time('first deploys: the second stack after the first (serialized)', () =>
      b.run(['apply', '-auto-approve', '-input=false', '-no-color'], { env }),
    );
    expect(serial.stdout).toContain('Apply complete! Resources: 3 added');
  }, 120_000);
});
