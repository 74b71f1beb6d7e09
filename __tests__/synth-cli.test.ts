import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { BAD_CONFIGS } from './support/bad-configs';
import { readStacks } from './support/synth-output';
import { stackNames } from './support/stacks';
import { withOwnDomains } from './support/config';

const root = join(__dirname, '..');

/** Runs `npm run synth`'s command with a config file and an output dir of its own. */
function runSynth(config: unknown, extraEnv: Record<string, string> = {}, args: string[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'synth-cli-'));
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify(config));
  const outdir = join(dir, 'out');
  // CDKTF_OUTDIR is how cdktf-cli points the app at its output directory.
  const result = spawnSync(process.execPath, ['scripts/app.mjs', ...args], {
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
    const environments = bad.map((c, i) => {
      const env = {
        ...structuredClone((c.config as any).environments.find((e: any) => e.name === 'prod')),
        name: `bad${i}`,
        vpcCidr: (c.config as any).environments.find((e: any) => e.name === 'prod').vpcCidr.replace('10.20.', `10.${50 + i}.`),
      };
      withOwnDomains(env, `bad${i}`);
      return env;
    });
    const { platform } = require('../config/environments');
    const result = runSynth({ ...platform, environments });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Invalid configuration (3 problems)');
    for (const [i, c] of bad.entries()) {
      expect(result.stderr).toContain(
        c.problems[0]
          .replace('environment "prod"', `environment "bad${i}"`)
          .replace('10.20.', `10.${50 + i}.`)
          .replace('"app.example.com"', `"app.bad${i}.example.com"`),
      );
    }
    expect(existsSync(result.outdir)).toBe(false);
  });

  it('prints the warnings and one summary line: every stack with its resource count, where, how many suppressions', () => {
    const { platform } = require('../config/environments');
    const result = runSynth(platform);
    expect(result.status).toBe(0);
    const stacks = Object.fromEntries(Object.entries(readStacks(result.outdir)).map(([name, text]) => [name, JSON.parse(text)]));
    const count = (s: string) =>
      Object.values<Record<string, unknown>>(stacks[s].resource).reduce((n, byName) => n + Object.keys(byName).length, 0);
    const suppressions = Object.values(stacks).reduce((n, s: any) => n + s['//'].policy.suppressions.length, 0);
    const warnings = result.stderr.split('\n').filter((l) => l.startsWith('[WARN] '));
    expect(result.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('[WARN] '))).toEqual([]);
    expect(result.stdout.trim().split('\n')).toEqual([
      `synth: wrote ${stackNames().length} stacks to ${relative(root, join(result.outdir, 'stacks'))}/: ${stackNames()
        .map((s) => `${s} (${count(s)} resources)`)
        .join(', ')}; ` +
        `${warnings.length} warnings; ${suppressions} accepted policy suppressions (npm run synth -- --verbose lists them)`,
    ]);
  });

  it('--verbose also lists every accepted suppression; an unknown flag is refused', () => {
    const { platform } = require('../config/environments');
    const verbose = runSynth(platform, {}, ['--verbose']);
    expect(verbose.status).toBe(0);
    const suppressions = Object.values(readStacks(verbose.outdir)).reduce(
      (n, text) => n + JSON.parse(text)['//'].policy.suppressions.length,
      0,
    );
    expect(verbose.stderr.split('\n').filter((l) => l.startsWith('[INFO] ') && l.includes('policy: suppressed '))).toHaveLength(
      suppressions,
    );
    const unknown = runSynth(platform, {}, ['--verbsoe']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("synth: Unknown option '--verbsoe'; usage: npm run synth [-- --verbose]");
  });

  it('refuses cdktf synth --hcl and points to npm run export; removes a stale cdk.tf, keeps everything else', () => {
    const { platform } = require('../config/environments');
    const hcl = runSynth(platform, { SYNTH_HCL_OUTPUT: 'true' });
    expect(hcl.status).toBe(1);
    expect(hcl.stderr).toContain('`cdktf synth --hcl` is not supported');
    expect(hcl.stderr).toContain('Run `npm run export`');
    expect(existsSync(hcl.outdir)).toBe(false);
    const first = runSynth(platform);
    const dir = join(first.outdir, 'stacks', stackNames()[0]);
    writeFileSync(join(dir, 'cdk.tf'), 'resource "x" "y" {}');
    writeFileSync(join(dir, 'terraform.tfstate'), '{}');
    const again = spawnSync(process.execPath, ['scripts/app.mjs'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, CDKTF_OUTDIR: first.outdir },
    });
    expect(again.status).toBe(0);
    expect(again.stderr).toContain(`synth: removed ${join(dir, 'cdk.tf')}`);
    expect(existsSync(join(dir, 'cdk.tf'))).toBe(false);
    expect(existsSync(join(dir, 'terraform.tfstate'))).toBe(true);
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
      ...structuredClone(prod),
      name: 'variant',
      vpcCidr: '10.70.0.0/16',
      natGateways: 'none',
      database: { ...prod.database, engine: 'postgres', engineVersion: '16' },
      compute: { ...prod.compute, scaling: 'targetTracking' },
    };
    withOwnDomains(variant, 'variant');
    const config = { ...platform, environments: [...platform.environments, variant] };
    const fast = runSynth(config);
    const traced = runSynth(config, { CDKTF_FAST_SYNTH: '0' });
    expect(fast.status).toBe(0);
    expect(traced.status).toBe(0);
    const written = readStacks(fast.outdir);
    expect(Object.keys(written).sort()).toEqual([...stackNames(), 'web-variant'].sort());
    expect(written).toEqual(readStacks(traced.outdir));
    expect(readFileSync(join(fast.outdir, 'manifest.json'), 'utf8')).toBe(readFileSync(join(traced.outdir, 'manifest.json'), 'utf8'));
  });
});
