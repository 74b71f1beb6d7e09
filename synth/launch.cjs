// Runs a TypeScript entry of this project (default main.ts) the fast way, without type-checking (that is
// `npm run build`): esbuild bundles our own sources (dependencies stay external, loaded by node as usual)
// into .build/, and the bundle runs in this process. The bundle is reused while none of its input files
// changed, so a repeated run does not even load esbuild.
//
// Two ways in:
//   - `run()`, from scripts/app.mjs: a plain node process; the dependencies load from node_modules.
//   - `runFromSnapshot()`, from a V8 startup snapshot (synth/snapshot.cjs, started by scripts/synth):
//     cdktf, constructs and the provider classes the app imports are already in the heap, so the bundle's
//     requires of them are answered from there. If the snapshot no longer matches what is installed or what
//     the app imports, the app runs the plain way instead and the snapshot is rebuilt for the next run.
'use strict';
const { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { dirname, join, resolve } = require('node:path');
const vm = require('node:vm');

const root = resolve(__dirname, '..');

/** Where the bundle of `entry` and its bookkeeping live. */
function bundlePaths(entry) {
  const outfile = join(root, '.build', entry.replace(/\.ts$/, '.js'));
  return { outfile, inputsFile: `${outfile}.inputs.json`, externalsFile: `${outfile}.externals.json` };
}

/** True when the bundle exists and is newer than every source file that went into it. */
function bundleIsFresh(entry) {
  const { outfile, inputsFile, externalsFile } = bundlePaths(entry);
  if (!existsSync(outfile) || !existsSync(inputsFile) || !existsSync(externalsFile)) return false;
  const built = statSync(outfile).mtimeMs;
  const inputs = JSON.parse(readFileSync(inputsFile, 'utf8'));
  return inputs.every((file) => existsSync(join(root, file)) && statSync(join(root, file)).mtimeMs < built);
}

/** Bundles `entry` into .build/ with esbuild; records its input files and the packages it leaves external. */
function bundle(entry) {
  const { buildSync } = require('esbuild');
  const { outfile, inputsFile, externalsFile } = bundlePaths(entry);
  const result = buildSync({
    entryPoints: [join(root, entry)],
    outfile,
    write: false,
    metafile: true,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked', // main.js.map beside the bundle, read only under --enable-source-maps
    absWorkingDir: root,
    logLevel: 'warning',
  });
  const imports = Object.values(result.metafile.outputs).flatMap((o) => o.imports);
  const externals = [...new Set(imports.filter((i) => i.external && !i.path.startsWith('node:')).map((i) => i.path))].sort();
  // Write-then-rename: concurrent runs (parallel test workers) never see a half-written file; the bundle
  // goes last, so it is never newer than bookkeeping that does not describe it.
  mkdirSync(dirname(outfile), { recursive: true });
  const put = (file, contents) => {
    writeFileSync(`${file}.${process.pid}.tmp`, contents);
    renameSync(`${file}.${process.pid}.tmp`, file);
  };
  put(inputsFile, JSON.stringify(Object.keys(result.metafile.inputs)));
  put(externalsFile, JSON.stringify(externals));
  const js = result.outputFiles.find((f) => f.path === outfile);
  for (const f of result.outputFiles) if (f !== js) put(f.path, f.contents);
  put(outfile, js.contents);
}

/** The bundle of `entry`, rebuilt first when a source changed. Returns its paths. */
function ensureBundle(entry) {
  if (!bundleIsFresh(entry)) bundle(entry);
  return bundlePaths(entry);
}

/** The packages (and deep paths) the bundle of `entry` requires at run time. */
function externalsOf(entry) {
  return JSON.parse(readFileSync(bundlePaths(entry).externalsFile, 'utf8'));
}

/** Loads `file` as a CommonJS module whose requires are answered from `preloaded` first. */
function loadWith(file, preloaded) {
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(dirname(file));
  const fromDisk = Module.createRequire(file);
  const req = (id) => (Object.prototype.hasOwnProperty.call(preloaded, id) ? preloaded[id] : fromDisk(id));
  req.resolve = fromDisk.resolve;
  req.cache = Module._cache;
  const wrapper = vm.runInThisContext(Module.wrap(readFileSync(file, 'utf8')), { filename: file });
  wrapper.call(mod.exports, mod.exports, req, mod, file, dirname(file));
  return mod.exports;
}

/**
 * Runs `entry` (a .ts path relative to the project, default main.ts; from argv when it names one) in this
 * process, with the synth savings of ./fast-synth.cjs. Source maps stay off: they cost ~30 MiB on every
 * run. For TypeScript positions in a stack trace, run `node --enable-source-maps scripts/app.mjs` (the
 * bundle links its map).
 */
function run(argv = process.argv.slice(2)) {
  const entry = argv[0]?.endsWith('.ts') ? argv[0] : 'main.ts';
  const { outfile } = ensureBundle(entry);
  const fast = require('./fast-synth.cjs');
  fast.deferArchiver();
  fast.skipTokenStackTraces();
  fast.fastResolve();
  require(outfile);
}

/**
 * Whether a snapshot built with `meta` can run the app now: same installed packages and synth savings
 * (the fingerprint), and every package path the app's bundle requires is in the snapshot.
 */
function snapshotIsCurrent(meta, fingerprint, externals) {
  const { isSnapshotted } = require('./snapshot.cjs');
  const inSnapshot = new Set(meta.modules);
  return meta.fingerprint === fingerprint && externals.every((id) => inSnapshot.has(id) || !isSnapshotted(id));
}

/** Entry from the startup snapshot (see the file comment). `preloaded`: module id → exports. */
function runFromSnapshot(preloaded, meta) {
  const snapshot = require('./snapshot.cjs');
  const { outfile } = ensureBundle('main.ts');
  if (!snapshotIsCurrent(meta, snapshot.fingerprint(), externalsOf('main.ts'))) {
    const at = process.execArgv.findIndex((a) => a === '--snapshot-blob' || a.startsWith('--snapshot-blob='));
    const arg = process.execArgv[at];
    const blob = resolve(arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : process.execArgv[at + 1]);
    process.once('exit', (code) => {
      if (code !== 0) return;
      try {
        snapshot.buildSnapshot(blob);
      } catch (error) {
        console.error(`synth: could not rebuild the startup snapshot ${blob}: ${error.message}`);
      }
    });
    return run(['main.ts']);
  }
  loadWith(outfile, preloaded);
}

module.exports = { root, run, runFromSnapshot, ensureBundle, externalsOf, snapshotIsCurrent };
