// The synth snapshot: a V8 startup snapshot (node --build-snapshot) of the heap after every package the
// app imports (cdktf, constructs, each provider class) has loaded, with the savings of ./fast-synth.cjs.
// Before the heap is saved, one synth of the shipped environments runs in it (./snapshot-warmup.ts), so
// the functions a synth calls are compiled already. scripts/synth starts node from the snapshot: a synth
// skips loading and compiling ~10 MB of JavaScript, and only the app's own code (.build/main.js) loads
// from disk (./launch.cjs, runFromSnapshot).
//
// A snapshot belongs to one Node.js version, architecture and set of V8 flags (scripts/synth names the
// file after them) and records a fingerprint of what it was built from: the installed packages, the
// synth savings, this file, the project's path. When the fingerprint differs, or the app imports a
// package path the snapshot lacks, the app runs the plain way and the snapshot is rebuilt (~1.5 s).
//   node synth/snapshot.cjs <dir>/<name>.blob   builds the snapshot into <dir>/<name>.blob, and
//                                                     keeps the script it snapshotted as <dir>/<name>.cjs
'use strict';
const { spawnSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const { existsSync, mkdirSync, readFileSync, renameSync, rmSync } = require('node:fs');
const { isBuiltin } = require('node:module');
const { dirname, join, resolve } = require('node:path');

const root = resolve(__dirname, '..');

/**
 * Every package the app requires lives in the snapshot, not only cdktf and the provider: a package loaded
 * from disk that requires cdktf would get a second cdktf, whose constructs the snapshot's do not know.
 * Only Node.js built-ins load at run time.
 */
const isSnapshotted = (id) => !isBuiltin(id);

/**
 * What a snapshot depends on besides the module list: any change here makes it stale. (The warm-up's
 * sources are not part of it: an older warm-up only makes a synth a little slower, never different.)
 */
function fingerprint() {
  const hash = createHash('sha256');
  hash.update(`${process.version} ${process.platform} ${process.arch} ${root}\n`);
  const lock = existsSync(join(root, 'node_modules', '.package-lock.json')) ? 'node_modules/.package-lock.json' : 'package-lock.json';
  for (const file of [lock, 'synth/fast-synth.cjs', 'synth/fast-resolve.cjs', 'synth/lazy-archiver.cjs', 'synth/snapshot.cjs']) {
    hash.update(`${file}\n`);
    hash.update(existsSync(join(root, file)) ? readFileSync(join(root, file)) : 'missing');
  }
  return hash.digest('hex');
}

/** Source of the script node snapshots: loads the modules, applies the savings, sets the entry. */
function entrySource(meta) {
  const requires = meta.modules.map((id) => `  ${JSON.stringify(id)}: require(${JSON.stringify(id)}),`);
  return `'use strict';
const fast = require(${JSON.stringify(join(root, 'synth', 'fast-synth.cjs'))});
fast.skipTokenStackTraces();
fast.fastResolve();
const preloaded = {
${requires.join('\n')}
};
const meta = ${JSON.stringify(meta)};
require(${JSON.stringify(join(root, 'synth', 'snapshot-warmup.ts'))}).warmUp();
require('node:v8').startupSnapshot.setDeserializeMainFunction(() => {
  // cdktf reads this variable when it loads, which was in the process that built the snapshot.
  preloaded['cdktf/lib/util'].terraformBinaryName = process.env.TERRAFORM_BINARY_NAME || 'terraform';
  // scripts/synth runs \`node --snapshot-blob <blob> <project>/scripts/app.mjs ...\`.
  const app = require('node:path').resolve(process.argv[1]);
  require('node:module').createRequire(app)('../synth/launch.cjs').runFromSnapshot(preloaded, meta);
});
`;
}

/** Builds the snapshot for the app as its sources are now into `blob` (write-then-rename). */
function buildSnapshot(blob) {
  const { ensureBundle, externalsOf } = require('./launch.cjs');
  ensureBundle('main.ts');
  const modules = [...new Set([...externalsOf('main.ts').filter(isSnapshotted), 'cdktf/lib/util'])].sort();
  const meta = { fingerprint: fingerprint(), modules };
  if (!blob.endsWith('.blob')) throw new Error(`a snapshot file name must end in .blob: ${blob}`);
  mkdirSync(dirname(blob), { recursive: true });
  // The bundle node snapshots stays beside the snapshot: stack traces from the snapshot point into it.
  const script = blob.replace(/\.blob$/, '.cjs');
  const scriptTmp = `${script}.${process.pid}.tmp`;
  const tmp = `${blob}.${process.pid}.tmp`;
  try {
    require('esbuild').buildSync({
      stdin: { contents: entrySource(meta), resolveDir: root, sourcefile: 'snapshot-entry.cjs', loader: 'js' },
      outfile: scriptTmp,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      alias: { archiver: join(root, 'synth', 'lazy-archiver.cjs') },
      absWorkingDir: root,
      logLevel: 'error',
    });
    renameSync(scriptTmp, script); // concurrent builders write the same bundle
    const env = { ...process.env };
    delete env.CDKTF_FAST_SYNTH;
    const built = spawnSync(process.execPath, ['--snapshot-blob', tmp, '--build-snapshot', script], { cwd: root, env, encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`node --build-snapshot failed (exit ${built.status}):\n${built.stderr}`);
    renameSync(tmp, blob);
  } finally {
    rmSync(scriptTmp, { force: true });
    rmSync(tmp, { force: true });
  }
  return meta;
}

module.exports = { buildSnapshot, fingerprint, isSnapshotted };

if (require.main === module) {
  if (!process.argv[2]?.endsWith('.blob')) {
    console.error('usage: node synth/snapshot.cjs <dir>/<name>.blob');
    process.exit(2);
  }
  buildSnapshot(resolve(process.argv[2]));
}
