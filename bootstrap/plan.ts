/**
 * What `npm run bootstrap` will do, decided before Terraform runs: the arguments, the stack and where its state
 * goes, and — from what is found locally and in the bucket — whether to deploy, resume a move that did not
 * finish, say it is done already, or refuse. Pure (no process, no file system, no AWS), so every message is
 * unit-tested; bootstrap/run.ts gathers the facts and carries the decision out.
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { PlatformConfig } from '../config/types';
import { STATE_STACK_SUFFIX, stateStackName } from '../naming';
import { s3BackendSettings } from '../stacks/backend';

/** The command cannot go on as asked; the message says why and what to type. */
export class BootstrapError extends Error {
  override readonly name = 'BootstrapError';
}

/** Where the state stack's local state is kept until it is in the bucket (under the project, outside cdktf.out). */
export const DEFAULT_STATE_DIR = 'bootstrap-state';

/** Where a run keeps the local state, and its record of how far it got. */
export function keptStatePaths(stateDir: string, stack: string): { dir: string; state: string; backup: string; record: string } {
  const state = join(stateDir, `${stack}.tfstate`);
  return { dir: stateDir, state, backup: `${state}.backup`, record: join(stateDir, `${stack}.bootstrap.json`) };
}

/** The state dir a command line names (relative to the project), or the default one. */
export function stateDirOf(root: string, stateDir: string | undefined): string {
  return resolve(root, stateDir ?? DEFAULT_STATE_DIR);
}

export const BOOTSTRAP_USAGE = 'usage: npm run bootstrap [-- --auto-approve] [--state-dir <dir>]';

export interface BootstrapArgs {
  /** Apply without asking (Terraform's `-auto-approve`). */
  readonly autoApprove: boolean;
  /** Where the local state is kept while the command runs. @default - DEFAULT_STATE_DIR under the project */
  readonly stateDir?: string;
}

/**
 * Parses `npm run bootstrap -- [--auto-approve] [--state-dir <dir>]` with Node's parser. `interactive`: whether
 * stdin is a terminal, where Terraform asks to approve its plan; without one, `--auto-approve` is required.
 */
export function parseBootstrapArgs(args: readonly string[], interactive: boolean): BootstrapArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: { 'auto-approve': { type: 'boolean' }, 'state-dir': { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new BootstrapError(`${(error as Error).message.replace(/\. To specify a positional argument.*$/s, '')}; ${BOOTSTRAP_USAGE}`);
  }
  if (parsed.positionals.length > 0) {
    throw new BootstrapError(
      `bootstrap takes no stack names (it deploys the config's state stack), got ${parsed.positionals.map((p) => JSON.stringify(p)).join(', ')}; ${BOOTSTRAP_USAGE}`,
    );
  }
  const stateDir = parsed.values['state-dir'];
  if (stateDir !== undefined && stateDir.trim() === '')
    throw new BootstrapError(`--state-dir needs a directory, got ""; ${BOOTSTRAP_USAGE}`);
  const autoApprove = parsed.values['auto-approve'] === true;
  if (!autoApprove && !interactive) {
    throw new BootstrapError(
      'stdin is not a terminal, so nobody can approve the plan Terraform shows: run `npm run bootstrap -- --auto-approve` (e.g. in CI)',
    );
  }
  return { autoApprove, stateDir };
}

/** The state stack and where its state goes. */
export interface BootstrapTarget {
  readonly stack: string;
  readonly accountId: string;
  readonly region: string;
  readonly bucket: string;
  /** The state object's key: `<project>/state/<project>-state.tfstate`. */
  readonly key: string;
}

/** The state stack of `config`; refuses a config without a state section or whose state stack keeps its state local. */
export function bootstrapTarget(config: PlatformConfig): BootstrapTarget {
  const { state, project } = config;
  if (!state) {
    throw new BootstrapError(
      'state: absent, so there is no state stack to bootstrap; add a state section (accountId, region, bucket) to the config (config/environments.ts, docs/deploy.md)',
    );
  }
  const stack = stateStackName(project);
  if (state.backend !== 's3') {
    throw new BootstrapError(
      `state.backend: got "${state.backend}"; npm run bootstrap moves ${stack}'s state into its bucket, where every later npm run deploy -- ${stack} must find it: ` +
        "set state.backend: 's3' in the config (config/environments.ts) and run it again",
    );
  }
  const s3 = s3BackendSettings({
    project,
    stackName: stack,
    keyScope: STATE_STACK_SUFFIX,
    region: state.region,
    backend: { kind: 's3' },
    state,
  });
  return { stack, accountId: state.accountId, region: s3.region, bucket: s3.bucket, key: s3.key };
}

/**
 * Refusal when the credentials belong to none of the accounts the bootstrap family deploys to: the state
 * account, or an account whose CI identities live in a stack of their own (`ciAccounts`).
 */
export function accountRefusal(
  callerAccount: string | undefined,
  target: BootstrapTarget,
  ciAccounts: readonly string[] = [],
): string | undefined {
  if (callerAccount === target.accountId || (callerAccount !== undefined && ciAccounts.includes(callerAccount))) return undefined;
  const others = ciAccounts.length === 0 ? '' : ` (or, for the CI roles of the environments there, of ${ciAccounts.join(', ')})`;
  return `the credentials are for account ${callerAccount ?? '(unknown)'}, state.accountId is ${target.accountId}: use credentials of that account${others} (aws sts get-caller-identity shows whose they are)`;
}

/** The CI stack of another account, which `npm run bootstrap` deploys with that account's credentials. */
export interface AccountTarget {
  readonly stack: string;
  readonly accountId: string;
}

/** A Terraform state as far as the bootstrap compares them: resource address → id. */
export type StateResources = Readonly<Record<string, string>>;

/** The local state an earlier run kept, and what that run recorded about it. */
export interface KeptFacts {
  /** Where it is, as the messages name it. */
  readonly path: string;
  readonly resources: StateResources;
  /** The earlier run's apply completed. */
  readonly deployed: boolean;
  /** The bucket, key and account the earlier run was moving it to. @default - not recorded */
  readonly target?: Pick<BootstrapTarget, 'accountId' | 'region' | 'bucket' | 'key'>;
}

/** What the bucket holds. */
export type RemoteFacts =
  | { readonly kind: 'no-bucket' }
  /** HeadBucket answered 403: another account's bucket, or credentials that may not read ours. */
  | { readonly kind: 'forbidden' }
  /** The bucket, and no state object (or one without resources). */
  | { readonly kind: 'no-state' }
  | { readonly kind: 'state'; readonly resources: StateResources };

export interface BootstrapFacts {
  readonly remote: RemoteFacts;
  readonly kept?: KeptFacts;
  /** A local state in the stack's synthesized directory, where `state.backend: 'local'` kept it (the manual way). */
  readonly legacy?: { readonly path: string; readonly resources: StateResources };
}

export type BootstrapDecision =
  /** Nothing to do: the state is in the bucket. */
  | { readonly action: 'done-already'; readonly message: string }
  /** An earlier run moved the state but did not remove its local copy, which is the same: remove it. */
  | { readonly action: 'remove-copy'; readonly message: string }
  /** Apply with the kept local state (new, or continued), then move it. */
  | { readonly action: 'deploy'; readonly message: string; readonly adoptLegacy: boolean }
  /** The apply is done: move the kept state into the bucket. */
  | { readonly action: 'move'; readonly message: string };

const count = (resources: StateResources) => {
  const n = Object.keys(resources).length;
  return `${n} resource${n === 1 ? '' : 's'}`;
};

/** Whether two states hold the same resources with the same ids. */
export function sameResources(a: StateResources, b: StateResources): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => b[k] === a[k]);
}

/** The resources of `a` missing from `b` or with another id there, for messages. */
export function resourceDifference(a: StateResources, b: StateResources): string[] {
  return Object.keys(a)
    .filter((k) => b[k] !== a[k])
    .sort();
}

/**
 * What to do, given what was found. Throws a `BootstrapError` when going on could lose or fork the state: a
 * bucket that exists without any record of its stack, a bucket name another account holds, a kept state meant
 * for another bucket, or a kept state that differs from the bucket's.
 */
export function decideBootstrap(target: BootstrapTarget, facts: BootstrapFacts, rerun: string): BootstrapDecision {
  const { stack, bucket, key } = target;
  const where = `s3://${bucket}/${key}`;
  const { remote, kept, legacy } = facts;
  if (
    kept?.target &&
    (kept.target.bucket !== bucket ||
      kept.target.key !== key ||
      kept.target.accountId !== target.accountId ||
      kept.target.region !== target.region)
  ) {
    const was = kept.target;
    throw new BootstrapError(
      `${kept.path} holds ${stack}'s state on its way to s3://${was.bucket}/${was.key} (account ${was.accountId}, ${was.region}), but the config now names ${where} ` +
        `(account ${target.accountId}, ${target.region}): put the state section back as it was and run \`${rerun}\` again to finish that move`,
    );
  }

  if (remote.kind === 'state') {
    if (!kept) {
      const old = legacy
        ? ` ${legacy.path} is an older local copy from before the move; the bucket's is the one in use (delete the local one once you have checked).`
        : '';
      return {
        action: 'done-already',
        message: `${stack} is bootstrapped already: its state is in ${where} (${count(remote.resources)}); nothing to do.${old}`,
      };
    }
    if (sameResources(kept.resources, remote.resources)) {
      return {
        action: 'remove-copy',
        message: `${stack}'s state is in ${where} already (an earlier run moved it and stopped before removing its local copy); removing ${kept.path}`,
      };
    }
    const differ = [
      ...new Set([...resourceDifference(kept.resources, remote.resources), ...resourceDifference(remote.resources, kept.resources)]),
    ];
    throw new BootstrapError(
      `both ${kept.path} (${count(kept.resources)}) and ${where} (${count(remote.resources)}) hold a state of ${stack}, and they differ (${differ.join(', ')}). ` +
        "Nothing was changed. Keep the one that matches what is in AWS (terraform plan in each shows which): to keep the bucket's, delete the local file; " +
        `to keep the local one, delete the bucket's object (its versions keep the old one), then run \`${rerun}\` again`,
    );
  }

  if (remote.kind === 'forbidden') {
    throw new BootstrapError(
      `the state bucket ${bucket} exists but these credentials may not read it (403): another account owns that name (bucket names are global: choose another state.bucket) ` +
        `or the credentials lack s3:ListBucket on it`,
    );
  }

  if (kept) {
    if (kept.deployed && remote.kind === 'no-state') {
      return {
        action: 'move',
        message: `resuming: an earlier run deployed ${stack} (its state, ${count(kept.resources)}, kept in ${kept.path}) and did not finish moving it; moving it into ${where}`,
      };
    }
    return {
      action: 'deploy',
      message: kept.deployed
        ? `an earlier run deployed ${stack} (state kept in ${kept.path}), but its bucket ${bucket} is gone; deploying again from the kept state`
        : `resuming: an earlier run's deploy of ${stack} did not finish (its state, ${count(kept.resources)}, kept in ${kept.path}); deploying again from it, Terraform creates what is missing`,
      adoptLegacy: false,
    };
  }

  if (legacy && Object.keys(legacy.resources).length > 0) {
    return {
      action: 'deploy',
      message: `found ${stack}'s local state from the manual first step in ${legacy.path} (${count(legacy.resources)}); moving it out of the build folder, deploying from it, then moving it into ${where}`,
      adoptLegacy: true,
    };
  }

  if (remote.kind === 'no-state') {
    throw new BootstrapError(
      `the state bucket ${bucket} exists, but no state of ${stack} was found (not in ${where}, no local state kept): its record was lost, and deploying again would fail on what exists. ` +
        'Nothing was changed. Import the existing resources into a state (docs/deploy.md, "A bootstrap whose state was lost"), or choose another state.bucket for a new one',
    );
  }
  return {
    action: 'deploy',
    message: `deploying ${stack} (state bucket ${bucket} in account ${target.accountId}, ${target.region}) with its state kept locally until it is in ${where}`,
    adoptLegacy: false,
  };
}

/**
 * What `npm run deploy | diff | destroy` must not do to the state stack: run while a bootstrap has not finished
 * moving its state (`keptStatePath`: the kept file, when there is one), or deploy it from an empty local state
 * (`state.backend: 'local'` and no `localStatePath`), which would try to create the state bucket again.
 */
export function stateStackRefusal(
  command: string,
  config: PlatformConfig,
  facts: { readonly keptStatePath?: string; readonly localStatePath: string; readonly localStateExists: boolean },
): string | undefined {
  if (!config.state) return undefined;
  const stack = stateStackName(config.project);
  if (facts.keptStatePath !== undefined) {
    return `${stack} is being bootstrapped: its state is in ${facts.keptStatePath}, not yet in its bucket. Run \`npm run bootstrap\` to finish moving it, then \`npm run ${command} -- ${stack}\``;
  }
  if (command === 'deploy' && config.state.backend === 'local' && !facts.localStateExists) {
    return (
      `${stack} keeps its state in a local file (state.backend: 'local') and there is none at ${facts.localStatePath}: this deploy would start from an empty state and try to create the state bucket again. ` +
      `If ${stack} was never deployed, set state.backend: 's3' and run \`npm run bootstrap\`; if its state is in the bucket already, set state.backend: 's3'`
    );
  }
  return undefined;
}
