/**
 * `npm run deploy | diff | destroy -- <stack…> | --all [cdktf flags]`: validates the config, decides what
 * to run (commands/stack-command.ts: stack names, order, the refusal to destroy stacks that hold data),
 * then runs cdktf from node_modules/.bin once per step with CHECKPOINT_DISABLE=1, stopping at the first
 * failure. After a successful deploy, it releases every environment it applied (release/index.ts: the
 * instance refresh that rolls the new launch template version out, or "nothing to release"), unless
 * `--no-release`; the exit code is then the first failing release's (commands/release.ts, RELEASE_EXIT).
 * Run through scripts/app.mjs, e.g. `node scripts/app.mjs scripts/stack-command.ts diff web-dev`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { keptStatePaths, stateDirOf, stateStackRefusal } from '../bootstrap/plan';
import { ConfigFileError, loadPlatformConfig } from '../config/load';
import type { PlatformConfig } from '../config/types';
import { ConfigError, validateConfig } from '../config/validate';
import { stateStackName } from '../stacks/state-stack';
import {
  NO_RELEASE_FLAG,
  STACK_COMMANDS,
  StackCommandError,
  cdktfEnvironment,
  planReleases,
  planStackCommand,
  type CdktfArgs,
  type StackCommand,
} from '../commands/stack-command';
import { RELEASE_EXIT, ReleaseError } from '../commands/release';
import { releaseEnvironment } from '../release';

/** The bundle runs from <root>/.build/scripts/. */
const root = resolve(__dirname, '..', '..');

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...args] = argv;
  if (!STACK_COMMANDS.includes(command as StackCommand)) {
    console.error(`usage: stack-command.ts ${STACK_COMMANDS.join('|')} <stack…>|--all [flags]; got ${JSON.stringify(command)}`);
    return 2;
  }
  let steps;
  let releases: string[];
  let config: PlatformConfig;
  try {
    config = validateConfig(loadPlatformConfig());
    steps = planStackCommand(command as StackCommand, args, config);
    releases = planReleases(command as StackCommand, args, config);
    const refusal = stateStackCheck(command, steps, config);
    if (refusal) throw new StackCommandError(refusal);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof ConfigFileError || error instanceof StackCommandError) {
      console.error(`${command}: ${error.message}`);
      return 1;
    }
    throw error;
  }
  const cdktf = join(root, 'node_modules', '.bin', 'cdktf');
  if (!existsSync(cdktf)) {
    console.error(`${command}: ${cdktf} not found; run npm ci first`);
    return 1;
  }
  for (const step of steps) {
    console.error(`> cdktf ${step.join(' ')}`);
    const run = spawnSync(cdktf, step, { cwd: root, stdio: 'inherit', env: cdktfEnvironment(process.env) });
    if (run.error) throw run.error;
    if (run.status !== 0) return run.status ?? 1;
  }
  // Terraform made the new launch template version; the groups still run the previous one until released.
  for (const env of releases) {
    console.error(`> npm run release -- ${env}   (${NO_RELEASE_FLAG} skips this step)`);
    try {
      const outcome = await releaseEnvironment(config, env, process.env.CDKTF_OUTDIR ?? join(root, 'cdktf.out'), (line) =>
        console.log(`release ${env}: ${line}`),
      );
      (outcome.code === RELEASE_EXIT.released ? console.log : console.error)(`release ${env}: ${outcome.message}`);
      if (outcome.code !== RELEASE_EXIT.released) return outcome.code;
    } catch (error) {
      if (!(error instanceof ReleaseError)) throw error;
      console.error(`release ${env}: ${error.message}`);
      return RELEASE_EXIT.refused;
    }
  }
  return 0;
}

/**
 * The state stack runs in a step of its own (`[command, <state stack>, …flags]`). When it is selected: not while
 * `npm run bootstrap` has its state in bootstrap-state/, and no deploy from an empty local state.
 */
function stateStackCheck(command: string, steps: readonly CdktfArgs[], config: PlatformConfig): string | undefined {
  if (!config.state) return undefined;
  const stack = stateStackName(config.project);
  if (!steps.some((step) => step[1] === stack)) return undefined;
  const kept = keptStatePaths(stateDirOf(root, undefined), stack).state;
  const local = join(resolve(root, process.env.CDKTF_OUTDIR ?? 'cdktf.out'), 'stacks', stack, `terraform.${stack}.tfstate`);
  return stateStackRefusal(command, config, {
    keptStatePath: existsSync(kept) ? relative(root, kept) : undefined,
    localStatePath: relative(root, local) || local,
    localStateExists: existsSync(local),
  });
}

void main(process.argv.slice(3)).then((code) => (process.exitCode = code));
