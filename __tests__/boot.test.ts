/**
 * The app servers' boot script and its two programs, run for real: `bash -n` and shellcheck on the
 * script, the script executed in a sandbox directory (WEBAPP_ROOT) with stub docker, systemctl, aws, dnf,
 * useradd and chgrp on PATH that record their calls, launch.py run against stub aws and docker (and, for the
 * database password's rotation, a stub container that keeps running and reads its credentials file while
 * the secret changes under it), and the placeholder server started on loopback and asked for its health path.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { DB_CREDENTIALS_FILE, LAUNCH_PY, PLACEHOLDER_PY } from '../boot/launcher';
import { USER_DATA_LIMIT, renderUserData, serviceUnit, userDataBytes, type BootMode } from '../boot/user-data';
import { freePort, until } from './support/local-services';
import { propertySeed } from './support/property';
import { environmentStacks } from './support/stacks';
import { synth } from './support/synth';
import { withContainerReleases } from './support/config';
import { platform } from '../config/environments';
import { validateConfig } from '../config/validate';

const MODES: readonly BootMode[] = ['placeholder', 'container'];
const PROGRAMS = { launcher: LAUNCH_PY, placeholder: PLACEHOLDER_PY };
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64');

/** Fails with what to install when a tool the tests run is missing. */
function requireTool(tool: string, install: string): void {
  const probe = spawnSync(tool, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0)
    throw new Error(
      `${tool} is required by this test but could not be run (${probe.error?.message ?? probe.stderr}); install it: ${install}`,
    );
}
/**
 * The interpreter itself, not a version manager's shim: a shim (pyenv) puts its own directories first on
 * PATH, where a real `aws` would shadow the stubs.
 */
let python = 'python3';
beforeAll(() => {
  requireTool('bash', 'your OS package manager');
  requireTool('shellcheck', "Debian's shellcheck (bash scripts/ci-deps.sh installs it)");
  requireTool('python3', 'Python 3 (python.org, or your package manager)');
  python = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout.trim();
});

const scratch: string[] = [];
afterAll(() => scratch.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
function tempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `boot-${label}-`));
  scratch.push(dir);
  return dir;
}

/** Stub commands that append one tab-separated line per call (name, then arguments) to $CALLS. */
function stubBin(dir: string, tools: Record<string, string> = {}): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  const record = `{ printf '%s' "$(basename "$0")"; printf '\\t%s' "$@"; printf '\\n'; } >> "$CALLS"\n`;
  for (const tool of ['docker', 'systemctl', 'aws', 'dnf', 'useradd', 'chgrp']) {
    writeFileSync(join(bin, tool), `#!/bin/bash\n${record}${tools[tool] ?? ''}`);
    chmodSync(join(bin, tool), 0o755);
  }
  return bin;
}
const readCalls = (file: string): string[][] =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split('\t'))
    : [];

interface BootRun {
  readonly root: string;
  readonly calls: string[][];
  readonly status: number | null;
  readonly stderr: string;
}

/** Runs a boot script with WEBAPP_ROOT set to a fresh directory and the stubs first on PATH. */
function boot(script: string): BootRun {
  const dir = tempDir('run');
  const root = join(dir, 'root');
  mkdirSync(root);
  const file = join(dir, 'user-data.sh');
  writeFileSync(file, script);
  const calls = join(dir, 'calls');
  const run = spawnSync('bash', [file], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: `${stubBin(dir)}:${process.env.PATH}`, WEBAPP_ROOT: root, CALLS: calls, HOME: dir },
  });
  return { root, calls: readCalls(calls), status: run.status, stderr: run.stderr };
}

/** Every file under `root`, relative, sorted. */
function filesUnder(root: string, prefix = ''): string[] {
  return readdirSync(join(root, prefix), { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? filesUnder(root, join(prefix, entry.name)) : [join(prefix, entry.name)]))
    .sort();
}
const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

const SETTINGS = {
  placeholder: {
    mode: 'placeholder',
    appPort: 8080,
    healthCheckPath: '/health',
    region: 'eu-west-1',
    environment: { DB_ENGINE: 'mysql', DB_PORT: '3306', DB_NAME: 'app' },
  },
  container: {
    mode: 'container',
    appPort: 8080,
    healthCheckPath: '/health',
    region: 'eu-west-1',
    environment: { DB_ENGINE: 'mysql', DB_PORT: '3306', DB_NAME: 'app', FEATURE: 'on' },
    image: { digest: `sha256:${'ab'.repeat(32)}`, tag: '1.4.2' },
    command: ['java', '-jar', '/app/api.jar'],
    logGroup: '/web-prod/app',
    databaseCredentials: { file: DB_CREDENTIALS_FILE, refreshSeconds: 60 },
    secrets: { STRIPE_KEY: { secret: 'web/prod/api/stripe' }, FLAG: { parameter: '/web/prod/api/flag' } },
  },
} as const;
const PLATFORM = {
  placeholder: {
    environment: { DB_HOST: 'db.internal', DB_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:rds!db-1-AbCdEf' },
  },
  container: {
    environment: { DB_HOST: 'db.internal', DB_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:rds!db-1-AbCdEf' },
    databaseSecretArn: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:rds!db-1-AbCdEf',
    imageRepository: '111111111111.dkr.ecr.eu-west-1.amazonaws.com/web-prod',
  },
} as const;
const script = (m: BootMode, settings: unknown = SETTINGS[m], platform: unknown = PLATFORM[m]) =>
  renderUserData({ mode: m, settingsBase64: b64(settings), platformBase64: b64(platform), ...PROGRAMS });

/** The calls each mode's boot makes, in order: nothing else runs. */
const EXPECTED_CALLS = (root: string): Record<BootMode, string[][]> => ({
  placeholder: [
    ['useradd', '--system', '--no-create-home', '--shell', '/sbin/nologin', 'webapp'],
    ['chgrp', 'webapp', `${root}/etc/webapp/settings.json`, `${root}/etc/webapp/platform.json`],
    ['systemctl', 'daemon-reload'],
    ['systemctl', 'enable', '--now', 'webapp.service'],
  ],
  container: [
    ['dnf', 'install', '--assumeyes', '--quiet', 'docker'],
    ['systemctl', 'enable', '--now', 'docker.service'],
    ['systemctl', 'daemon-reload'],
    ['systemctl', 'enable', '--now', 'webapp.service'],
  ],
});

describe.each(MODES)('boot script, %s mode', (m) => {
  const text = script(m);

  it('is valid bash (bash -n) and shellcheck finds nothing, at any severity', () => {
    const dir = tempDir('lint');
    const file = join(dir, 'user-data.sh');
    writeFileSync(file, text);
    const syntax = spawnSync('bash', ['-n', file], { encoding: 'utf8' });
    expect(syntax.stderr).toBe('');
    expect(syntax.status).toBe(0);
    const lint = spawnSync('shellcheck', ['--shell=bash', '--severity=style', '--format=gcc', file], { encoding: 'utf8' });
    expect(lint.stdout).toBe('');
    expect(lint.status).toBe(0);
  });

  it('writes the settings, the platform values, the programs and the unit with their modes, and makes exactly the expected calls', () => {
    const run = boot(text);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(filesUnder(run.root)).toEqual([
      'etc/systemd/system/webapp.service',
      'etc/webapp/platform.json',
      'etc/webapp/settings.json',
      'opt/webapp/launch.py',
      'opt/webapp/placeholder.py',
    ]);
    const at = (path: string) => join(run.root, path);
    expect(JSON.parse(readFileSync(at('etc/webapp/settings.json'), 'utf8'))).toEqual(SETTINGS[m]);
    expect(JSON.parse(readFileSync(at('etc/webapp/platform.json'), 'utf8'))).toEqual(PLATFORM[m]);
    expect(readFileSync(at('opt/webapp/launch.py'), 'utf8')).toBe(LAUNCH_PY);
    expect(readFileSync(at('opt/webapp/placeholder.py'), 'utf8')).toBe(PLACEHOLDER_PY);
    expect(readFileSync(at('etc/systemd/system/webapp.service'), 'utf8')).toBe(serviceUnit(m));
    expect([
      mode(at('etc/webapp/settings.json')),
      mode(at('etc/webapp/platform.json')),
      mode(at('opt/webapp/launch.py')),
      mode(at('etc/systemd/system/webapp.service')),
    ]).toEqual(['640', '640', '755', '644']);
    expect(run.calls).toEqual(EXPECTED_CALLS(run.root)[m]);
  });

  it('stops at the first failing step (set -e): nothing after it runs', () => {
    // The placeholder tolerates an existing user (useradd || true) but not a failed chgrp; the container
    // mode stops when docker cannot be installed.
    const [failing, expected] = m === 'container' ? ['dnf', [['dnf', 'install', '--assumeyes', '--quiet', 'docker']]] : ['chgrp', null];
    const dir = tempDir('fail');
    const calls = join(dir, 'calls');
    const bin = stubBin(dir, { [failing as string]: 'exit 1\n' });
    const file = join(dir, 'user-data.sh');
    writeFileSync(file, text);
    const run = spawnSync('bash', [file], {
      encoding: 'utf8',
      env: { PATH: `${bin}:${process.env.PATH}`, WEBAPP_ROOT: join(dir, 'root'), CALLS: calls },
    });
    expect(run.status).not.toBe(0);
    if (expected) expect(readCalls(calls)).toEqual(expected);
    else expect(readCalls(calls).map((c) => c[0])).toEqual(['useradd', 'chgrp']);
  });

  it('carries any value unchanged and runs nothing it says (property: arbitrary text in every setting)', () => {
    // Any Unicode text, shell and Terraform syntax included; JSON cannot carry lone surrogates.
    const text = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.constantFrom(
        "'; touch PWNED; '",
        '$(touch PWNED)',
        '`touch PWNED`',
        '${path.cwd}',
        '%{ if true }x%{ endif }',
        '"\\\n',
        '\nEOF\ntouch PWNED\n',
      ),
    );
    const settingsArb = fc.record({
      mode: fc.constant(m),
      appPort: fc.integer({ min: 1024, max: 65535 }),
      healthCheckPath: text,
      region: fc.constant('eu-west-1'),
      environment: fc.dictionary(fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,8}$/), text, { maxKeys: 5 }),
      command: fc.array(text, { maxLength: 4 }),
    });
    fc.assert(
      fc.property(settingsArb, fc.dictionary(fc.stringMatching(/^[A-Z_]{1,6}$/), text, { maxKeys: 3 }), (settings, environment) => {
        const platform = { environment };
        const run = boot(script(m, settings, platform));
        expect(run.status).toBe(0);
        expect(JSON.parse(readFileSync(join(run.root, 'etc/webapp/settings.json'), 'utf8'))).toEqual(settings);
        expect(JSON.parse(readFileSync(join(run.root, 'etc/webapp/platform.json'), 'utf8'))).toEqual(platform);
        expect(run.calls).toEqual(EXPECTED_CALLS(run.root)[m]);
        expect(filesUnder(join(run.root, '..')).filter((f) => f.includes('PWNED'))).toEqual([]);
      }),
      { seed: propertySeed(), numRuns: 25 },
    );
  });
});

describe.each([
  ['as configured', platform],
  ['with a container release', withContainerReleases()],
])('boot script as synthesized, %s', (_, config) => {
  const { stacks } = synth(config);
  const configured = environmentStacks(validateConfig(config));

  it.each(configured.map(({ stack }) => stack))(
    '%s: the settings are a literal and the platform values the only Terraform expression; it fits in user data',
    (name) => {
      const text: string = stacks[name].locals!.app_servers_user_data;
      const lines = text.split('\n');
      const settings = lines.find((l) => l.startsWith('write /etc/webapp/settings.json '))!;
      expect(settings).toMatch(/^write \/etc\/webapp\/settings\.json 0640 '[A-Za-z0-9+/=]+'$/);
      const platform = lines.find((l) => l.startsWith('write /etc/webapp/platform.json '))!;
      expect(platform).toBe("write /etc/webapp/platform.json 0640 '${base64encode(jsonencode(local.app_servers_platform_settings))}'");
      // The platform values are references only: no text of the config.
      const values = JSON.stringify(stacks[name].locals!.app_servers_platform_settings, (_key, v) =>
        typeof v === 'string' ? (/^\$\{[a-z0-9_.[\]]+\}$/.test(v) ? 'REF' : `LITERAL ${v}`) : v,
      );
      expect(values).not.toContain('LITERAL');
      expect(lines.filter((l) => l !== platform).join('\n')).not.toMatch(/\$\{|%\{/);
      // With room for the apply-time values, the script stays within EC2's user data limit.
      const settingsBytes = Buffer.from(/'(.*)'$/.exec(settings)![1], 'base64').length;
      const m = JSON.parse(Buffer.from(/'(.*)'$/.exec(settings)![1], 'base64').toString('utf8')).mode as BootMode;
      expect(userDataBytes(m, settingsBytes + 1024, PROGRAMS)).toBeLessThanOrEqual(USER_DATA_LIMIT);
    },
  );
});

/**
 * The stub AWS CLI of launch.py: the release's secrets and parameters by name, ECR's token, and the database
 * secret (an ARN) from $DB_SECRET, a file of {"VersionId", "SecretString"} the test may change (rotate) at any
 * time; describe-secret answers which version is AWSCURRENT. $AWS_FAIL, when the file exists, fails every call.
 */
const STUB_AWS = `[ -n "\${AWS_FAIL:-}" ] && [ -e "$AWS_FAIL" ] && { echo 'An error occurred (ThrottlingException)' >&2; exit 255; }
id=$(printf '%s\\n' "$@" | grep -A1 -x -- --secret-id | tail -1)
case "$1 $2" in
  "secretsmanager get-secret-value")
    case "$id" in *missing*) echo 'An error occurred (ResourceNotFoundException)' >&2; exit 254 ;; arn:*) cat "$DB_SECRET" ;; *) printf 'value of %s\\n' "$id" ;; esac ;;
  "secretsmanager describe-secret")
    python3 -c 'import json,sys; print(json.dumps({json.load(open(sys.argv[1]))["VersionId"]: ["AWSCURRENT"], "previous": ["AWSPREVIOUS"]}))' "$DB_SECRET" ;;
  "ssm get-parameter") printf 'parameter %s\\n' "$(printf '%s\\n' "$@" | grep -A1 -x -- --name | tail -1)" ;;
  "ecr get-login-password") printf 'ECR-TOKEN\\n' ;;
  *) exit 3 ;;
esac
`;

/** Writes the database secret the stub AWS CLI answers with: version `version`, password `password`. */
function putDatabaseSecret(file: string, version: string, password: string): void {
  const next = `${file}.next`;
  writeFileSync(next, JSON.stringify({ VersionId: version, SecretString: JSON.stringify({ username: 'app_admin', password }) }));
  renameSync(next, file);
}

/** The files and environment of a launch.py run in a fresh directory, with stub aws and docker (`docker` overrides the stub's script). */
function launchSandbox(settings: unknown, platform: unknown, docker: string) {
  const dir = tempDir('launch');
  const calls = join(dir, 'calls');
  const secret = join(dir, 'db-secret.json');
  putDatabaseSecret(secret, 'v1', 'p a$$ "w0rd');
  const bin = stubBin(dir, { aws: STUB_AWS, docker });
  const settingsFile = join(dir, 'settings.json');
  const platformFile = join(dir, 'platform.json');
  writeFileSync(settingsFile, JSON.stringify(settings));
  writeFileSync(platformFile, JSON.stringify(platform));
  const launcher = join(dir, 'launch.py');
  writeFileSync(launcher, LAUNCH_PY);
  const credentialsDir = join(dir, 'run-webapp-db');
  const env = {
    PATH: `${bin}:${process.env.PATH}`,
    CALLS: calls,
    DB_SECRET: secret,
    AWS_FAIL: join(dir, 'aws-fails'),
    WEBAPP_SETTINGS: settingsFile,
    WEBAPP_PLATFORM: platformFile,
    WEBAPP_CREDENTIALS_DIR: credentialsDir,
    HOME: dir,
  };
  return { dir, calls, secret, launcher, credentialsDir, env };
}

/** Runs launch.py on settings and platform files with stub aws and docker; returns the calls and what `docker run` received. */
function launch(settings: unknown, platform: unknown) {
  const received = join(tmpdir(), `docker-run-env-${process.pid}-${Math.random().toString(36).slice(2)}`);
  scratch.push(received);
  const sandbox = launchSandbox(
    settings,
    platform,
    `case "$1" in
  login) printf '%s' "$(cat)" > "$CALLS.login-stdin" ;;
  run) for name in $(printf '%s\\n' "$@" | grep -A1 -x -- --env | grep -v -x -- --env | grep -v -x -- --); do printf '%s=%s\\n' "$name" "\${!name}"; done > "${received}" ;;
esac
`,
  );
  const { calls, launcher, env: sandboxEnv } = sandbox;
  const run = spawnSync(python, [launcher], { encoding: 'utf8', env: sandboxEnv });
  const env = existsSync(received)
    ? Object.fromEntries(
        readFileSync(received, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
      )
    : {};
  const loginStdin = existsSync(`${calls}.login-stdin`) ? readFileSync(`${calls}.login-stdin`, 'utf8') : undefined;
  return { status: run.status, stderr: run.stderr, calls: readCalls(calls), env, loginStdin, sandbox };
}

describe('launch.py, container mode', () => {
  const settings = SETTINGS.container;
  const platform = PLATFORM.container;
  const image = `${platform.imageRepository}@${settings.image.digest}`;

  it('reads each secret and parameter of the release and the database secret, signs in to ECR, pulls by digest and runs the container', () => {
    const run = launch(settings, platform);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const region = ['--region', 'eu-west-1'];
    // What the launcher asks the AWS CLI for each secret of the release: the value alone, as text.
    const secretRead = (id: string) => [
      'aws',
      'secretsmanager',
      'get-secret-value',
      ...region,
      '--secret-id',
      id,
      '--query',
      'SecretString',
      '--output',
      'text',
    ];
    expect(run.calls).toEqual([
      [
        'aws',
        'ssm',
        'get-parameter',
        ...region,
        '--name',
        '/web/prod/api/flag',
        '--with-decryption',
        '--query',
        'Parameter.Value',
        '--output',
        'text',
      ],
      secretRead('web/prod/api/stripe'),
      // The database secret with its version, which later checks compare with the current one.
      ['aws', 'secretsmanager', 'get-secret-value', ...region, '--secret-id', platform.databaseSecretArn, '--output', 'json'],
      ['aws', 'ecr', 'get-login-password', ...region, '--output', 'text'],
      ['docker', 'login', '--username', 'AWS', '--password-stdin', '111111111111.dkr.ecr.eu-west-1.amazonaws.com'],
      ['docker', 'pull', '--quiet', image],
      ['docker', 'rm', '--force', 'webapp'],
      [
        'docker',
        'run',
        '--rm',
        '--name',
        'webapp',
        '--network',
        'host',
        '--log-driver',
        'awslogs',
        '--log-opt',
        'awslogs-region=eu-west-1',
        '--log-opt',
        'awslogs-group=/web-prod/app',
        '--label',
        'release=1.4.2',
        // The directory, not the file: a replaced file (a rename) shows in the container.
        '--volume',
        `${run.sandbox.credentialsDir}:/run/webapp/db:ro`,
        ...[
          'APP_PORT',
          'AWS_REGION',
          'DB_CREDENTIALS_FILE',
          'DB_ENGINE',
          'DB_HOST',
          'DB_NAME',
          'DB_PORT',
          'DB_SECRET_ARN',
          'DB_USERNAME',
          'FEATURE',
          'FLAG',
          'HEALTH_CHECK_PATH',
          'STRIPE_KEY',
        ].flatMap((n) => ['--env', n]),
        image,
        'java',
        '-jar',
        '/app/api.jar',
      ],
    ]);
    expect(run.loginStdin).toBe('ECR-TOKEN');
  });

  it('hands secret values to the container through its environment only, never on a command line; no database password', () => {
    const run = launch(settings, platform);
    expect(run.env).toEqual({
      APP_PORT: '8080',
      AWS_REGION: 'eu-west-1',
      DB_CREDENTIALS_FILE: DB_CREDENTIALS_FILE,
      DB_ENGINE: 'mysql',
      DB_HOST: 'db.internal',
      DB_NAME: 'app',
      DB_PORT: '3306',
      DB_SECRET_ARN: platform.databaseSecretArn,
      DB_USERNAME: 'app_admin',
      FEATURE: 'on',
      FLAG: 'parameter /web/prod/api/flag',
      HEALTH_CHECK_PATH: '/health',
      STRIPE_KEY: 'value of web/prod/api/stripe',
    });
    const argv = run.calls.flat().join(' ');
    for (const secret of ['p a$$', 'value of', 'parameter /web', 'ECR-TOKEN']) expect(argv).not.toContain(secret);
  });

  it('writes the database credentials to a read-only file in a directory of their own, before the container starts', () => {
    const run = launch(settings, platform);
    const file = join(run.sandbox.credentialsDir, 'credentials.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ username: 'app_admin', password: 'p a$$ "w0rd' });
    expect([mode(run.sandbox.credentialsDir), mode(file)]).toEqual(['755', '444']);
    expect(readdirSync(run.sandbox.credentialsDir)).toEqual(['credentials.json']);
    expect(DB_CREDENTIALS_FILE).toBe('/run/webapp/db/credentials.json');
  });

  it('pulls from another registry without signing in', () => {
    const run = launch({ ...settings, image: { ...settings.image, repository: 'ghcr.io/acme/api' } }, platform);
    expect(run.status).toBe(0);
    expect(run.calls.filter((c) => c[1] === 'ecr' || c[1] === 'login')).toEqual([]);
    expect(run.calls).toContainEqual(['docker', 'pull', '--quiet', `ghcr.io/acme/api@${settings.image.digest}`]);
  });

  it('starts nothing when a secret cannot be read: the service fails and systemd tries again', () => {
    const run = launch({ ...settings, secrets: { ...settings.secrets, GONE: { secret: 'web/prod/missing' } } }, platform);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('ResourceNotFoundException');
    expect(run.calls.filter((c) => c[0] === 'docker')).toEqual([]);
  });

  it('ends with the container, with its exit code (systemd then starts it again)', () => {
    const sandbox = launchSandbox(settings, platform, 'case "$1" in run) exit 7 ;; esac\n');
    expect(spawnSync(python, [sandbox.launcher], { encoding: 'utf8', env: sandbox.env }).status).toBe(7);
  });
});

describe('launch.py and the rotation of the database password', () => {
  /**
   * The container of these tests: `docker run` keeps running, like an application, and appends the content of
   * its credentials file (the host side of the mounted directory) to $CALLS.seen each time it changes, with
   * its process id, until $CALLS.stop exists.
   */
  const RUNNING_APP = `case "$1" in
  run)
    mount=$(printf '%s\\n' "$@" | grep -A1 -x -- --volume | tail -1)
    host=\${mount%%:*}
    last=''
    while [ ! -e "$CALLS.stop" ]; do
      now=$(cat "$host/credentials.json" 2>/dev/null || true)
      if [ "$now" != "$last" ]; then printf '%s %s\\n' "$$" "$now" >> "$CALLS.seen"; last=$now; fi
      sleep 0.05
    done ;;
esac
`;
  const settings = { ...SETTINGS.container, databaseCredentials: { file: DB_CREDENTIALS_FILE, refreshSeconds: 0.2 } };

  /** Starts launch.py with the running container; `seen()` is what the application read so far, as [pid, password]. */
  async function running() {
    const sandbox = launchSandbox(settings, PLATFORM.container, RUNNING_APP);
    const launcher = spawn(python, [sandbox.launcher], { env: sandbox.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    launcher.stdout.on('data', (d: Buffer) => (output += d.toString()));
    launcher.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const seen = () =>
      (existsSync(`${sandbox.calls}.seen`) ? readFileSync(`${sandbox.calls}.seen`, 'utf8') : '')
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [pid, ...json] = line.split(' ');
          return [pid, json.join(' ') === '' ? undefined : (JSON.parse(json.join(' ')) as { password: string }).password] as const;
        });
    const stop = async () => {
      writeFileSync(`${sandbox.calls}.stop`, '');
      await new Promise<void>((resolve) => (launcher.exitCode !== null ? resolve() : launcher.once('exit', () => resolve())));
    };
    await until(15_000, 'the application reads its first credentials', () => seen().some(([, password]) => password !== undefined), 50);
    return { sandbox, launcher, seen, stop, output: () => output };
  }

  it('a rotated password reaches the running application without a restart: same process, next read sees the new value', async () => {
    const app = await running();
    try {
      const [[pid, first]] = app.seen().filter(([, p]) => p !== undefined);
      expect(first).toBe('p a$$ "w0rd');
      const database = () => readCalls(app.sandbox.calls).filter((c) => c.includes(PLATFORM.container.databaseSecretArn));
      const count = (operation: string) => database().filter((c) => c[2] === operation).length;
      // Checks that find the same version read nothing (DescribeSecret decrypts nothing).
      await until(15_000, 'two checks of the secret', () => count('describe-secret') >= 2, 50);
      expect(count('get-secret-value')).toBe(1);
      putDatabaseSecret(app.sandbox.secret, 'v2', 'rotated-Secret-2');
      await until(15_000, 'the application reads the rotated password', () => app.seen().some(([, p]) => p === 'rotated-Secret-2'), 50);
      // One application process all along: launch.py did not restart the container, and runs on.
      expect(new Set(app.seen().map(([p]) => p))).toEqual(new Set([pid]));
      expect(readCalls(app.sandbox.calls).filter((c) => c[0] === 'docker' && c[1] === 'run')).toHaveLength(1);
      expect(app.launcher.exitCode).toBeNull();
      // It read the value again only when the current version changed.
      expect(count('get-secret-value')).toBe(2);
      expect(app.output()).toContain('the database secret changed (version v2)');
      expect(app.output()).not.toContain('rotated-Secret-2');
    } finally {
      await app.stop();
    }
    expect(app.launcher.exitCode).toBe(0);
  }, 60_000);

  it('a failed check leaves the application and its credentials alone; the next one picks the rotation up', async () => {
    const app = await running();
    try {
      writeFileSync(app.sandbox.env.AWS_FAIL, '');
      putDatabaseSecret(app.sandbox.secret, 'v3', 'rotated-Secret-3');
      await until(15_000, 'a failed check', () => app.output().includes('ThrottlingException'), 50);
      expect(app.seen().map(([, p]) => p)).not.toContain('rotated-Secret-3');
      expect(app.launcher.exitCode).toBeNull();
      rmSync(app.sandbox.env.AWS_FAIL);
      await until(15_000, 'the application reads the rotated password', () => app.seen().some(([, p]) => p === 'rotated-Secret-3'), 50);
      expect(new Set(app.seen().map(([p]) => p)).size).toBe(1);
    } finally {
      await app.stop();
    }
  }, 60_000);
});

describe('placeholder server', () => {
  it('starts through launch.py and answers the health path with 200 "ok", other paths with JSON', async () => {
    const dir = tempDir('placeholder');
    const port = await freePort();
    const settingsFile = join(dir, 'settings.json');
    const platformFile = join(dir, 'platform.json');
    writeFileSync(settingsFile, JSON.stringify({ ...SETTINGS.placeholder, appPort: port, healthCheckPath: '/ready' }));
    writeFileSync(platformFile, JSON.stringify(PLATFORM.placeholder));
    writeFileSync(join(dir, 'launch.py'), LAUNCH_PY);
    writeFileSync(join(dir, 'placeholder.py'), PLACEHOLDER_PY);
    const server = spawn(python, [join(dir, 'launch.py')], {
      env: {
        PATH: process.env.PATH,
        WEBAPP_SETTINGS: settingsFile,
        WEBAPP_PLATFORM: platformFile,
        WEBAPP_PLACEHOLDER: join(dir, 'placeholder.py'),
        WEBAPP_BIND: '127.0.0.1',
      },
      stdio: 'ignore',
    });
    const fetch = (path: string) =>
      new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
        get({ host: '127.0.0.1', port, path, timeout: 2000 }, (res) => {
          let body = '';
          res.on('data', (chunk) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
        }).on('error', reject);
      });
    try {
      await until(
        15_000,
        'placeholder server listening',
        () =>
          fetch('/ready').then(
            () => true,
            () => false,
          ),
        100,
      );
      expect(await fetch('/ready')).toEqual({ status: 200, type: 'text/plain', body: 'ok' });
      const other = await fetch('/');
      expect(other.status).toBe(200);
      expect(JSON.parse(other.body)).toMatchObject({ app: 'placeholder' });
    } finally {
      server.kill();
    }
  });
});
