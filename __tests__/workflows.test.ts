/**
 * The CI definitions: the GitHub workflows and the local action pass a schema validator for GitHub's files
 * (@action-validator/cli, offline); every action is pinned by commit SHA; every `run:` command is an npm
 * script of package.json or a tool docs/ci.md lists with its reason; permissions are minimal (contents: read,
 * id-token: write only on jobs that assume a role); the environments come from the config, never from the
 * files. The GitLab example in docs is valid YAML whose commands pass the same check.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { shipped, stackNames } from './support/stacks';

const root = join(__dirname, '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const workflowDir = '.github/workflows';
const workflows = readdirSync(join(root, workflowDir))
  .filter((f) => /\.ya?ml$/.test(f))
  .map((f) => `${workflowDir}/${f}`);
const actions = readdirSync(join(root, '.github/actions')).map((d) => `.github/actions/${d}/action.yml`);
const files = [...workflows, ...actions];
const GITLAB_EXAMPLE = 'docs/gitlab-ci.example.yml';
const scripts: Record<string, string> = JSON.parse(read('package.json')).scripts;

/**
 * Commands a `run:` may start with besides npm, each with the reason docs/ci.md gives: what they install is
 * what a fresh runner lacks and the project's own files cannot install through npm.
 */
const DOCUMENTED_TOOLS: Readonly<Record<string, RegExp>> = {
  // The AWS emulator the offline plans read from (a Python package, pinned to the version the tests know).
  pip: /^pip install 'moto\[server\]==\d+\.\d+\.\d+'$/,
};
/** The GitLab example installs what GitHub's setup actions install there (docs/ci.md explains each). */
const GITLAB_TOOLS: Readonly<Record<string, RegExp>> = {
  apt_get: /^apt-get (update -qq|install -y -qq --no-install-recommends [a-z0-9 .-]+)$/,
  curl: /^curl -fsSLo \/tmp\/terraform\.\w+ "https:\/\/releases\.hashicorp\.com\/terraform\/\$\{TF_VERSION\}\/terraform_\$\{TF_VERSION\}_(linux_amd64\.zip|SHA256SUMS)"$/,
  sha256sum:
    /^sed -n "s\| terraform_\$\{TF_VERSION\}_linux_amd64\.zip\$\| \/tmp\/terraform\.zip\|p" \/tmp\/terraform\.sums \| sha256sum -c -$/,
  unzip: /^unzip -q -o \/tmp\/terraform\.zip -d \/usr\/local\/bin$/,
  venv: /^python3 -m venv \/opt\/moto$|^\/opt\/moto\/bin\/pip install 'moto\[server\]==\d+\.\d+\.\d+'$/,
  printf: /^printf '%s' "\$AWS_ID_TOKEN" > "\$AWS_WEB_IDENTITY_TOKEN_FILE"$/,
};

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
  if?: string;
}
interface Job {
  uses?: string;
  permissions?: Record<string, string> | string;
  environment?: unknown;
  steps?: Step[];
  strategy?: { matrix?: Record<string, unknown> };
}

const parsed = (path: string) => parse(read(path));
const jobsOf = (path: string): [string, Job][] => Object.entries<Job>(parsed(path).jobs ?? {});
const stepsOf = (path: string): Step[] =>
  path.endsWith('action.yml') ? parsed(path).runs.steps : jobsOf(path).flatMap(([, job]) => job.steps ?? []);

/** The commands of a `run:` (one per line, `&&`-joined parts apart, redirections off). */
function commandsOf(run: string): string[] {
  return run
    .split('\n')
    .flatMap((line) => line.split(/\s+&&\s+/))
    .map((c) => c.trim())
    .filter((c) => c !== '' && !c.startsWith('#'));
}

/** Why `command` may run in CI, or undefined when nothing allows it. */
function allowed(command: string, tools: Readonly<Record<string, RegExp>>): string | undefined {
  const npm = /^npm (ci|test)$|^npm run (?:--silent )?([\w:-]+)( --if-present)?(?: -- .*)?(?: >> "\$GITHUB_STEP_SUMMARY")?$/.exec(command);
  if (npm?.[1]) return `npm ${npm[1]}`;
  if (npm?.[2]) return Object.hasOwn(scripts, npm[2]) ? `script ${npm[2]}` : npm[3] ? `script ${npm[2]}, when present` : undefined;
  const tool = Object.entries(tools).find(([, pattern]) => pattern.test(command));
  return tool ? `tool ${tool[0]}` : undefined;
}

describe('the GitHub workflow files', () => {
  it('exist: pull request, deploy, drift check', () => {
    const triggers = workflows.map((w) => Object.keys(parsed(w).on ?? {}));
    expect(triggers.flat()).toEqual(expect.arrayContaining(['pull_request', 'push', 'schedule', 'workflow_call']));
  });

  it.each(files)('%s passes the schema validator for GitHub workflow and action files', (path) => {
    const bin = join(root, 'node_modules', '.bin', 'action-validator');
    expect(existsSync(bin)).toBe(true);
    const run = spawnSync(bin, [join(root, path)], { encoding: 'utf8' });
    expect({ code: run.status, errors: run.stderr }).toEqual({ code: 0, errors: '' });
  });

  it.each(files)('%s pins every action by its full commit SHA, with the version in a comment', (path) => {
    const uses = [...read(path).matchAll(/uses:\s*(\S+)(.*)$/gm)].map((m) => ({ ref: m[1], comment: m[2].trim() }));
    expect(uses.length).toBeGreaterThan(0);
    for (const { ref, comment } of uses) {
      if (ref.startsWith('./')) {
        expect(existsSync(join(root, ref))).toBe(true);
        continue;
      }
      expect(ref).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
      expect(comment).toMatch(/^# v\d+(\.\d+)*$/);
    }
  });

  it.each(files)('%s runs only npm scripts of package.json and documented tools', (path) => {
    for (const step of stepsOf(path)) {
      for (const command of commandsOf(step.run ?? ''))
        expect({ command, allowed: allowed(command, DOCUMENTED_TOOLS) !== undefined }).toEqual({ command, allowed: true });
    }
  });

  it.each(workflows)("%s never runs on pull_request_target (a fork's code with the repository's token and secrets)", (path) => {
    expect(Object.keys(parsed(path).on ?? {})).not.toContain('pull_request_target');
    expect(read(path)).not.toMatch(/pull_request_target/);
  });

  it.each(workflows)('%s: a job that assumes a plan role plans without the state lock (the role may not write it)', (path) => {
    for (const [name, job] of jobsOf(path)) {
      const steps = job.steps ?? [];
      const plan = steps.some(
        (s) =>
          s.uses?.startsWith('aws-actions/configure-aws-credentials@') && String(s.with?.['role-to-assume'] ?? '').includes('planRoleArn'),
      );
      if (!plan) continue;
      const planning = steps.filter((s) => /npm run (diff|drift)/.test(s.run ?? ''));
      expect({ job: name, planning: planning.length > 0 }).toEqual({ job: name, planning: true });
      for (const s of planning)
        expect({
          job: name,
          step: s.name,
          lockFree: /npm run drift/.test(s.run ?? '') || s.env?.TF_CLI_ARGS_plan === '-lock=false',
        }).toEqual({ job: name, step: s.name, lockFree: true });
    }
  });

  it.each(files)('%s puts no expression inside a shell command (values reach it through env)', (path) => {
    for (const step of stepsOf(path)) expect(step.run ?? '').not.toContain('${{');
  });

  it.each(workflows)('%s: contents: read by default, id-token: write only on the jobs that assume a role', (path) => {
    const workflow = parsed(path);
    expect(workflow.permissions).toEqual({ contents: 'read' });
    for (const [name, job] of jobsOf(path)) {
      const assumes = (job.steps ?? []).some((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));
      const permissions = job.permissions ?? workflow.permissions;
      expect({ job: name, permissions }).toEqual({
        job: name,
        permissions: assumes ? { contents: 'read', 'id-token': 'write' } : { contents: 'read' },
      });
    }
  });

  it('the diff, deploy and drift jobs take their environments from the config, never from the files', () => {
    const text = files.map(read).join('\n');
    for (const stack of stackNames()) expect(text).not.toContain(stack);
    for (const env of shipped.environments) expect(text).not.toMatch(new RegExp(`(environment|name):\\s*['"]?${env.name}['"]?\\s*$`, 'm'));
    const matrices = workflows.flatMap((w) =>
      jobsOf(w)
        .filter(([, job]) => job.strategy?.matrix)
        .map(([, job]) => job.strategy!.matrix!.include),
    );
    expect(matrices.length).toBeGreaterThanOrEqual(3);
    for (const include of matrices) expect(include).toBe('${{ fromJSON(needs.environments.outputs.environments) }}');
    expect(read(`${workflowDir}/environments.yml`)).toContain('npm run --silent ci:matrix -- --github-output');
  });

  it('every role assumed is a role of the matrix, with the session the config allows', () => {
    const assumed = workflows.flatMap((w) => stepsOf(w)).filter((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));
    expect(assumed.length).toBeGreaterThanOrEqual(3);
    for (const s of assumed) {
      expect(s.with!['role-to-assume']).toMatch(/^\$\{\{ matrix\.(plan|deploy)RoleArn \}\}$/);
      expect(s.with!['role-duration-seconds']).toBe('${{ matrix.sessionSeconds }}');
      expect(s.with!['aws-region']).toBe('${{ matrix.region }}');
    }
  });

  it('deploys run in the GitHub environment of their name, one at a time; the drift check plans every day', () => {
    const [, deploy] = jobsOf(`${workflowDir}/deploy.yml`).find(([, job]) => job.environment !== undefined)!;
    expect(deploy.environment).toEqual({ name: '${{ matrix.environment }}' });
    expect(deploy.strategy).toMatchObject({ 'max-parallel': 1, 'fail-fast': true });
    expect((deploy.steps ?? []).find((s) => s.uses?.startsWith('aws-actions/'))!.with!['role-to-assume']).toBe(
      '${{ matrix.deployRoleArn }}',
    );
    const drift = parsed(`${workflowDir}/drift.yml`);
    expect(drift.on.schedule).toHaveLength(1);
    expect(stepsOf(`${workflowDir}/drift.yml`).map((s) => s.run)).toContain('npm run drift -- "$STACK"');
  });

  it('Terraform is the version the project is tested with', () => {
    const versions = files
      .flatMap(stepsOf)
      .filter((s) => s.uses?.startsWith('hashicorp/setup-terraform@'))
      .map((s) => s.with!.terraform_version);
    expect(versions.length).toBeGreaterThan(0);
    for (const v of versions) expect(String(v)).toBe('1.11.4');
  });
});

describe('docs/ci.md', () => {
  const doc = read('docs/ci.md');

  it('names every documented tool with its reason', () => {
    for (const tool of Object.keys({ ...DOCUMENTED_TOOLS, ...GITLAB_TOOLS })) expect(doc).toContain(`\`${tool.replace('_', '-')}\``);
  });

  it('the GitLab example is valid YAML whose commands are npm scripts or documented tools', () => {
    // GitLab's `!reference [job, key]` reuses another job's list: kept as the path it names.
    const reference = {
      tag: '!reference',
      collection: 'seq' as const,
      resolve: (seq: { toJSON(): unknown }) => ({ reference: seq.toJSON() }),
    };
    const gitlab = parse(read(GITLAB_EXAMPLE), { customTags: [reference] }) as Record<string, Record<string, unknown>>;
    const lists = Object.values(gitlab).flatMap((job) =>
      typeof job === 'object' && job !== null && !Array.isArray(job) ? [job.before_script, job.script] : [],
    );
    const entries = lists.flatMap((l) => (Array.isArray(l) ? l : []));
    for (const ref of entries.filter((e): e is { reference: string[] } => typeof e === 'object'))
      expect(gitlab[ref.reference[0]]?.[ref.reference[1]]).toBeDefined();
    const commands = entries.filter((e): e is string => typeof e === 'string').flatMap(commandsOf);
    expect(commands.length).toBeGreaterThan(10);
    for (const command of commands)
      expect({ command, allowed: allowed(command, GITLAB_TOOLS) !== undefined }).toEqual({ command, allowed: true });
  });
});

describe('README', () => {
  const readme = read('README.md');
  const table = readme.slice(readme.indexOf('## npm scripts'), readme.indexOf('\n## ', readme.indexOf('## npm scripts') + 1));

  it('lists every npm script of package.json in its table', () => {
    for (const name of Object.keys(scripts)) {
      const named =
        name === 'test'
          ? table.includes('`npm test`')
          : table.includes(`npm run ${name}`) ||
            new RegExp(`\`npm run [^\`]*\` / \`?${name}\`?`).test(table) ||
            table.includes(`/ \`${name}\``);
      expect({ name, named }).toEqual({ name, named: true });
    }
  });

  it('has the steps from a new repository to a first approved prod deploy, and the move to HCP Terraform', () => {
    expect(readme).toContain('## Deploying from CI');
    expect(readme).toContain('## Moving to HCP Terraform');
    // The shipped repository is an EXAMPLE the README tells the user to replace.
    expect(read('config/environments.ts')).toMatch(/\/\/ EXAMPLE: your repository.*\n\s*repository: '[^']+'/);
    expect(readme).toContain('`state.ci.repository`');
  });
});
