/**
 * `npm run cost -- --diff <ref>`: the estimates of the project as it was at a git ref. The ref's files are
 * taken with `git archive` into a scratch directory (nothing in the work tree changes), synthesized there with
 * this checkout's node_modules, and priced with this checkout's price table and validation (usage the ref's
 * config does not state takes today's defaults). PLATFORM_CONFIG, when set, is the config of both sides.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPlatformConfig, CONFIG_FILE_VARIABLE } from '../config/load';
import { validateConfig } from '../config/validate';
import { CostError, type Estimate } from './estimate';
import { estimatePlatform } from './index';

function run(command: string, args: readonly string[], cwd: string, what: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.error) throw new CostError(`cost --diff: ${what}: ${result.error.message}`);
  if (result.status !== 0)
    throw new CostError(`cost --diff: ${what} failed (exit ${result.status}):\n${(result.stderr || result.stdout).trim()}`);
  return result.stdout;
}

/** The estimates of every environment at `ref` of the repository at `root`, synthesized with the packages in `modules`. */
export function estimatesAt(ref: string, root: string, modules = join(root, 'node_modules')): Estimate[] {
  if (ref.startsWith('-')) throw new CostError(`cost --diff: ${ref} is not a git ref`);
  const commit = run('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], root, `git rev-parse ${ref}`).trim();
  const work = mkdtempSync(join(tmpdir(), 'cost-base-'));
  try {
    const archive = spawnSync('git', ['archive', '--format=tar', commit], { cwd: root, maxBuffer: 1024 * 1024 * 1024 });
    if (archive.status !== 0) throw new CostError(`cost --diff: git archive ${ref} failed: ${archive.stderr.toString().trim()}`);
    const untar = spawnSync('tar', ['-x', '-C', work], { input: archive.stdout });
    if (untar.status !== 0) throw new CostError(`cost --diff: unpacking ${ref} failed: ${untar.stderr.toString().trim()}`);
    symlinkSync(modules, join(work, 'node_modules'), 'dir');
    const app = join(work, 'scripts', 'app.mjs');
    run(process.execPath, [app], work, `npm run synth at ${ref}`);
    const input =
      CONFIG_FILE_VARIABLE in process.env
        ? loadPlatformConfig()
        : JSON.parse(run(process.execPath, [app, 'scripts/dump-config.ts'], work, `reading the config at ${ref}`));
    return estimatePlatform(validateConfig(input), join(work, 'cdktf.out'));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
