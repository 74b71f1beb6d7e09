import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BAD_CONFIGS } from './support/bad-configs';

const root = join(__dirname, '..');

/** Runs `npm run synth`'s command with a config file and an output dir of its own. */
function runSynth(config: unknown, extraEnv: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'synth-cli-'));
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify(config));
  const outdir = join(dir, 'out');
  // CDKTF_OUTDIR is how cdktf-cli points the app at its output directory.
  const result = spawnSync(process.execPath, ['scripts/app.mjs'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, PLATFORM_CONFIG: file, CDKTF_OUTDIR: outdir, ...extraEnv },
  });
  return { ...result, outdir };
}

describe('npm run synth', () => {
  it('exits non-zero with every problem and leaves no output for an invalid config', () => {
    const bad = BAD_CONFIGS.filter((c) => ['CIDR too small for the layout', 'min above desired', 'https half-configured'].includes(c.name));
    // Combine three broken environments into one config: all problems must be reported in one run.
    const environments = bad.map((c, i) => ({
      ...(c.config as any).environments.find((e: any) => e.name === 'prod'),
      name: `bad${i}`,
      vpcCidr: (c.config as any).environments.find((e: any) => e.name === 'prod').vpcCidr.replace('10.20.', `10.${50 + i}.`),
    }));
    const { platform } = require('../config/environments');
    const result = runSynth({ ...platform, environments });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Invalid configuration (3 problems)');
    for (const [i, c] of bad.entries()) {
      expect(result.stderr).toContain(c.problems[0].replace('environment "prod"', `environment "bad${i}"`).replace('10.20.', `10.${50 + i}.`));
    }
    expect(existsSync(result.outdir)).toBe(false);
  });

  it('reports a config file that is not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'synth-cli-'));
    writeFileSync(join(dir, 'config.json'), '{ nope');
    const result = spawnSync(process.execPath, ['scripts/app.mjs'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, PLATFORM_CONFIG: join(dir, 'config.json'), CDKTF_OUTDIR: join(dir, 'out') },
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^PLATFORM_CONFIG=.*config\.json: not valid JSON/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('writes byte-identical stacks with and without its savings (CDKTF_FAST_SYNTH=0)', () => {
    const { platform } = require('../config/environments');
    const prod = platform.environments.find((e: any) => e.name === 'prod');
    // The shipped environments plus one that takes the other branches: PostgreSQL, no NAT, target tracking.
    const variant = {
      ...prod,
      name: 'variant',
      vpcCidr: '10.70.0.0/16',
      natGateways: 'none',
      database: { ...prod.database, engine: 'postgres', engineVersion: '16' },
      compute: { ...prod.compute, scaling: 'targetTracking' },
    };
    const config = { ...platform, environments: [...platform.environments, variant] };
    const fast = runSynth(config);
    const traced = runSynth(config, { CDKTF_FAST_SYNTH: '0' });
    expect(fast.status).toBe(0);
    expect(traced.status).toBe(0);
    const stacks = readdirSync(join(fast.outdir, 'stacks')).sort();
    expect(stacks).toEqual(['web-dev', 'web-prod', 'web-state', 'web-variant']);
    expect(readdirSync(join(traced.outdir, 'stacks')).sort()).toEqual(stacks);
    for (const stack of stacks) {
      const read = (outdir: string) => readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8');
      expect(read(fast.outdir)).toBe(read(traced.outdir));
    }
    expect(readFileSync(join(fast.outdir, 'manifest.json'), 'utf8')).toBe(readFileSync(join(traced.outdir, 'manifest.json'), 'utf8'));
  });
});

describe('the synth snapshot (npm run synth, scripts/synth)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { snapshotIsCurrent } = require('../scripts/lib/launch.cjs');
  const fromDisk = /node_modules\/(cdktf|constructs|@cdktf\/provider-aws)\//;
  const readStacks = (outdir: string) =>
    Object.fromEntries(readdirSync(join(outdir, 'stacks')).map((s) => [s, readFileSync(join(outdir, 'stacks', s, 'cdk.tf.json'), 'utf8')]));

  const snapshotDir = join(root, '.build', 'snapshot');
  const blobs = () => (existsSync(snapshotDir) ? readdirSync(snapshotDir).filter((f) => f.endsWith('.blob')).sort() : []);
  const launch = (env: Record<string, string> = {}) => {
    const outdir = join(mkdtempSync(join(tmpdir(), 'synth-launcher-')), 'out');
    // NODE_DEBUG=module lists every module node loads from disk.
    const result = spawnSync('sh', ['scripts/synth'], { cwd: root, encoding: 'utf8', env: { ...process.env, CDKTF_OUTDIR: outdir, NODE_DEBUG: 'module', ...env } });
    expect(result.status).toBe(0);
    return { ...result, outdir, stacks: readStacks(outdir) };
  };

  it('is what `npm run synth` and cdktf.json run: built on first use, it writes byte-identical stacks without loading cdktf or the provider from disk', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const cdktfJson = JSON.parse(readFileSync(join(root, 'cdktf.json'), 'utf8'));
    expect(pkg.scripts.synth).toBe('sh scripts/synth');
    expect(cdktfJson.app).toBe('sh scripts/synth');
    rmSync(snapshotDir, { recursive: true, force: true });
    const first = launch();
    expect(blobs()).toEqual([expect.stringMatching(new RegExp(`^synth-${process.version.replace(/\./g, '\\.')}-.+\\.blob$`))]);
    const fast = launch();
    expect(fast.stderr).toContain('scripts/lib/launch.cjs');
    expect(fast.stderr).not.toMatch(fromDisk);
    const plain = launch({ CDKTF_FAST_SYNTH: '0' });
    expect(plain.stderr).toMatch(fromDisk);
    expect(Object.keys(fast.stacks).sort()).toEqual(['web-dev', 'web-prod', 'web-state']);
    expect(fast.stacks).toEqual(plain.stacks);
    expect(first.stacks).toEqual(plain.stacks);
  });

  it('keeps one snapshot per NODE_OPTIONS (cdktf-cli sets its own), and synthesizes the plain way when node refuses one', () => {
    const before = blobs();
    expect(before).toHaveLength(1);
    const cdktfLike = launch({ NODE_OPTIONS: '--max-old-space-size=16384' });
    const after = blobs();
    expect(after).toHaveLength(2);
    const other = after.find((b) => !before.includes(b)) as string;
    // A snapshot built with other V8 flags under the default name: node exits 14 before the app runs.
    copyFileSync(join(snapshotDir, other), join(snapshotDir, before[0]));
    const refused = launch();
    expect(refused.stderr).toContain('synth: node could not load the startup snapshot; synthesizing without it');
    expect(refused.stacks).toEqual(cdktfLike.stacks);
    expect(blobs()).toEqual([other]); // the refused one is gone, and rebuilt on the next run
  });

  it('counts a snapshot stale when what it was built from changed, or the app imports a provider class it lacks', () => {
    const meta = { fingerprint: 'f1', modules: ['cdktf', 'constructs', '@cdktf/provider-aws/lib/vpc'] };
    expect(snapshotIsCurrent(meta, 'f1', ['cdktf', '@cdktf/provider-aws/lib/vpc'])).toBe(true);
    expect(snapshotIsCurrent(meta, 'f1', ['cdktf', 'some-other-package'])).toBe(true); // loads from disk, as always
    expect(snapshotIsCurrent(meta, 'f2', ['cdktf'])).toBe(false);
    expect(snapshotIsCurrent(meta, 'f1', ['cdktf', '@cdktf/provider-aws/lib/subnet'])).toBe(false);
    expect(snapshotIsCurrent(meta, 'f1', ['cdktf/lib/tokens/private/resolve'])).toBe(false);
  });
});
