// Runs a TypeScript entry (default main.ts) the fast way, without type-checking (that is `npm run build`):
// esbuild bundles our own sources (dependencies stay external, loaded by node as usual) into .build/, and
// the bundle runs in this process. The bundle is reused while none of its input files changed, so a
// repeated synth does not even start esbuild. Used by `npm run synth` and by cdktf.json's "app", so
// `cdktf deploy/diff` synthesize just as fast.
//   node scripts/app.mjs [entry.ts] [args...]
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = process.argv[2]?.endsWith('.ts') ? process.argv[2] : 'main.ts';
const outfile = join(root, '.build', entry.replace(/\.ts$/, '.js'));
const inputsFile = `${outfile}.inputs.json`;

/** True when the bundle exists and is newer than every source file that went into it. */
function bundleIsFresh() {
  if (!existsSync(outfile) || !existsSync(inputsFile)) return false;
  const built = statSync(outfile).mtimeMs;
  const inputs = JSON.parse(readFileSync(inputsFile, 'utf8'));
  return inputs.every((file) => existsSync(join(root, file)) && statSync(join(root, file)).mtimeMs < built);
}

async function bundle() {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [join(root, entry)],
    outfile,
    write: false,
    metafile: true,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    sourcemap: 'inline',
    absWorkingDir: root,
    logLevel: 'warning',
  });
  // Write-then-rename: concurrent runs (parallel test workers) never see a half-written bundle.
  mkdirSync(dirname(outfile), { recursive: true });
  const tmp = `${outfile}.${process.pid}.tmp`;
  writeFileSync(tmp, result.outputFiles[0].contents);
  writeFileSync(`${inputsFile}.${process.pid}.tmp`, JSON.stringify(Object.keys(result.metafile.inputs)));
  renameSync(`${inputsFile}.${process.pid}.tmp`, inputsFile);
  renameSync(tmp, outfile);
}

if (!bundleIsFresh()) await bundle();
const require = createRequire(import.meta.url);
const fast = require('./lib/fast-synth.cjs');
fast.deferArchiver();
fast.skipTokenStackTraces();
fast.fastResolve();
// Source maps stay off: they cost ~30 MiB on every run. For TypeScript positions in a stack trace,
// run `node --enable-source-maps scripts/app.mjs` (the bundle carries an inline map).
const underCli = process.env.CDKTF_OUTDIR !== undefined; // cdktf-cli prints annotations itself
require(outfile);

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
