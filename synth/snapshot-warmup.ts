/**
 * Bundled into the synth snapshot (synth/snapshot.cjs) and run once while it is built: synthesizes
 * the shipped environments (config/environments.ts, never PLATFORM_CONFIG) into a temp directory, so V8
 * has compiled the functions a synth calls before the heap is saved. Best effort: a failure only means a
 * colder snapshot. Afterwards it forgets the tokens it created, so nothing of this app stays reachable and
 * the garbage collector drops it before the snapshot is written.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdktf';
import { TokenMap } from 'cdktf/lib/tokens/private/token-map';
import { platform } from '../config/environments';
import { validateConfig } from '../config/validate';
import { buildStacks } from '../stacks';

interface TokenMapInternals {
  stringTokenMap: Map<string, unknown>;
  numberTokenMap: Map<number, unknown>;
}

/** Returns whether the synth completed. Writes into a temp directory under `parent`, then removes it. */
export function warmUp(parent: string = tmpdir()): boolean {
  // The token registry cdktf keeps for the whole process; its maps are private.
  const tokens = TokenMap.instance() as unknown as TokenMapInternals;
  const before = { strings: new Set(tokens.stringTokenMap.keys()), numbers: new Set(tokens.numberTokenMap.keys()) };
  const outdir = mkdtempSync(join(parent, 'synth-warmup-'));
  try {
    const app = new App({ outdir, stackTraces: false });
    buildStacks(app, validateConfig(platform));
    app.synth();
    return true;
  } catch {
    // A shipped config that does not synthesize fails `npm run synth` and the tests, not the snapshot.
    return false;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
    for (const key of [...tokens.stringTokenMap.keys()]) if (!before.strings.has(key)) tokens.stringTokenMap.delete(key);
    for (const key of [...tokens.numberTokenMap.keys()]) if (!before.numbers.has(key)) tokens.numberTokenMap.delete(key);
  }
}
