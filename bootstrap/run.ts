/**
 * `npm run bootstrap`, carried out (bootstrap/plan.ts decides what to do):
 *
 * 1. Who: the caller's account (STS) must be `state.accountId` — or an account whose environments' CI roles live
 *    in a stack of their own (`<project>-ci-<account>`): then that stack alone is deployed, its state in the
 *    bucket from the start, once the state account's bootstrap made the bucket.
 * 2. What exists: the state object in the bucket (S3 HeadBucket, GetObject), a local state an earlier run kept
 *    (`<state dir>/<stack>.tfstate` and its record `<stack>.bootstrap.json`), or one the manual way left in
 *    `cdktf.out/stacks/<stack>/`.
 * 3. Deploy: synthesize with the state stack on a local backend, `terraform init -reconfigure
 *    -backend-config=path=<kept state>` in the stack's directory — the state lives outside the build folder from
 *    its first byte — and `terraform apply`; the record says "deployed" once it completes.
 * 4. Move: synthesize with the s3 backend of the config, `terraform init -migrate-state -force-copy`, then
 *    `terraform state pull` through that backend must hold every resource of the kept state, same ids.
 * 5. Only then the kept state, its backup and its record are removed.
 *
 * Every step that can stop says what happened, where the state is, and the command that goes on from there;
 * running it again after any failure resumes (the kept state and its record say where).
 *
 * AWS SDK v3 for the questions (account, bucket, object): typed answers (404 vs 403), where Terraform would
 * leave us parsing its messages. Credentials and endpoints come from the standard chain and variables
 * (`AWS_PROFILE`, `AWS_ENDPOINT_URL`…), the same Terraform's provider and s3 backend read.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { GetObjectCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { PlatformConfig } from '../config/types';
import { stateStackNames } from '../naming';
import { synthesizeConfig } from '../stacks';
import { ciAccountIds } from '../stacks/ci-account-stack';
import { webStackName } from '../stacks/web-stack';
import {
  BootstrapError,
  accountRefusal,
  bootstrapTarget,
  decideBootstrap,
  keptStatePaths,
  resourceDifference,
  sameResources,
  stateDirOf,
  type BootstrapArgs,
  type BootstrapTarget,
  type KeptFacts,
  type RemoteFacts,
  type StateResources,
} from './plan';

export interface BootstrapOptions extends BootstrapArgs {
  /** The project root: `--state-dir` and the default state dir are relative to it. */
  readonly root: string;
  /** Where the app is synthesized. @default - `CDKTF_OUTDIR` or `cdktf.out` under root */
  readonly outdir?: string;
  /** Environment of Terraform and the SDK. @default - process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Progress and outcome lines. @default - stderr */
  readonly log?: (line: string) => void;
}

export interface BootstrapResult {
  readonly outcome: 'bootstrapped' | 'done-already';
  readonly bucket: string;
  readonly key: string;
  readonly resources: number;
}

interface KeptRecord {
  readonly stack: string;
  readonly phase: 'deploying' | 'deployed';
  readonly accountId: string;
  readonly region: string;
  readonly bucket: string;
  readonly key: string;
  readonly updated: string;
}

/** Resource address → id of every managed resource instance of a Terraform state (JSON text). */
export function stateResources(text: string, what: string): StateResources {
  let state: {
    resources?: {
      mode?: string;
      module?: string;
      type: string;
      name: string;
      instances?: { index_key?: string | number; attributes?: Record<string, unknown> }[];
    }[];
  };
  try {
    state = JSON.parse(text);
  } catch (error) {
    throw new BootstrapError(
      `${what} is not a Terraform state (${(error as Error).message}); nothing was changed: leave it in place and look at it`,
    );
  }
  const out: Record<string, string> = {};
  for (const r of state.resources ?? []) {
    if (r.mode === 'data') continue;
    for (const instance of r.instances ?? []) {
      const index = instance.index_key === undefined ? '' : `[${JSON.stringify(instance.index_key)}]`;
      const attributes = instance.attributes ?? {};
      out[`${r.module ? `${r.module}.` : ''}${r.type}.${r.name}${index}`] = String(
        attributes.id ?? attributes.arn ?? JSON.stringify(attributes),
      );
    }
  }
  return out;
}

function readStateFile(path: string, shown: string): StateResources | undefined {
  return existsSync(path) ? stateResources(readFileSync(path, 'utf8'), shown) : undefined;
}

const statusOf = (error: unknown) => (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
const explain = (error: unknown) => `${(error as Error).name}: ${(error as Error).message}`;

/** What the bucket holds for `target`. */
async function remoteFacts(s3: S3Client, target: BootstrapTarget): Promise<RemoteFacts> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: target.bucket }));
  } catch (error) {
    if (statusOf(error) === 404) return { kind: 'no-bucket' };
    if (statusOf(error) === 403) return { kind: 'forbidden' };
    throw new BootstrapError(`could not look for the state bucket ${target.bucket} (${explain(error)}); nothing was changed`);
  }
  let text: string;
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: target.bucket, Key: target.key }));
    text = await object.Body!.transformToString();
  } catch (error) {
    if (statusOf(error) === 404) return { kind: 'no-state' };
    throw new BootstrapError(`could not read s3://${target.bucket}/${target.key} (${explain(error)}); nothing was changed`);
  }
  const resources = stateResources(text, `s3://${target.bucket}/${target.key}`);
  return Object.keys(resources).length > 0 ? { kind: 'state', resources } : { kind: 'no-state' };
}

/** The bootstrap, from wherever an earlier run stopped. Throws a `BootstrapError` with what to do when it cannot go on. */
export async function runBootstrap(config: PlatformConfig, options: BootstrapOptions): Promise<BootstrapResult> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => console.error(line));
  const target = bootstrapTarget(config);
  const { stack, bucket, key } = target;
  const root = options.root;
  const shown = (path: string) => (isAbsolute(relative(root, path)) || relative(root, path).startsWith('..') ? path : relative(root, path));
  const outdir = resolve(root, options.outdir ?? env.CDKTF_OUTDIR ?? 'cdktf.out');
  const stackDir = join(outdir, 'stacks', stack);
  const kept = keptStatePaths(stateDirOf(root, options.stateDir), stack);
  const legacyPath = join(stackDir, `terraform.${stack}.tfstate`);
  const rerun = [
    'npm run bootstrap',
    ...(options.stateDir !== undefined || options.autoApprove ? ['--'] : []),
    ...(options.autoApprove ? ['--auto-approve'] : []),
    ...(options.stateDir !== undefined ? ['--state-dir', options.stateDir] : []),
  ].join(' ');
  const terraform = env.TERRAFORM_BIN ?? 'terraform';
  const tfEnv = { ...env, CHECKPOINT_DISABLE: '1' };

  const tf = (args: string[], capture = false) => {
    if (!capture) log(`> terraform ${args.join(' ')}`);
    // Ctrl-C reaches Terraform too, which stops cleanly and writes its state; this process stays to say where it is.
    const stay = () => undefined;
    process.on('SIGINT', stay);
    const result = spawnSync(terraform, args, {
      cwd: stackDir,
      env: tfEnv,
      encoding: 'utf8',
      stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit',
      maxBuffer: 1 << 30,
    });
    process.off('SIGINT', stay);
    if (result.error) {
      throw new BootstrapError(
        `could not run Terraform ("${terraform}": ${result.error.message}); install Terraform >= 1.10 and put it on PATH, or set TERRAFORM_BIN`,
      );
    }
    return result;
  };
  const synth = (backend: 'local' | 's3') => {
    // The validated config with the bootstrap stack's backend swapped: passed on, not validated again.
    synthesizeConfig({ ...config, state: { ...config.state!, backend } }, outdir);
    if (!existsSync(join(stackDir, 'cdk.tf.json')))
      throw new BootstrapError(`the synth did not write ${shown(join(stackDir, 'cdk.tf.json'))}`);
  };
  const writeRecord = (phase: KeptRecord['phase']) => {
    const record: KeptRecord = {
      stack,
      phase,
      accountId: target.accountId,
      region: target.region,
      bucket,
      key,
      updated: new Date().toISOString(),
    };
    writeFileSync(kept.record, `${JSON.stringify(record, null, 2)}\n`);
  };
  /** The stack's directory on the local backend, the state in the kept file (never a move from what was there). */
  const initLocal = () => {
    synth('local');
    const init = tf(['init', '-input=false', '-reconfigure', `-backend-config=path=${kept.state}`]);
    if (init.status !== 0) {
      removeIfEmpty(kept.dir);
      throw new BootstrapError(
        `terraform init (local state in ${shown(kept.state)}) failed (above); nothing was deployed by this run. Fix the cause and run \`${rerun}\` again`,
      );
    }
  };

  // 1. who
  const sts = new STSClient({ region: target.region });
  const s3 = new S3Client({ region: target.region, followRegionRedirects: true });
  try {
    let caller: string | undefined;
    try {
      caller = (await sts.send(new GetCallerIdentityCommand({}))).Account;
    } catch (error) {
      throw new BootstrapError(
        `could not ask AWS whose credentials these are (${explain(error)}); set them up first (docs/deploy.md, step 1). Nothing was changed`,
      );
    }
    const ciAccounts = ciAccountIds(config);
    const wrongAccount = accountRefusal(caller, target, ciAccounts);
    if (wrongAccount) throw new BootstrapError(`${wrongAccount}. Nothing was changed`);
    // Another account's CI identities: the state bucket must be there already; the stack keeps its state in it.
    if (caller !== target.accountId) return await accountBootstrap(caller!);

    // 2. what exists
    const keptResources = readStateFile(kept.state, shown(kept.state));
    const record = readRecord(kept.record);
    const keptFacts: KeptFacts | undefined = keptResources && {
      path: shown(kept.state),
      resources: keptResources,
      deployed: record?.phase === 'deployed',
      target: record,
    };
    const legacyResources = keptFacts ? undefined : readStateFile(legacyPath, shown(legacyPath));
    const found = await remoteFacts(s3, target);
    const decision = decideBootstrap(
      target,
      { remote: found, kept: keptFacts, legacy: legacyResources && { path: shown(legacyPath), resources: legacyResources } },
      rerun,
    );
    log(`bootstrap: ${decision.message}`);
    if (decision.action === 'done-already') {
      return { outcome: 'done-already', bucket, key, resources: found.kind === 'state' ? Object.keys(found.resources).length : 0 };
    }
    if (decision.action === 'remove-copy') return finish(keptResources!, "the copy is the same as the bucket's");

    // 3. deploy
    mkdirSync(kept.dir, { recursive: true });
    let initialized = false;
    if (decision.action === 'deploy') {
      if (decision.adoptLegacy) {
        copyFileSync(legacyPath, kept.state);
        rmSync(legacyPath);
        log(`bootstrap: moved ${shown(legacyPath)} to ${shown(kept.state)}`);
      }
      initLocal();
      initialized = true;
      writeRecord('deploying');
      const apply = tf(['apply', '-input=' + String(!options.autoApprove), ...(options.autoApprove ? ['-auto-approve'] : [])]);
      const now = readStateFile(kept.state, shown(kept.state)) ?? {};
      if (apply.status !== 0) {
        if (Object.keys(now).length === 0 && !decision.adoptLegacy && keptResources === undefined) {
          rmSync(kept.state, { force: true });
          rmSync(kept.backup, { force: true });
          rmSync(kept.record, { force: true });
          removeIfEmpty(kept.dir);
          throw new BootstrapError(
            `terraform apply did not complete (above) and created nothing; nothing is kept. Run \`${rerun}\` again when ready`,
          );
        }
        throw new BootstrapError(
          `terraform apply did not complete (above). ${stack}'s state (${Object.keys(now).length} resources) is kept in ${shown(kept.state)}: do not delete it. ` +
            `Fix the cause and run \`${rerun}\` again: it deploys from that state and then moves it into s3://${bucket}/${key}`,
        );
      }
      writeRecord('deployed');
      log(
        `bootstrap: ${stack} deployed; its state (${Object.keys(now).length} resources) is in ${shown(kept.state)} until it is in the bucket`,
      );
    }

    // 4. move
    const local = readStateFile(kept.state, shown(kept.state)) ?? {};
    if (!initialized) initLocal();
    synth('s3');
    const keep = `${stack} is deployed; its state stays in ${shown(kept.state)}: do not delete it.`;
    const migrate = tf(['init', '-input=false', '-migrate-state', '-force-copy']);
    if (migrate.status !== 0) {
      throw new BootstrapError(
        `moving the state into s3://${bucket}/${key} failed (terraform init -migrate-state, above). ${keep} ` +
          `Fix the cause (credentials, the bucket's policy, the KMS key) and run \`${rerun}\` again: it resumes the move without deploying again`,
      );
    }
    const pulled = tf(['state', 'pull'], true);
    if (pulled.status !== 0) {
      throw new BootstrapError(
        `reading the state back from s3://${bucket}/${key} failed (${pulled.stderr.trim()}). ${keep} Run \`${rerun}\` again`,
      );
    }
    const remote = stateResources(pulled.stdout, `s3://${bucket}/${key}`);
    if (!sameResources(local, remote)) {
      throw new BootstrapError(
        `the state read back from s3://${bucket}/${key} differs from the local one (${[...resourceDifference(local, remote), ...resourceDifference(remote, local)].join(', ')}). ${keep} ` +
          `Run \`${rerun}\` again, or look at both (terraform state pull)`,
      );
    }
    return finish(local, 'read back through the s3 backend: every resource, same ids');
  } finally {
    s3.destroy();
    sts.destroy();
  }

  /** The CI account stack of `accountId`: its state in the bucket from the start, deployed by Terraform. */
  async function accountBootstrap(accountId: string): Promise<BootstrapResult> {
    const accountStack = stateStackNames.ciAccountStack(config.project, accountId);
    const found = await remoteFacts(s3, target);
    if (found.kind === 'no-bucket' || found.kind === 'forbidden') {
      throw new BootstrapError(
        `${accountStack} keeps its state in s3://${bucket}, which ${found.kind === 'no-bucket' ? 'does not exist yet' : 'these credentials may not read'}: run npm run bootstrap with credentials of the state account ${target.accountId} first` +
          (found.kind === 'forbidden' ? `, and name this principal in state.administrators` : '') +
          '. Nothing was changed',
      );
    }
    synthesizeConfig(config, outdir);
    const dir = join(outdir, 'stacks', accountStack);
    const run = (args: string[]) => {
      log(`> terraform ${args.join(' ')}`);
      const result = spawnSync(terraform, args, { cwd: dir, env: tfEnv, stdio: 'inherit' });
      if (result.error)
        throw new BootstrapError(`could not run Terraform ("${terraform}": ${result.error.message}); install Terraform >= 1.10`);
      return result.status ?? 1;
    };
    if (run(['init', '-input=false']) !== 0)
      throw new BootstrapError(`terraform init of ${accountStack} failed (above); nothing was deployed. Run \`${rerun}\` again`);
    if (run(['apply', '-input=' + String(!options.autoApprove), ...(options.autoApprove ? ['-auto-approve'] : [])]) !== 0)
      throw new BootstrapError(
        `terraform apply of ${accountStack} did not complete (above); its state is in the bucket. Fix the cause and run \`${rerun}\` again`,
      );
    log(`bootstrap: done. ${accountStack} (the CI roles of account ${accountId}) is deployed; its state is in s3://${bucket}.`);
    return { outcome: 'bootstrapped', bucket, key: `${config.project}/ci-${accountId}/${accountStack}.tfstate`, resources: 0 };
  }

  /** 5. The state is in the bucket: the local copy goes. */
  function finish(resources: StateResources, checked: string): BootstrapResult {
    for (const file of [kept.state, kept.backup, kept.record]) rmSync(file, { force: true });
    removeIfEmpty(kept.dir);
    const n = Object.keys(resources).length;
    log(
      `bootstrap: done. ${stack}'s state is in s3://${bucket}/${key} (${n} resources; ${checked}); the local copy ${shown(kept.state)} is removed.`,
    );
    const others = ciAccountIds(config);
    if (others.length > 0)
      log(`bootstrap: next, the CI roles of the other accounts: npm run bootstrap with credentials of ${others.join(', then of ')}`);
    const first = config.environments[0];
    if (first)
      log(
        `bootstrap: next, the environments: npm run diff -- ${webStackName(config.project, first.name)}, then npm run deploy -- ${webStackName(config.project, first.name)}`,
      );
    return { outcome: 'bootstrapped', bucket, key, resources: n };
  }
}

/** What an earlier run recorded; an unreadable record counts as none (the deploy runs again, which is safe). */
function readRecord(path: string): KeptRecord | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as KeptRecord;
  } catch {
    return undefined;
  }
}

function removeIfEmpty(dir: string): void {
  if (existsSync(dir) && readdirSync(dir).length === 0) rmdirSync(dir);
}
