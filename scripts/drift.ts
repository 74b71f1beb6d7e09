/**
 * `npm run drift -- <stack>`: the scheduled drift check of one environment stack, with Terraform's
 * `-detailed-exitcode` meaning: after `npm run synth`, `terraform init` against the stack's real backend and
 * `terraform plan -detailed-exitcode -lock=false` (a read-only plan: it takes no lock, so it never holds up a
 * deploy). Exit 0: the deployed infrastructure matches the code; 2: it drifted, and the report names every
 * resource the plan would change (also appended to `$GITHUB_STEP_SUMMARY` when set); 1: an error.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigFileError, loadPlatformConfig } from '../config/load';
import { ConfigError, validateConfig } from '../config/validate';
import { webStackName } from '../naming';
import { driftReport, type DriftPlan } from '../commands/ci';
import { terraformBinary } from '../harness/terraform';

/** The bundle runs from <root>/.build/scripts/. */
const root = resolve(__dirname, '..', '..');
const PLAN_FILE = 'drift.tfplan';

function main(args: readonly string[]): number {
  const stacks = args.filter((a) => !a.endsWith('.ts'));
  let known: string[];
  try {
    const config = validateConfig(loadPlatformConfig());
    known = config.environments.map((e) => webStackName(config.project, e.name));
  } catch (error) {
    if (!(error instanceof ConfigError || error instanceof ConfigFileError)) throw error;
    console.error(`drift: ${error.message}`);
    return 1;
  }
  if (stacks.length !== 1 || !known.includes(stacks[0])) {
    console.error(
      `drift: name one environment stack (${known.join(', ')}); got ${JSON.stringify(stacks)}; usage: npm run drift -- <stack>`,
    );
    return 2;
  }
  const stack = stacks[0];
  const dir = join(process.env.CDKTF_OUTDIR ?? join(root, 'cdktf.out'), 'stacks', stack);
  if (!existsSync(join(dir, 'cdk.tf.json'))) {
    console.error(`drift: ${dir} has no synthesized stack: run npm run synth first`);
    return 1;
  }
  const bin = terraformBinary();
  const env = { ...process.env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' };
  const terraform = (argv: string[], capture = false) => {
    const run = spawnSync(bin, argv, {
      cwd: dir,
      env,
      encoding: 'utf8',
      stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit',
      maxBuffer: 512 * 1024 * 1024,
    });
    if (run.error) throw run.error;
    return run;
  };
  if (terraform(['init', '-input=false']).status !== 0) return 1;
  const plan = terraform(['plan', '-input=false', '-lock=false', '-detailed-exitcode', `-out=${PLAN_FILE}`]);
  if (plan.status !== 0 && plan.status !== 2) return 1;
  let planJson: DriftPlan = {};
  if (plan.status === 2) {
    const show = terraform(['show', '-json', PLAN_FILE], true);
    if (show.status !== 0) return 1;
    planJson = JSON.parse(show.stdout) as DriftPlan;
  }
  const { markdown, exitCode } = driftReport(stack, planJson);
  console.log(markdown);
  if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, `${markdown}\n`);
  return exitCode;
}

process.exitCode = main(process.argv.slice(2));
