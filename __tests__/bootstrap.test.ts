/**
 * `npm run bootstrap` decided before anything runs (bootstrap/plan.ts): its arguments, the stack and where its
 * state goes, what it does from what it finds, and what `npm run deploy | diff | destroy` refuse while a
 * bootstrap has not finished. One test per message. The command itself runs against moto in
 * bootstrap.emulated.test.ts.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  BOOTSTRAP_USAGE,
  BootstrapError,
  DEFAULT_STATE_DIR,
  accountRefusal,
  bootstrapTarget,
  decideBootstrap,
  keptStatePaths,
  parseBootstrapArgs,
  stateDirOf,
  stateResources,
  stateStackRefusal,
  type BootstrapFacts,
  type KeptFacts,
} from '../bootstrap';
import { platform } from '../config/environments';
import type { PlatformConfig } from '../config/types';
import { validateConfig } from '../config/validate';
import { stateObjectKey, stateStackName, STATE_STACK_SUFFIX } from '../naming';
import { shipped } from './support/stacks';

const root = resolve(__dirname, '..');
const state = shipped.state!;
const stack = stateStackName(shipped.project);
/** The shipped config as written, its state section edited, validated (once). */
const withState = (edit: Record<string, unknown>): PlatformConfig => validateConfig({ ...platform, state: { ...platform.state, ...edit } });
const target = bootstrapTarget(shipped);
const where = `s3://${target.bucket}/${target.key}`;
const RERUN = 'npm run bootstrap';

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(BootstrapError);
    return (error as Error).message;
  }
  throw new Error('not refused');
}

const resources = { 'aws_s3_bucket.state_bucket': target.bucket, 'aws_kms_key.state_bucket_key': 'key-1' };
const kept = (over: Partial<KeptFacts> = {}): KeptFacts => ({
  path: `${DEFAULT_STATE_DIR}/${stack}.tfstate`,
  resources,
  deployed: true,
  target,
  ...over,
});
const decide = (facts: BootstrapFacts) => decideBootstrap(target, facts, RERUN);

describe('npm run bootstrap -- <arguments>', () => {
  it('reads --auto-approve and --state-dir (as --state-dir x or --state-dir=x)', () => {
    expect(parseBootstrapArgs([], true)).toEqual({ autoApprove: false, stateDir: undefined });
    expect(parseBootstrapArgs(['--auto-approve', '--state-dir', '/persist/state'], false)).toEqual({
      autoApprove: true,
      stateDir: '/persist/state',
    });
    expect(parseBootstrapArgs(['--state-dir=keep', '--auto-approve'], false)).toEqual({ autoApprove: true, stateDir: 'keep' });
  });

  it('refuses an unknown option with the usage', () => {
    expect(refusal(() => parseBootstrapArgs(['--yes'], true))).toBe(`Unknown option '--yes'; ${BOOTSTRAP_USAGE}`);
  });

  it('refuses stack names: it deploys the state stack of the config', () => {
    expect(refusal(() => parseBootstrapArgs([stack], true))).toBe(
      `bootstrap takes no stack names (it deploys the config's state stack), got "${stack}"; ${BOOTSTRAP_USAGE}`,
    );
  });

  it('refuses an empty --state-dir', () => {
    expect(refusal(() => parseBootstrapArgs(['--state-dir=', '--auto-approve'], true))).toBe(
      `--state-dir needs a directory, got ""; ${BOOTSTRAP_USAGE}`,
    );
  });

  it('refuses to wait for an approval nobody can give (no terminal, no --auto-approve)', () => {
    expect(refusal(() => parseBootstrapArgs([], false))).toBe(
      'stdin is not a terminal, so nobody can approve the plan Terraform shows: run `npm run bootstrap -- --auto-approve` (e.g. in CI)',
    );
  });

  it('keeps the state under the project, outside the build folder, unless --state-dir says where', () => {
    expect(stateDirOf(root, undefined)).toBe(join(root, DEFAULT_STATE_DIR));
    expect(stateDirOf(root, 'elsewhere')).toBe(join(root, 'elsewhere'));
    expect(stateDirOf(root, '/persist/state')).toBe('/persist/state');
    expect(keptStatePaths('/k', stack)).toEqual({
      dir: '/k',
      state: `/k/${stack}.tfstate`,
      backup: `/k/${stack}.tfstate.backup`,
      record: `/k/${stack}.bootstrap.json`,
    });
    expect(DEFAULT_STATE_DIR).not.toMatch(/cdktf\.out/);
  });
});

describe('the stack and where its state goes', () => {
  it('the state section: its account, region and bucket, the key of the state stack', () => {
    expect(target).toEqual({
      stack,
      accountId: state.accountId,
      region: state.region,
      bucket: state.bucket,
      key: stateObjectKey(shipped.project, STATE_STACK_SUFFIX, stack),
    });
  });

  it('refuses a config without a state section, naming the field', () => {
    // Without a state section, an s3 backend must name its bucket: the environments keep local state here.
    const withoutState = validateConfig({
      ...platform,
      state: undefined,
      environments: platform.environments.map((e) => ({ ...e, backend: { kind: 'local' } })),
    });
    expect(refusal(() => bootstrapTarget(withoutState))).toBe(
      'state: absent, so there is no state stack to bootstrap; add a state section (accountId, region, bucket) to the config (config/environments.ts, docs/deploy.md)',
    );
  });

  it("refuses state.backend 'local': after the bootstrap, the state is in the bucket", () => {
    expect(refusal(() => bootstrapTarget(withState({ backend: 'local' })))).toBe(
      `state.backend: got "local"; npm run bootstrap moves ${stack}'s state into its bucket, where every later npm run deploy -- ${stack} must find it: ` +
        "set state.backend: 's3' in the config (config/environments.ts) and run it again",
    );
  });

  it('the shipped config says s3 from the start, so no later command looks for a local state', () => {
    expect(state.backend).toBe('s3');
    expect(
      validateConfig({ ...platform, state: { accountId: state.accountId, region: state.region, bucket: state.bucket } }).state!.backend,
    ).toBe('s3');
  });

  it("refuses another account's credentials", () => {
    expect(accountRefusal(state.accountId, target)).toBeUndefined();
    const other = state.accountId === '999999999999' ? '000000000000' : '999999999999';
    expect(accountRefusal(other, target)).toBe(
      `the credentials are for account ${other}, state.accountId is ${state.accountId}: use credentials of that account (aws sts get-caller-identity shows whose they are)`,
    );
  });

  it("accepts an account whose environments' CI roles live in a stack of their own, and names those accounts when refusing", () => {
    const [own, stranger] = state.accountId === '222222222222' ? ['333333333333', '444444444444'] : ['222222222222', '444444444444'];
    expect(accountRefusal(own, target, [own])).toBeUndefined();
    expect(accountRefusal(stranger, target, [own])).toBe(
      `the credentials are for account ${stranger}, state.accountId is ${state.accountId}: use credentials of that account (or, for the CI roles of the environments there, of ${own}) (aws sts get-caller-identity shows whose they are)`,
    );
  });
});

describe('what it does, from what it finds', () => {
  it('from nothing: deploys, the state kept locally until it is in the bucket', () => {
    expect(decide({ remote: { kind: 'no-bucket' } })).toEqual({
      action: 'deploy',
      adoptLegacy: false,
      message: `deploying ${stack} (state bucket ${target.bucket} in account ${target.accountId}, ${target.region}) with its state kept locally until it is in ${where}`,
    });
  });

  it('the state in the bucket: done already, nothing to do', () => {
    expect(decide({ remote: { kind: 'state', resources } })).toEqual({
      action: 'done-already',
      message: `${stack} is bootstrapped already: its state is in ${where} (2 resources); nothing to do.`,
    });
  });

  it('the state in the bucket and an old local copy from the manual way: done, and says which one is in use', () => {
    const legacy = { path: `cdktf.out/stacks/${stack}/terraform.${stack}.tfstate`, resources };
    expect(decide({ remote: { kind: 'state', resources }, legacy }).message).toBe(
      `${stack} is bootstrapped already: its state is in ${where} (2 resources); nothing to do. ` +
        `${legacy.path} is an older local copy from before the move; the bucket's is the one in use (delete the local one once you have checked).`,
    );
  });

  it('deployed, not moved: resumes the move without deploying again', () => {
    expect(decide({ remote: { kind: 'no-state' }, kept: kept() })).toEqual({
      action: 'move',
      message: `resuming: an earlier run deployed ${stack} (its state, 2 resources, kept in ${kept().path}) and did not finish moving it; moving it into ${where}`,
    });
  });

  it('a deploy that did not finish: deploys again from the kept state', () => {
    expect(decide({ remote: { kind: 'no-state' }, kept: kept({ deployed: false }) })).toEqual({
      action: 'deploy',
      adoptLegacy: false,
      message: `resuming: an earlier run's deploy of ${stack} did not finish (its state, 2 resources, kept in ${kept().path}); deploying again from it, Terraform creates what is missing`,
    });
  });

  it('deployed, but the bucket is gone since: deploys again from the kept state', () => {
    expect(decide({ remote: { kind: 'no-bucket' }, kept: kept() })).toMatchObject({
      action: 'deploy',
      message: `an earlier run deployed ${stack} (state kept in ${kept().path}), but its bucket ${target.bucket} is gone; deploying again from the kept state`,
    });
  });

  it("moved, but the local copy not removed: removes it when it is the same as the bucket's", () => {
    expect(decide({ remote: { kind: 'state', resources }, kept: kept() })).toEqual({
      action: 'remove-copy',
      message: `${stack}'s state is in ${where} already (an earlier run moved it and stopped before removing its local copy); removing ${kept().path}`,
    });
  });

  it('the manual first step done (local state in the build folder): takes it out of there, deploys from it, moves it', () => {
    const legacy = { path: `cdktf.out/stacks/${stack}/terraform.${stack}.tfstate`, resources };
    expect(decide({ remote: { kind: 'no-state' }, legacy })).toEqual({
      action: 'deploy',
      adoptLegacy: true,
      message: `found ${stack}'s local state from the manual first step in ${legacy.path} (2 resources); moving it out of the build folder, deploying from it, then moving it into ${where}`,
    });
  });

  it("refuses when the kept state and the bucket's differ, and changes nothing", () => {
    const other = { ...resources, 'aws_kms_key.state_bucket_key': 'key-2' };
    expect(refusal(() => decide({ remote: { kind: 'state', resources: other }, kept: kept() }))).toBe(
      `both ${kept().path} (2 resources) and ${where} (2 resources) hold a state of ${stack}, and they differ (aws_kms_key.state_bucket_key). ` +
        "Nothing was changed. Keep the one that matches what is in AWS (terraform plan in each shows which): to keep the bucket's, delete the local file; " +
        `to keep the local one, delete the bucket's object (its versions keep the old one), then run \`${RERUN}\` again`,
    );
  });

  it('refuses a kept state that was on its way to another bucket', () => {
    const was = { ...target, bucket: 'an-earlier-bucket' };
    expect(refusal(() => decide({ remote: { kind: 'no-bucket' }, kept: kept({ target: was }) }))).toBe(
      `${kept().path} holds ${stack}'s state on its way to s3://an-earlier-bucket/${target.key} (account ${target.accountId}, ${target.region}), but the config now names ${where} ` +
        `(account ${target.accountId}, ${target.region}): put the state section back as it was and run \`${RERUN}\` again to finish that move`,
    );
  });

  it('refuses a bucket name these credentials may not read (another account holds it)', () => {
    expect(refusal(() => decide({ remote: { kind: 'forbidden' } }))).toBe(
      `the state bucket ${target.bucket} exists but these credentials may not read it (403): another account owns that name (bucket names are global: choose another state.bucket) ` +
        'or the credentials lack s3:ListBucket on it',
    );
  });

  it('refuses a bucket that exists with no record of its stack anywhere (the state was lost): deploying again would fail on it', () => {
    expect(refusal(() => decide({ remote: { kind: 'no-state' } }))).toBe(
      `the state bucket ${target.bucket} exists, but no state of ${stack} was found (not in ${where}, no local state kept): its record was lost, and deploying again would fail on what exists. ` +
        'Nothing was changed. Import the existing resources into a state (docs/deploy.md, "A bootstrap whose state was lost"), or choose another state.bucket for a new one',
    );
  });
});

describe('a Terraform state as the bootstrap compares it', () => {
  it('every managed resource instance by address (module, index) with its id; data sources left out', () => {
    const text = JSON.stringify({
      version: 4,
      resources: [
        { mode: 'managed', type: 'aws_s3_bucket', name: 'state_bucket', instances: [{ attributes: { id: 'b', arn: 'arn:b' } }] },
        {
          mode: 'managed',
          module: 'module.m',
          type: 'aws_kms_alias',
          name: 'a',
          instances: [
            { index_key: 0, attributes: { arn: 'arn:a' } },
            { index_key: 'x', attributes: { id: 'y' } },
          ],
        },
        { mode: 'data', type: 'aws_caller_identity', name: 'me', instances: [{ attributes: { id: '1' } }] },
      ],
    });
    expect(stateResources(text, 'f')).toEqual({
      'aws_s3_bucket.state_bucket': 'b',
      'module.m.aws_kms_alias.a[0]': 'arn:a',
      'module.m.aws_kms_alias.a["x"]': 'y',
    });
  });

  it('refuses a file that is not a state, and changes nothing', () => {
    expect(refusal(() => stateResources('{ not json', 'bootstrap-state/x.tfstate'))).toMatch(
      /^bootstrap-state\/x\.tfstate is not a Terraform state \(.+\); nothing was changed: leave it in place and look at it$/,
    );
  });
});

describe('npm run deploy | diff | destroy and the state stack', () => {
  const local = `cdktf.out/stacks/${stack}/terraform.${stack}.tfstate`;
  const none = { localStatePath: local, localStateExists: false };

  it('refuses while a bootstrap has not finished moving its state, for every command', () => {
    for (const command of ['deploy', 'diff', 'destroy']) {
      expect(stateStackRefusal(command, shipped, { ...none, keptStatePath: `${DEFAULT_STATE_DIR}/${stack}.tfstate` })).toBe(
        `${stack} is being bootstrapped: its state is in ${DEFAULT_STATE_DIR}/${stack}.tfstate, not yet in its bucket. Run \`npm run bootstrap\` to finish moving it, then \`npm run ${command} -- ${stack}\``,
      );
    }
  });

  it("refuses a deploy from an empty local state (state.backend 'local'), which would create the state bucket again", () => {
    expect(stateStackRefusal('deploy', withState({ backend: 'local' }), none)).toBe(
      `${stack} keeps its state in a local file (state.backend: 'local') and there is none at ${local}: this deploy would start from an empty state and try to create the state bucket again. ` +
        `If ${stack} was never deployed, set state.backend: 's3' and run \`npm run bootstrap\`; if its state is in the bucket already, set state.backend: 's3'`,
    );
  });

  it('lets through: the s3 backend, a local state that exists, a diff', () => {
    expect(stateStackRefusal('deploy', shipped, none)).toBeUndefined();
    expect(stateStackRefusal('deploy', withState({ backend: 'local' }), { ...none, localStateExists: true })).toBeUndefined();
    expect(stateStackRefusal('diff', withState({ backend: 'local' }), none)).toBeUndefined();
  });

  it('the real command refuses before cdktf runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bootstrap-refusal-'));
    try {
      const configFile = join(dir, 'config.json');
      writeFileSync(configFile, JSON.stringify({ ...shipped, state: { ...state, backend: 'local' } }));
      mkdirSync(join(dir, 'out'));
      const result = await new Promise<{ code: number; stderr: string }>((done) =>
        execFile(
          process.execPath,
          ['scripts/app.mjs', 'scripts/stack-command.ts', 'deploy', stack],
          { cwd: root, env: { ...process.env, PLATFORM_CONFIG: configFile, CDKTF_OUTDIR: join(dir, 'out') } },
          (error, _stdout, stderr) => done({ code: error ? Number(error.code) : 0, stderr }),
        ),
      );
      expect(result).toEqual({
        code: 1,
        stderr: expect.stringMatching(
          new RegExp(`^deploy: ${stack} keeps its state in a local file \\(state.backend: 'local'\\) and there is none at `),
        ),
      });
      expect(result.stderr).not.toMatch(/> cdktf/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
