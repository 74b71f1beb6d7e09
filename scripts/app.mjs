// Runs main.ts the fast way: esbuild bundles our TypeScript (dependencies stay external) in a few
// milliseconds, without type-checking (that is `npm run build`), then the bundle runs in this process.
// Used by `npm run synth` and by cdktf.json's "app", so `cdktf deploy/diff` synthesize just as fast.
import { buildSync } from 'esbuild';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = process.argv[2] ?? 'main.ts';
const outfile = join(root, '.build', entry.replace(/\.ts$/, '.js'));
buildSync({
  entryPoints: [join(root, entry)],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  sourcemap: 'inline',
  logLevel: 'warning',
});
process.setSourceMapsEnabled(true);
createRequire(import.meta.url)(outfile);
