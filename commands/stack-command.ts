/**
 * What `npm run deploy | diff | destroy` will run, decided from the validated config before any Terraform
 * runs: which stacks, in which order, and whether a destroy is refused because the stack holds data.
 * Pure (no process, no file system), so the refusal is unit-tested without cdktf.
 */
import { parseArgs } from 'node:util';
import type { BackendKind, PlatformConfig } from '../config/types';
import { stateStackNames } from '../naming';
import { ciAccountIds } from '../stacks/ci-account-stack';
import { stateStackName } from '../stacks/state-stack';
import { webStackName } from '../stacks/web-stack';

export const STACK_COMMANDS = ['deploy', 'diff', 'destroy'] as const;
export type StackCommand = (typeof STACK_COMMANDS)[number];

/** Selects every stack of the config. */
export const ALL_FLAG = '--all';
/** Lets `destroy` go ahead on stacks that hold data. */
export const ALLOW_PROTECTED_FLAG = '--allow-destroy-protected-data';
/** Stops `deploy` after the apply: no release of the new launch template version (run `npm run release` later). */
export const NO_RELEASE_FLAG = '--no-release';

/** The command cannot run as asked; the message says why and what to type instead. */
export class StackCommandError extends Error {
  override readonly name = 'StackCommandError';
}

/** One stack as the workflow sees it. */
export interface StackInfo {
  readonly name: string;
  /** Why destroying it loses data, or undefined when it does not. */
  readonly protectedBecause?: string;
  /** The bootstrap stack: deployed before, destroyed after, the others. */
  readonly bootstrap: boolean;
  /** Where its state lives. */
  readonly backend: BackendKind;
}

/** Every stack of the config, the bootstrap family first (the state stack, then the CI stacks of other accounts), as `buildStacks` makes them. */
export function stacksOf(config: PlatformConfig): StackInfo[] {
  const stacks: StackInfo[] = [];
  if (config.state) {
    stacks.push({
      name: stateStackName(config.project),
      protectedBecause: 'it holds the Terraform state of every stack',
      bootstrap: true,
      backend: config.state.backend,
    });
  }
  for (const accountId of ciAccountIds(config)) {
    // The CI identities of another account: of the bootstrap family, holding no data.
    stacks.push({ name: stateStackNames.ciAccountStack(config.project, accountId), bootstrap: true, backend: config.state!.backend });
  }
  for (const env of config.environments) {
    stacks.push({
      name: webStackName(config.project, env.name),
      protectedBecause: env.deletionProtection ? `environment "${env.name}" has deletionProtection: true` : undefined,
      bootstrap: false,
      backend: env.backend.kind,
    });
  }
  return stacks;
}

/** A cdktf invocation: `cdktf <args>`. */
export type CdktfArgs = readonly string[];

/** What the user typed, parsed: the stacks, our options, and the cdktf options to pass on. */
export interface StackCommandArgs {
  readonly stacks: readonly string[];
  readonly all: boolean;
  readonly allowProtected: boolean;
  /** `deploy` releases each environment it applied (`--no-release`: it does not). */
  readonly release: boolean;
  /** Options of cdktf that we know and pass on (`--auto-approve`, `--parallelism=N`), then everything after `--`. */
  readonly passThrough: readonly string[];
}

/**
 * Parses `args` with Node's own parser (`node:util` parseArgs): stack names, `--all`,
 * `--allow-destroy-protected-data`, and the two cdktf options we handle ourselves, `--auto-approve` and
 * `--parallelism N` (or `=N`). Anything after a `--` goes to cdktf as it is (`--var-file foo.tfvars`); any other
 * option before it is refused with that hint.
 */
export function parseStackCommandArgs(command: StackCommand, args: readonly string[]): StackCommandArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: {
        all: { type: 'boolean' },
        'allow-destroy-protected-data': { type: 'boolean' },
        'no-release': { type: 'boolean' },
        'auto-approve': { type: 'boolean' },
        parallelism: { type: 'string' },
      },
      allowPositionals: true,
      strict: true,
      tokens: true,
    });
  } catch (error) {
    throw new StackCommandError(
      `${(error as Error).message.replace(/\. To specify a positional argument.*$/s, '')}; cdktf's own options go after --, e.g. npm run ${command} -- web-dev -- --var-file dev.tfvars`,
    );
  }
  const terminator = parsed.tokens.find((t) => t.kind === 'option-terminator')?.index ?? Infinity;
  const positionals = parsed.tokens.filter((t): t is Extract<typeof t, { kind: 'positional' }> => t.kind === 'positional');
  const parallelism = parsed.values.parallelism;
  if (parallelism !== undefined && !/^[1-9]\d{0,3}$/.test(parallelism))
    throw new StackCommandError(`--parallelism needs a whole number of at least 1, got ${JSON.stringify(parallelism)}`);
  return {
    stacks: positionals.filter((t) => t.index < terminator).map((t) => t.value),
    all: parsed.values.all === true,
    allowProtected: parsed.values['allow-destroy-protected-data'] === true,
    release: parsed.values['no-release'] !== true,
    passThrough: [
      ...(parsed.values['auto-approve'] ? ['--auto-approve'] : []),
      ...(parallelism !== undefined ? [`--parallelism=${parallelism}`] : []),
      ...positionals.filter((t) => t.index > terminator).map((t) => t.value),
    ],
  };
}

/**
 * The cdktf invocations for `command` with the user's `args` (parsed by `parseStackCommandArgs`). Throws a
 * `StackCommandError` when the selection is empty or unknown, or when `destroy` would remove a stack that
 * protects data and `--allow-destroy-protected-data` is absent. Every command a message suggests is spelled as
 * it must be typed through npm.
 *
 * The bootstrap stack runs on its own: first on deploy/diff (the other stacks' s3 backends need its
 * bucket), last on destroy. Stacks that keep their state in PostgreSQL run one at a time
 * (`--parallelism=1`): while it creates a stack's first state, the pg backend holds advisory lock -1, which
 * every schema of the database shares, so two first deploys at once fail with "Already locked for
 * workspace creation" (shown by __tests__/remote-state-pg.tf.test.ts).
 */
export function planStackCommand(command: StackCommand, args: readonly string[], config: PlatformConfig): CdktfArgs[] {
  const known = stacksOf(config);
  const { stacks: names, all, allowProtected, release, passThrough } = parseStackCommandArgs(command, args);
  const list = known.map((s) => s.name).join(', ');

  if (allowProtected && command !== 'destroy') {
    throw new StackCommandError(`${ALLOW_PROTECTED_FLAG} applies to destroy only, not to ${command}`);
  }
  if (!release && command !== 'deploy') throw new StackCommandError(`${NO_RELEASE_FLAG} applies to deploy only, not to ${command}`);
  if (all && names.length > 0) throw new StackCommandError(`give stack names or ${ALL_FLAG}, not both`);
  if (!all && names.length === 0) {
    throw new StackCommandError(
      `name the stacks to ${command} (${list}) or give ${ALL_FLAG}, e.g. npm run ${command} -- ${known[known.length - 1]?.name ?? ''}`,
    );
  }
  const unknown = names.filter((n) => !known.some((s) => s.name === n));
  if (unknown.length > 0) {
    throw new StackCommandError(
      `unknown stack${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')}; the stacks are: ${list}`,
    );
  }
  const selected = known.filter((s) => all || names.includes(s.name));

  if (command === 'destroy' && !allowProtected) {
    const refused = selected.filter((s) => s.protectedBecause !== undefined);
    if (refused.length > 0) {
      const again = ['npm run destroy --', ...(all ? [ALL_FLAG] : names), ALLOW_PROTECTED_FLAG, ...passThrough].join(' ');
      throw new StackCommandError(
        `refusing to destroy ${refused.map((s) => `${s.name} (${s.protectedBecause})`).join(', ')}. ` +
          `Destroying it deletes data. If that is really what you want, run \`${again}\`; ` +
          'prevent_destroy on the data resources still stops Terraform until deletionProtection is false and deployed.',
      );
    }
  }

  const bootstrap = selected.filter((s) => s.bootstrap);
  const others = selected.filter((s) => !s.bootstrap);
  const groups = command === 'destroy' ? [others, bootstrap] : [bootstrap, others];
  return groups
    .filter((group) => group.length > 0)
    .map((group) => {
      const serial = group.filter((s) => s.backend === 'pg').length > 1 && !passThrough.some((f) => f.startsWith('--parallelism'));
      return [command, ...group.map((s) => s.name), ...passThrough, ...(serial ? ['--parallelism=1'] : [])];
    });
}

/**
 * The environments whose release `deploy` runs once every cdktf step has succeeded, in the config's order:
 * each environment stack the deploy applied, unless `--no-release`. Terraform makes the new launch template
 * version but leaves the group on the previous one (modules/app-servers.ts); the release rolls it out
 * (commands/release.ts), and finds nothing to do when the version did not change. Call after
 * `planStackCommand`, which refuses what these arguments cannot mean.
 */
export function planReleases(command: StackCommand, args: readonly string[], config: PlatformConfig): string[] {
  if (command !== 'deploy') return [];
  const { stacks: names, all, release } = parseStackCommandArgs(command, args);
  if (!release) return [];
  return config.environments.filter((env) => all || names.includes(webStackName(config.project, env.name))).map((env) => env.name);
}

/** The environment cdktf runs with: the caller's, with HashiCorp's version and telemetry checks off. */
export function cdktfEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, CHECKPOINT_DISABLE: '1' };
}

/** What `npm run unlock` does: force-unlock `lockId` in the state of `stack`, with Terraform's own flags. */
export interface UnlockPlan {
  readonly stack: string;
  readonly lockId: string;
  /** Passed to `terraform force-unlock` (e.g. `-force`, which skips its confirmation). */
  readonly flags: readonly string[];
}

/**
 * Reads `npm run unlock -- <stack> <lock id> [flags]`. Throws a `StackCommandError` when the stack or the
 * lock id is missing or unknown, or when the stack's backend has no lock that can outlive its holder (a
 * local state's lock ends with the process, a pg advisory lock with its database session).
 */
export function planUnlock(args: readonly string[], config: PlatformConfig): UnlockPlan {
  const known = stacksOf(config);
  const names = args.filter((a) => !a.startsWith('-'));
  const flags = args.filter((a) => a.startsWith('-'));
  const usage = `usage: npm run unlock -- <stack> <lock id> [-force]; the stacks are: ${known.map((s) => s.name).join(', ')}; the lock id is the "ID" Terraform printed with "Error acquiring the state lock"`;
  if (names.length !== 2)
    throw new StackCommandError(`give the stack and the lock id (got ${names.length} argument${names.length === 1 ? '' : 's'}). ${usage}`);
  const [stack, lockId] = names;
  const info = known.find((s) => s.name === stack);
  if (!info) throw new StackCommandError(`unknown stack "${stack}". ${usage}`);
  if (info.backend === 'local' || info.backend === 'pg') {
    throw new StackCommandError(
      `${stack} keeps its state in ${info.backend === 'local' ? 'a local file, whose lock ends with the process that held it' : 'PostgreSQL, whose advisory lock ends with the database session that held it'}: there is no lock left to remove`,
    );
  }
  return { stack, lockId, flags };
}
