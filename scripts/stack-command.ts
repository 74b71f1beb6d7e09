/**
 * `npm run deploy | diff | destroy -- <stack…> | --all [cdktf flags]`: validates the config, decides what
 * to run (commands/stack-command.ts: stack names, order, the refusal to destroy stacks that hold data),
 * then runs cdktf from node_modules/.bin once per step with CHECKPOINT_DISABLE=1, stopping at the first
 * failure. Run through scripts/app.mjs, e.g. `node scripts/app.mjs scripts/stack-command.ts diff web-dev`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigFileError, loadPlatformConfig } from '../config/load';
import { ConfigError, validateConfig } from '../config/validate';
import { STACK_COMMANDS, StackCommandError, cdktfEnvironment, planStackCommand, type StackCommand } from '../commands/stack-command';

/** The bundle runs from <root>/.build/scripts/. */
const root = resolve(__dirname, '..', '..');

function main(argv: readonly string[]): number {
  const [command, ...args] = argv;
  if (!STACK_COMMANDS.includes(command as StackCommand)) {
    console.error(`usage: stack-command.ts ${STACK_COMMANDS.join('|')} <stack…>|--all [flags]; got ${JSON.stringify(command)}`);
    return 2;
  }
  let steps;
  try {
    const config = validateConfig(loadPlatformConfig());
    steps = planStackCommand(command as StackCommand, args, config);
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
  return 0;
}

process.exitCode = main(process.argv.slice(3));
