/**
 * `npm run unlock -- <stack> <lock id> [-force]`: removes the state lock a deploy left behind when it was
 * interrupted (killed, lost its network, the machine went down) before it could release it — the next
 * deploy of that stack then fails with "Error acquiring the state lock" and prints the lock's ID.
 *
 * Validates the config and the arguments (commands/stack-command.ts), synthesizes, runs
 * `terraform init` in the stack's synthesized directory and then `terraform force-unlock <lock id>`
 * there, which asks for confirmation unless `-force` is given. Only unlock a lock whose holder you know
 * has stopped: two runs writing one state at once corrupt it.
 * Run through scripts/app.mjs, e.g. `node scripts/app.mjs scripts/unlock.ts web-dev 5f7c…`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigFileError, loadPlatformConfig } from '../config/load';
import { ConfigError, validateConfig } from '../config/validate';
import { StackCommandError, planUnlock } from '../commands/stack-command';

/** The bundle runs from <root>/.build/scripts/. */
const root = resolve(__dirname, '..', '..');

function run(command: string, args: readonly string[], cwd: string): number {
  console.error(`> ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd, stdio: 'inherit', env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function main(args: readonly string[]): number {
  let plan;
  try {
    // The validated config (with its defaults), not the input it was checked from.
    plan = planUnlock(args, validateConfig(loadPlatformConfig()));
  } catch (error) {
    if (error instanceof ConfigError || error instanceof ConfigFileError || error instanceof StackCommandError) {
      console.error(`unlock: ${error.message}`);
      return 1;
    }
    throw error;
  }
  // The same synth as `npm run synth`, then Terraform in the stack's directory, as cdktf runs it.
  const synthStatus = run('sh', [join(root, 'scripts', 'synth')], root);
  if (synthStatus !== 0) return synthStatus;
  const stackDir = join(resolve(root, process.env.CDKTF_OUTDIR ?? 'cdktf.out'), 'stacks', plan.stack);
  if (!existsSync(join(stackDir, 'cdk.tf.json'))) {
    console.error(`unlock: ${stackDir}/cdk.tf.json was not written by the synth`);
    return 1;
  }
  const terraform = process.env.TERRAFORM_BIN ?? 'terraform';
  const initStatus = run(terraform, ['init', '-input=false'], stackDir);
  if (initStatus !== 0) return initStatus;
  return run(terraform, ['force-unlock', ...plan.flags, plan.lockId], stackDir);
}

process.exitCode = main(process.argv.slice(3));
