/**
 * `npm run drift` end to end with real Terraform: a stack directory whose state was applied, then planned as
 * the drift check plans it (init against its backend, plan -detailed-exitcode -lock=false). No change:
 * exit 0. The code and the deployed state apart: exit 2, the report (stdout and the job summary file) names
 * the resource. The stack is `terraform_data` with a local backend, so it runs offline in seconds.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webStackName } from '../naming';
import { terraformBinary } from '../harness/terraform';
import { shipped } from './support/stacks';

const root = join(__dirname, '..');
const stack = webStackName(shipped.project, shipped.environments[0].name);

describe('npm run drift', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'drift-'));
  const dir = join(outdir, 'stacks', stack);
  const summary = join(outdir, 'summary.md');
  const write = (input: string) =>
    writeFileSync(
      join(dir, 'cdk.tf.json'),
      JSON.stringify({
        terraform: { backend: { local: { path: 'terraform.tfstate' } } },
        resource: { terraform_data: { release: { input } } },
      }),
    );
  const terraform = (...args: string[]) => {
    const run = spawnSync(terraformBinary(), args, { cwd: dir, encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
    if (run.status !== 0) throw new Error(`terraform ${args.join(' ')}: ${run.stderr}`);
  };
  const drift = () =>
    spawnSync(process.execPath, [join(root, 'scripts', 'app.mjs'), 'scripts/drift.ts', stack], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, CDKTF_OUTDIR: outdir, GITHUB_STEP_SUMMARY: summary },
    });

  beforeAll(() => {
    mkdirSync(dir, { recursive: true });
    write('1.4.2');
    terraform('init', '-input=false');
    terraform('apply', '-input=false', '-auto-approve');
  }, 120_000);

  it('exits 0 when the deployed state matches the code', () => {
    const run = drift();
    expect({ code: run.status, stdout: run.stdout }).toEqual({ code: 0, stdout: expect.stringContaining(`${stack}: no drift`) });
  }, 120_000);

  it('exits 2 and names the drifted resource when they differ, in the job summary too', () => {
    write('1.4.3');
    const run = drift();
    expect(run.status).toBe(2);
    expect(run.stdout).toContain(`### ${stack}: 1 resource drifted`);
    expect(run.stdout).toMatch(/\| `terraform_data\.release` \| (update|replace) \|/);
    expect(readFileSync(summary, 'utf8')).toContain('`terraform_data.release`');
  }, 120_000);

  it('refuses a name that is not an environment stack of the config', () => {
    const run = spawnSync(process.execPath, [join(root, 'scripts', 'app.mjs'), 'scripts/drift.ts', `${shipped.project}-nowhere`], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('usage: npm run drift -- <stack>');
  }, 120_000);
});
