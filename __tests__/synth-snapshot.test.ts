/**
 * The synth snapshot (scripts/synth, synth/snapshot.cjs, synth/launch.cjs): what `npm run synth`
 * and cdktf.json start from. These tests share .build/ (the snapshot directory, the bundle's list of
 * externals), so they live in one file and run in order.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readStacks } from './support/synth-output';
import { stackNames } from './support/stacks';

const root = join(__dirname, '..');

describe('the synth snapshot (npm run synth, scripts/synth)', () => {
  const { snapshotIsCurrent } = require('../synth/launch.cjs');
  const fromDisk = /node_modules\/(cdktf|constructs|@cdktf\/provider-aws)\//;

  const snapshotDir = join(root, '.build', 'snapshot');
  // scripts/synth names a snapshot after the cksum of NODE_OPTIONS; this is the one for this test run's.
  const defaultFlags = spawnSync('sh', ['-c', 'printf "%s" "${NODE_OPTIONS:-}" | cksum | cut -d " " -f 1'], {
    encoding: 'utf8',
  }).stdout.trim();
  const blobs = () =>
    existsSync(snapshotDir)
      ? readdirSync(snapshotDir)
          .filter((f) => f.endsWith('.blob'))
          .sort()
      : [];
  let plainStacks: Record<string, string> | undefined; // the plain path's output, from the first test
  const launch = (env: Record<string, string> = {}) => {
    const outdir = join(mkdtempSync(join(tmpdir(), 'synth-launcher-')), 'out');
    // NODE_DEBUG=module lists every module node loads from disk.
    const result = spawnSync('sh', ['scripts/synth'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, CDKTF_OUTDIR: outdir, NODE_DEBUG: 'module', ...env },
    });
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
    expect(fast.stderr).toContain('synth/launch.cjs');
    expect(fast.stderr).not.toMatch(fromDisk);
    const plain = launch({ CDKTF_FAST_SYNTH: '0' });
    expect(plain.stderr).toMatch(fromDisk);
    expect(Object.keys(fast.stacks).sort()).toEqual(stackNames().sort());
    expect(fast.stacks).toEqual(plain.stacks);
    expect(first.stacks).toEqual(plain.stacks);
    plainStacks = plain.stacks;
  });

  it('synthesizes the plain way from a stale snapshot, then rebuilds it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'synth-stale-'));
    const blob = join(dir, 'synth.blob');
    const current = blobs().find((b) => b.endsWith(`-${defaultFlags}.blob`));
    if (current)
      copyFileSync(join(snapshotDir, current), blob); // built by the test above
    else expect(spawnSync(process.execPath, ['synth/snapshot.cjs', blob], { cwd: root }).status).toBe(0);
    const builtAt = statSync(blob).mtimeMs;
    // The app now imports a provider class the snapshot lacks (as after adding a resource type).
    const externalsFile = join(root, '.build', 'main.js.externals.json');
    const externals = readFileSync(externalsFile, 'utf8');
    const added = '@cdktf/provider-aws/lib/s3-object';
    expect(JSON.parse(externals)).not.toContain(added);
    writeFileSync(externalsFile, JSON.stringify([...JSON.parse(externals), added]));
    try {
      const outdir = join(dir, 'out');
      const run = spawnSync(process.execPath, ['--snapshot-blob', blob, join(root, 'scripts', 'app.mjs')], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, CDKTF_OUTDIR: outdir, NODE_DEBUG: 'module' },
      });
      expect(run.status).toBe(0);
      expect(run.stderr).toMatch(fromDisk);
      expect(Object.keys(readStacks(outdir)).sort()).toEqual(stackNames().sort());
      expect(statSync(blob).mtimeMs).toBeGreaterThan(builtAt);
      const rebuilt = readFileSync(join(dir, 'synth.cjs'), 'utf8');
      expect(rebuilt).toContain(JSON.stringify(added));
    } finally {
      writeFileSync(externalsFile, externals);
    }
  });

  it('keeps one snapshot per NODE_OPTIONS (cdktf-cli sets its own), and synthesizes the plain way when node refuses one', () => {
    const ours = blobs();
    expect(ours).toHaveLength(1);
    // cdktf-cli runs the app with NODE_OPTIONS=--max-old-space-size=16384: scripts/synth looks for a
    // snapshot of that name. Put ours there, built without the flag: node refuses it (exit 14) before
    // the app runs, and the launcher synthesizes the plain way instead.
    const cdktfOptions = '--max-old-space-size=16384';
    const flags = spawnSync('sh', ['-c', 'printf "%s" "$NODE_OPTIONS" | cksum | cut -d " " -f 1'], {
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: cdktfOptions },
    }).stdout.trim();
    const theirs = ours[0].replace(/-\d+\.blob$/, `-${flags}.blob`);
    expect(theirs).not.toBe(ours[0]);
    copyFileSync(join(snapshotDir, ours[0]), join(snapshotDir, theirs));
    const refused = launch({ NODE_OPTIONS: cdktfOptions });
    expect(refused.stderr).toContain('synth: node could not load the startup snapshot; synthesizing without it');
    expect(refused.stderr).toMatch(fromDisk);
    expect(plainStacks).toBeDefined();
    expect(refused.stacks).toEqual(plainStacks);
    expect(blobs()).toEqual(ours); // the refused one is gone (the next cdktf run builds its own)
  });

  it('counts a snapshot stale when what it was built from changed, or the app imports a package path it lacks', () => {
    const meta = { fingerprint: 'f1', modules: ['cdktf', 'constructs', '@cdktf/provider-aws/lib/vpc'] };
    expect(snapshotIsCurrent(meta, 'f1', ['cdktf', '@cdktf/provider-aws/lib/vpc'])).toBe(true);
    expect(snapshotIsCurrent(meta, 'f1', ['cdktf', 'fs', 'node:path'])).toBe(true); // built-ins load at run time
    expect(snapshotIsCurrent(meta, 'f2', ['cdktf'])).toBe(false);
    expect(snapshotIsCurrent(meta, 'f1', ['cdktf', '@cdktf/provider-aws/lib/subnet'])).toBe(false);
    expect(snapshotIsCurrent(meta, 'f1', ['cdktf/lib/tokens/private/resolve'])).toBe(false);
    // A package that requires cdktf itself must not load from disk: it would get a cdktf of its own.
    expect(snapshotIsCurrent(meta, 'f1', ['cdktf', 'some-constructs-library'])).toBe(false);
  });
});
