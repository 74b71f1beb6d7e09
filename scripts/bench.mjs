// `npm run bench`: how fast synth is, measured against the cdktf template's way in the same run.
//
// For the default app (web-state, web-dev, web-prod): median wall time and peak memory (max RSS, GNU time)
// over BENCH_RUNS (default 7) interleaved rounds of
//   1. `cdktf synth --app "npx ts-node main.ts"`  (the cdktf template default)
//   2. `npx ts-node main.ts`                        (the template's app alone, type-checking)
//   3. `npm run synth`                              (ours: scripts/synth, from the synth snapshot)
//   4. `sh scripts/synth`                           (ours, without npm's own start-up)
//   5. `node --max-semi-space-size=1 scripts/app.mjs` (ours without the snapshot: dependencies from disk)
// each with its ratio to ours. Then a scale series: one app synthesizing 1, 10 and 50 environment stacks,
// (plus the bootstrap stack) and the cost of each extra stack. Prints a Markdown table and the machine it ran on.
// Needs GNU time at /usr/bin/time (Debian package `time`).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, freemem, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const TIME = '/usr/bin/time';
if (!existsSync(TIME)) {
  console.error('npm run bench needs GNU time at /usr/bin/time: apt-get install time');
  process.exit(1);
}

/** Runs `command` through GNU time; returns wall seconds and peak RSS in MiB. */
function measure(command, env = {}) {
  const out = mkdtempSync(join(tmpdir(), 'bench-'));
  const stats = join(out, 'time.txt');
  const result = spawnSync(TIME, ['-f', '%e %M', '-o', stats, 'bash', '-c', command], {
    cwd: root,
    env: { ...process.env, CHECKPOINT_DISABLE: '1', CDKTF_OUTDIR: join(out, 'cdktf.out'), ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    console.error(`"${command}" failed:\n${result.stdout}\n${result.stderr}`);
    process.exit(1);
  }
  const [wall, kib] = readFileSync(stats, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  rmSync(out, { recursive: true, force: true });
  return { wall, mib: kib / 1024 };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * Measures each of `commands` ([command, env]) RUNS times after one warm-up run each (file cache, esbuild
 * bundle, synth snapshot), in rounds: every round runs every command once, so a machine that speeds up or
 * slows down during the bench (this one drifts) weighs on all of them alike. Returns median wall time and
 * peak memory per command.
 */
function rounds(commands) {
  for (const [command, env] of commands) measure(command, env);
  const runs = commands.map(() => []);
  for (let round = 0; round < RUNS; round++) commands.forEach(([command, env], i) => runs[i].push(measure(command, env)));
  return runs.map((rs) => ({ wall: median(rs.map((r) => r.wall)), mib: Math.max(...rs.map((r) => r.mib)) }));
}

const OURS = 'sh scripts/synth';
const PLAIN = 'node --max-semi-space-size=1 scripts/app.mjs';
const candidates = [
  [
    '`cdktf synth --app "npx ts-node main.ts"` (template default)',
    'npx cdktf synth --app "npx ts-node main.ts" --output "$CDKTF_OUTDIR" >/dev/null',
  ],
  ['`npx ts-node main.ts`', 'npx ts-node main.ts >/dev/null'],
  ['`npm run synth` (ours)', 'npm run --silent synth >/dev/null 2>&1'],
  [`\`${OURS}\` (ours, no npm)`, `${OURS} >/dev/null 2>&1`],
  [`\`${PLAIN}\` (ours, no npm, no snapshot)`, `${PLAIN} >/dev/null 2>&1`],
];

console.error(`Benchmarking the default app, ${RUNS} rounds (+1 warm-up)…`);
const results = rounds(candidates.map(([, command]) => [command, {}])).map((r, i) => {
  console.error(`  ${candidates[i][0]}: ${r.wall.toFixed(2)} s, ${r.mib.toFixed(0)} MiB`);
  return { label: candidates[i][0], ...r };
});
const ours = results[2];

/** A config of `n` environments built from the shipped dev environment (plus the shipped state section). */
function scaleConfig(n) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-config-'));
  const file = join(dir, 'platform.json');
  const shipped = JSON.parse(readFileSync(join(root, '.build', 'bench-platform.json'), 'utf8'));
  const base = shipped.environments.find((e) => e.name === 'dev');
  const environments = Array.from({ length: n }, (_, i) => ({ ...base, name: `env${i + 1}`, vpcCidr: `10.${i + 1}.0.0/16` }));
  writeFileSync(file, JSON.stringify({ ...shipped, environments }));
  return file;
}
// The shipped config as JSON, straight from the typed config.
const dump = spawnSync(process.execPath, ['scripts/app.mjs', 'scripts/dump-config.ts'], { cwd: root, encoding: 'utf8' });
if (dump.status !== 0) throw new Error(dump.stderr);
writeFileSync(join(root, '.build', 'bench-platform.json'), dump.stdout);

console.error('Scale series…');
const sizes = [1, 10, 50];
const scale = rounds(sizes.map((n) => [`${OURS} >/dev/null 2>&1`, { PLATFORM_CONFIG: scaleConfig(n) }])).map((r, i) => {
  console.error(`  ${sizes[i]} stacks: ${r.wall.toFixed(2)} s, ${r.mib.toFixed(0)} MiB`);
  return { n: sizes[i], ...r };
});
const perStack = (scale[2].wall - scale[0].wall) / (scale[2].n - scale[0].n);

const cpu = cpus();
const lines = [
  `Machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM (${(freemem() / 2 ** 30).toFixed(0)} GiB free), Node ${process.version}, ${RUNS} rounds (each command once per round), median wall time, peak RSS.`,
  '',
  '| default app (web-state, web-dev, web-prod) | wall (median) | peak memory | vs ours |',
  '| --- | ---: | ---: | ---: |',
  ...results.map((r) => `| ${r.label} | ${r.wall.toFixed(2)} s | ${r.mib.toFixed(0)} MiB | ${(r.wall / ours.wall).toFixed(1)}× |`),
  '',
  '| one app, N environment stacks + bootstrap (ours, no npm) | wall (median) | peak memory |',
  '| --- | ---: | ---: |',
  ...scale.map((r) => `| ${r.n} | ${r.wall.toFixed(2)} s | ${r.mib.toFixed(0)} MiB |`),
  '',
  `Cost per extra environment stack: ${(perStack * 1000).toFixed(0)} ms.`,
];
console.log(lines.join('\n'));
