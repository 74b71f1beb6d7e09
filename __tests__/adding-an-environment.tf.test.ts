/**
 * Adding an environment the README's way makes every per-stack check run for it, and breaks nothing else.
 * In a copy of the project: `staging`, with an uploads bucket, is added to config/environments.ts as the
 * README shows, `npm run synth` writes its stack, `npm run readme` lists it in the README's cost table and
 * `npm run test:update` records its snapshot, then the unit
 * tests (CI mode) and the Terraform suites for web-staging alone (TEST_STACKS) pass — and each per-stack suite
 * ran tests named after it.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const ROOT = join(__dirname, '..');
const STACK = 'web-staging';
/** The environment exactly as the README adds it. */
const STAGING = "export const staging: EnvironmentInput = { ...dev, name: 'staging', vpcCidr: '10.30.0.0/16', uploads: {} };";

jest.setTimeout(900_000);

let copy: string;

/** The project's files (tracked and new, not ignored) in a fresh directory, node_modules linked. */
function copyProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'adding-an-environment-'));
  const listed = spawnSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  for (const file of listed.stdout.split('\0').filter((f) => f !== '' && existsSync(join(ROOT, f)))) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(ROOT, file), join(dir, file));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

function run(command: string, args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(command, args, {
    cwd: copy,
    encoding: 'utf8',
    env: { ...process.env, CHECKPOINT_DISABLE: '1', ...env },
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  return result;
}

interface JestJson {
  success: boolean;
  testResults: { name: string; assertionResults: { fullName: string; status: string }[] }[];
}

/** Jest in the copy, its results as JSON. */
function runJest(args: string[], env: Record<string, string>): JestJson {
  const out = join(copy, `jest-${Date.now()}.json`);
  run(process.execPath, [join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), ...args, '--json', `--outputFile=${out}`], env);
  return JSON.parse(readFileSync(out, 'utf8')) as JestJson;
}

/** Names of the tests that ran for the new stack, by suite file. */
const testsFor = (result: JestJson) =>
  Object.fromEntries(
    result.testResults
      .map(
        (r) =>
          [
            r.name.replace(/^.*__tests__\//, ''),
            r.assertionResults.filter((a) => a.fullName.includes(STACK) || a.fullName.includes('staging')).length,
          ] as const,
      )
      .filter(([, n]) => n > 0),
  );

beforeAll(() => {
  copy = copyProject();
  const config = join(copy, 'config', 'environments.ts');
  const text = readFileSync(config, 'utf8');
  const edited = text
    .replace('/** What `main.ts` deploys. */', `${STAGING}\n\n/** What \`main.ts\` deploys. */`)
    .replace('environments: [dev, prod],', 'environments: [dev, prod, staging],');
  if (edited === text || !edited.includes('[dev, prod, staging]'))
    throw new Error('config/environments.ts no longer has the shape the README describes for adding an environment');
  writeFileSync(config, edited);
});

afterAll(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
});

it('npm run synth writes the new stack', () => {
  run('sh', ['scripts/synth']);
  expect(existsSync(join(copy, 'cdktf.out', 'stacks', STACK, 'cdk.tf.json'))).toBe(true);
});

it('npm run readme lists it in the cost table, npm run test:update records its snapshot, then every unit test passes in CI mode and the per-stack ones ran for it', () => {
  run('npm', ['run', '--silent', 'readme']);
  run('npm', ['run', '--silent', 'test:update'], { CI: '' });
  const unit = runJest(['--selectProjects', 'unit', '--ci'], { CI: 'true' });
  expect(unit.success).toBe(true);
  const ran = testsFor(unit);
  for (const suite of ['snapshot.test.ts', 'policy/policy.test.ts', 'diagram.test.ts', 'cost.test.ts', 'dashboard.test.ts'])
    expect({ suite, ran: (ran[suite] ?? 0) > 0 }).toEqual({ suite, ran: true });
});

it('the Terraform suites of one stack (TEST_STACKS) validate, plan, mock-apply and export it', () => {
  const tf = runJest(['--selectProjects', 'terraform', '--ci', '--testPathPattern', '(web-stacks|nothing-lost|export)\\.tf\\.test'], {
    CI: 'true',
    TEST_STACKS: STACK,
  });
  expect(tf.success).toBe(true);
  const ran = testsFor(tf);
  for (const suite of ['web-stacks.tf.test.ts', 'nothing-lost.tf.test.ts', 'export.tf.test.ts'])
    expect({ suite, ran: (ran[suite] ?? 0) > 0 }).toEqual({ suite, ran: true });
});
