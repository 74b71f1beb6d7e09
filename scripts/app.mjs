// Runs main.ts the fast way: esbuild bundles our TypeScript (dependencies stay external) in a few
// milliseconds, without type-checking (that is `npm run build`), then the bundle runs in this process.
// Used by `npm run synth` and by cdktf.json's "app", so `cdktf deploy/diff` synthesize just as fast.
import { buildSync } from 'esbuild';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = process.argv[2] ?? 'main.ts';
const outfile = join(root, '.build', entry.replace(/\.ts$/, '.js'));
const { outputFiles } = buildSync({
  entryPoints: [join(root, entry)],
  outfile,
  write: false,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  sourcemap: 'inline',
  logLevel: 'warning',
});
// Write-then-rename: concurrent runs (parallel test workers) never see a half-written bundle.
mkdirSync(dirname(outfile), { recursive: true });
writeFileSync(`${outfile}.${process.pid}.tmp`, outputFiles[0].contents);
renameSync(`${outfile}.${process.pid}.tmp`, outfile);
process.setSourceMapsEnabled(true);
const underCli = process.env.CDKTF_OUTDIR !== undefined; // cdktf-cli prints annotations itself
createRequire(import.meta.url)(outfile);

// Print the stacks' warnings and errors (cdktf only records them in the manifest).
const manifest = join(process.env.CDKTF_OUTDIR ?? join(root, 'cdktf.out'), 'manifest.json');
if (!underCli && entry === 'main.ts' && existsSync(manifest)) {
  const { stacks } = JSON.parse(readFileSync(manifest, 'utf8'));
  for (const [name, stack] of Object.entries(stacks)) {
    for (const { level, message, constructPath } of stack.annotations ?? []) {
      const kind = level.replace('@cdktf/', '').toUpperCase();
      console.error(`[${kind}] ${name} (${constructPath}): ${message}`);
    }
  }
}
