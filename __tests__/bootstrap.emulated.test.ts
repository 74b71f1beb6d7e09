/**
 * `npm run bootstrap` for real (the command as npm runs it: node scripts/app.mjs scripts/bootstrap.ts), with real
 * Terraform and the real AWS provider against moto on loopback, one server per scenario, each answering for the
 * config's state account (MOTO_ACCOUNT_ID: the command's STS check, the provider's allowed_account_ids and the s3
 * backend's account check all pass for real). The provider, the s3 backend and the command's SDK calls reach moto
 * through AWS_ENDPOINT_URL alone (no -backend-config file: TF_CLI_ARGS_init would reach the command's local-backend
 * init too, which refuses s3 settings); a trap proxy proves nothing leaves loopback.
 *
 * 1. From nothing: deployed, the state in the bucket (encrypted with the state key), no state file left in the
 *    state dir or anywhere in the build folder, and the stack plans no changes against the bucket's state; run
 *    again, it says it is done and creates nothing.
 * 2. Interrupted between the deploy and the move: the bucket refuses the state (moto's 403 on a policy with
 *    conditions, gap s3-policy-conditions-deny-objects, which stands in for a real refusal: a missing s3:PutObject
 *    or kms:GenerateDataKey). The command keeps the local state and says so; the build folder is then deleted
 *    (`rm -rf cdktf.out`, what the kept state is safe from); once the cause is gone, the next run moves the kept
 *    state without deploying again (the policy removed meanwhile is not put back) and removes it.
 *
 * Where moto cannot create what AWS would (support/emulator-gaps.ts, proven by the emulated deploy), the apply is
 * limited to the other resources with `TF_CLI_ARGS_apply=-target=…` (test-only, the command is unchanged): bucket
 * logging (s3-logging-policy-principal-star: PutBucketLogging answers 500 until the provider gives up) always, and in
 * scenario 1 the state bucket's policy, which moto would answer every state write with 403.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { ListKeysCommand } from '@aws-sdk/client-kms';
import {
  DeleteBucketPolicyCommand,
  GetBucketPolicyCommand,
  GetObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { bootstrapTarget, keptStatePaths, stateResources } from '../bootstrap';
import { platform } from '../config/environments';
import type { PlatformConfig } from '../config/types';
import { validateConfig } from '../config/validate';
import { startMoto, type MotoServer } from '../harness/moto';
import type { PlanJson, RunResult } from '../harness/terraform';
import { awsClients, closeClients, type AwsClients } from './support/aws-readback';
import { ProxyTrap, emulatorEnv, runCommand } from './support/emulated-deploy';
import { EMULATOR_GAPS, GapLedger, judgePlan } from './support/emulator-gaps';
import { synth } from './support/synth';

const root = resolve(__dirname, '..');
/** A bootstrap run applies the state stack (a minute or two on a busy machine); four runs, two at a time. */
const TEST_MS = 15 * 60_000;

const config: PlatformConfig = validateConfig(platform);

function gapResourceType(id: string): string {
  const gap = EMULATOR_GAPS.find((g) => g.id === id);
  if (!gap || gap.kind !== 'apply') throw new Error(`no apply gap ${id} in support/emulator-gaps.ts`);
  return gap.resourceType;
}

interface Scenario {
  readonly server: MotoServer;
  readonly clients: AwsClients;
  readonly stateDir: string;
  readonly outdir: string;
}

if (config.state) {
  const target = bootstrapTarget(config);
  const { stack, bucket, key } = target;
  const stackJson = synth(config).stacks[stack];
  const addresses = Object.entries(stackJson.resource).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`));
  /** The state bucket's policy: the aws_s3_bucket_policy on the resource whose bucket is state.bucket. */
  const stateBucketId = Object.entries(stackJson.resource.aws_s3_bucket).find(([, b]) => (b as { bucket: string }).bucket === bucket)![0];
  const stateBucketPolicy = Object.entries(stackJson.resource.aws_s3_bucket_policy ?? {})
    .filter(([, p]) => (p as { bucket: string }).bucket === `\${aws_s3_bucket.${stateBucketId}.id}`)
    .map(([name]) => `aws_s3_bucket_policy.${name}`);
  const logging = gapResourceType('s3-logging-policy-principal-star');
  /** What moto can create: every resource but the logging gap's (and, for scenario 1, the state bucket's policy). */
  const creatable = addresses.filter((a) => !a.startsWith(`${logging}.`));
  const withoutPolicy = creatable.filter((a) => !stateBucketPolicy.includes(a));

  const scratch = mkdtempSync(join(tmpdir(), 'bootstrap-'));
  let trap: ProxyTrap;
  const scenarios: Scenario[] = [];

  async function scenario(name: string): Promise<Scenario> {
    const server = await startMoto(target.accountId);
    const s = {
      server,
      clients: awsClients(server.endpoint, target.region),
      stateDir: join(scratch, name, 'kept'),
      outdir: join(scratch, name, 'cdktf.out'),
    };
    scenarios.push(s);
    return s;
  }

  /** `npm run bootstrap -- --auto-approve --state-dir <dir>`, its apply limited to `targets`. */
  const bootstrap = (s: Scenario, targets: readonly string[]): Promise<RunResult> =>
    runCommand(process.execPath, ['scripts/app.mjs', 'scripts/bootstrap.ts', '--auto-approve', '--state-dir', s.stateDir], root, {
      ...emulatorEnv(s.server, trap),
      CDKTF_OUTDIR: s.outdir,
      TF_CLI_ARGS_apply: targets.map((t) => `-target=${t}`).join(' '),
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    });

  /** The state object in the bucket, or undefined. */
  async function stateObject(s: Scenario): Promise<{ text: string; encryption?: string; keyId?: string } | undefined> {
    try {
      const object = await s.clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return { text: await object.Body!.transformToString(), encryption: object.ServerSideEncryption, keyId: object.SSEKMSKeyId };
    } catch (error) {
      if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  /** Every *.tfstate file under `dir`. */
  const stateFilesUnder = (dir: string): string[] =>
    existsSync(dir)
      ? (readdirSync(dir, { recursive: true }) as string[])
          // .terraform/terraform.tfstate is Terraform's record of the backend settings, not a state of the stack.
          .filter((f) => /\.tfstate(\.backup)?$/.test(f) && !f.split(sep).includes('.terraform'))
      : [];

  const output = (r: RunResult) => `${r.stdout}\n${r.stderr}`;
  const rerun = (s: Scenario) => `npm run bootstrap -- --auto-approve --state-dir ${s.stateDir}`;

  let fromNothing: Promise<{
    s: Scenario;
    first: RunResult;
    second: RunResult;
    before: Awaited<ReturnType<typeof stateObject>>;
    after: Awaited<ReturnType<typeof stateObject>>;
    counts: number[][];
    planRun: RunResult;
    plan?: PlanJson;
  }>;
  let interrupted: Promise<{
    s: Scenario;
    first: RunResult;
    keptAfterFirst: string[];
    recordAfterFirst: { phase: string };
    objectAfterFirst?: number;
    probe: string;
    second: RunResult;
  }>;

  beforeAll(async () => {
    trap = await ProxyTrap.start();
    const counts = async (s: Scenario) => [
      ((await s.clients.s3.send(new ListBucketsCommand({}))).Buckets ?? []).length,
      ((await s.clients.kms.send(new ListKeysCommand({}))).Keys ?? []).length,
    ];
    fromNothing = (async () => {
      const s = await scenario('from-nothing');
      const first = await bootstrap(s, withoutPolicy);
      const before = await stateObject(s);
      const afterFirst = await counts(s);
      const second = await bootstrap(s, withoutPolicy);
      const after = await stateObject(s);
      // The stack's own directory, as the command left it (s3 backend): what the bucket holds is what it plans from.
      const dir = join(s.outdir, 'stacks', stack);
      const terraform = (args: string[]) => runCommand(process.env.TERRAFORM_BIN ?? 'terraform', args, dir, emulatorEnv(s.server, trap));
      const planRun = await terraform([
        'plan',
        '-input=false',
        '-no-color',
        '-refresh=false',
        '-out=check.tfplan',
        ...withoutPolicy.map((t) => `-target=${t}`),
      ]);
      const plan = planRun.code === 0 ? (JSON.parse((await terraform(['show', '-json', 'check.tfplan'])).stdout) as PlanJson) : undefined;
      return { s, first, second, before, after, counts: [afterFirst, await counts(s)], planRun, plan };
    })();
    interrupted = (async () => {
      const s = await scenario('interrupted');
      const first = await bootstrap(s, creatable);
      const kept = keptStatePaths(s.stateDir, stack);
      const keptAfterFirst = Object.keys(existsSync(kept.state) ? stateResources(readFileSync(kept.state, 'utf8'), kept.state) : {}).sort();
      const recordAfterFirst = existsSync(kept.record) ? JSON.parse(readFileSync(kept.record, 'utf8')) : { phase: '(no record)' };
      // Listing is a bucket call, which moto lets through the policy (object calls it refuses).
      const objectAfterFirst = (await s.clients.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: key }))).KeyCount;
      // What refused the move: moto's answer to any object write under the TLS-only policy (the gap), then the cause goes.
      const probe = await s.clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'probe', Body: 'x' })).then(
        () => 'accepted',
        (error) => `${error.name} (HTTP ${error.$metadata?.httpStatusCode})`,
      );
      await s.clients.s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
      rmSync(s.outdir, { recursive: true, force: true });
      const second = await bootstrap(s, creatable);
      return { s, first, keptAfterFirst, recordAfterFirst, objectAfterFirst, probe, second };
    })();
    [fromNothing, interrupted].forEach((p) => p.catch(() => undefined));
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled([fromNothing, interrupted]);
    scenarios.forEach((s) => closeClients(s.clients));
    await Promise.all(scenarios.map((s) => s.server.stop()));
    await trap?.stop();
    rmSync(scratch, { recursive: true, force: true });
  }, 120_000);

  describe(`npm run bootstrap (${stack} on moto)`, () => {
    it(
      'from nothing: deploys, moves the state into the bucket, reads it back, removes the local copy',
      async () => {
        const { s, first, before } = await fromNothing;
        expect({ code: first.code, tail: output(first).slice(-3000) }).toMatchObject({ code: 0 });
        expect(first.stderr).toContain(
          `bootstrap: deploying ${stack} (state bucket ${bucket} in account ${target.accountId}, ${target.region})`,
        );
        expect(first.stderr).toContain(
          `> terraform init -input=false -reconfigure -backend-config=path=${keptStatePaths(s.stateDir, stack).state}`,
        );
        expect(first.stderr).toContain('> terraform init -input=false -migrate-state -force-copy');
        expect(first.stderr).toContain(
          `bootstrap: done. ${stack}'s state is in s3://${bucket}/${key} (${withoutPolicy.length} resources; read back through the s3 backend: every resource, same ids); the local copy ${keptStatePaths(s.stateDir, stack).state} is removed.`,
        );
        expect(Object.keys(stateResources(before!.text, key)).sort()).toEqual([...withoutPolicy].sort());
      },
      TEST_MS,
    );

    it(
      'leaves no state file behind: not in the state dir (gone), not anywhere in the build folder',
      async () => {
        const { s } = await fromNothing;
        expect(existsSync(s.stateDir)).toBe(false);
        expect(stateFilesUnder(s.outdir)).toEqual([]);
      },
      TEST_MS,
    );

    it(
      'the state object is encrypted with the state key',
      async () => {
        const { before } = await fromNothing;
        const { kms_key_id: keyAlias } = stackJson.terraform.backend.s3 as { kms_key_id?: string };
        expect(before!.encryption).toBe(config.state!.encryption === 'kms' ? 'aws:kms' : 'AES256');
        // AWS answers with the key's ARN; moto with the id the request named (the backend's alias).
        const keyArn = JSON.parse(before!.text).resources.find((r: { type: string }) => r.type === 'aws_kms_key')?.instances[0].attributes
          .arn;
        if (config.state!.encryption === 'kms') expect([keyArn, keyAlias]).toContain(before!.keyId);
      },
      TEST_MS,
    );

    it(
      'the stack plans no changes against the state in the bucket (but what moto does not keep, named in the allow-list)',
      async () => {
        const { planRun, plan } = await fromNothing;
        expect({ code: planRun.code, out: planRun.code === 0 ? '' : output(planRun) }).toEqual({ code: 0, out: '' });
        const verdicts = judgePlan(plan!, new Set(), new GapLedger(), `${stack} after npm run bootstrap`);
        expect(verdicts.filter((v) => v.unexplained.length > 0).map((v) => `${v.address}: ${v.unexplained.join('; ')}`)).toEqual([]);
      },
      TEST_MS,
    );

    it(
      'run again: says it is bootstrapped already, runs no Terraform, creates nothing, leaves the state as it was',
      async () => {
        const { second, before, after, counts } = await fromNothing;
        expect(second.code).toBe(0);
        expect(second.stderr).toContain(
          `bootstrap: ${stack} is bootstrapped already: its state is in s3://${bucket}/${key} (${withoutPolicy.length} resources); nothing to do.`,
        );
        expect(second.stderr).not.toContain('> terraform');
        expect(after!.text).toBe(before!.text);
        expect(counts[1]).toEqual(counts[0]);
      },
      TEST_MS,
    );

    it(
      'interrupted between the deploy and the move: keeps the local state, says where and what to run',
      async () => {
        const { s, first, keptAfterFirst, recordAfterFirst, objectAfterFirst, probe } = await interrupted;
        const kept = keptStatePaths(s.stateDir, stack);
        expect(first.code).toBe(1);
        // The cause: moto refuses object writes under the TLS-only policy (gap s3-policy-conditions-deny-objects).
        expect(probe).toMatch(/\(HTTP 403\)$/);
        expect(output(first)).toMatch(/StatusCode: 403/);
        expect(first.stderr).toContain(
          `bootstrap: moving the state into s3://${bucket}/${key} failed (terraform init -migrate-state, above). ${stack} is deployed; its state stays in ${kept.state}: do not delete it. ` +
            `Fix the cause (credentials, the bucket's policy, the KMS key) and run \`${rerun(s)}\` again: it resumes the move without deploying again`,
        );
        expect(keptAfterFirst).toEqual([...creatable].sort());
        expect(recordAfterFirst.phase).toBe('deployed');
        expect(objectAfterFirst).toBe(0);
      },
      TEST_MS,
    );

    it(
      'the next run, after the build folder was deleted, resumes the move without deploying again and removes the local copy',
      async () => {
        const { s, second } = await interrupted;
        const kept = keptStatePaths(s.stateDir, stack);
        expect({ code: second.code, tail: output(second).slice(-3000) }).toMatchObject({ code: 0 });
        expect(second.stderr).toContain(
          `bootstrap: resuming: an earlier run deployed ${stack} (its state, ${creatable.length} resources, kept in ${kept.state}) and did not finish moving it; moving it into s3://${bucket}/${key}`,
        );
        expect(second.stderr).not.toContain('> terraform apply');
        // Not deployed again: the policy removed after the first run is still absent.
        await expect(s.clients.s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).rejects.toMatchObject({
          name: 'NoSuchBucketPolicy',
        });
        const object = await stateObject(s);
        expect(Object.keys(stateResources(object!.text, key)).sort()).toEqual([...creatable].sort());
        expect(existsSync(s.stateDir)).toBe(false);
      },
      TEST_MS,
    );

    it(
      'sends nothing beyond loopback',
      async () => {
        await Promise.allSettled([fromNothing, interrupted]);
        expect(trap.attempts()).toEqual([]);
      },
      TEST_MS,
    );
  });
} else {
  it('the config has no state section: npm run bootstrap refuses, naming the field', async () => {
    const result = await runCommand(process.execPath, ['scripts/app.mjs', 'scripts/bootstrap.ts', '--auto-approve'], root, {});
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^bootstrap: state: absent/m);
  });
}
