// Runs a TypeScript entry of this project without type-checking (that is `npm run build`): esbuild
// bundles our sources into .build/ and the bundle runs in this process (synth/launch.cjs).
//   node scripts/app.mjs [entry.ts] [args...]      (default entry: main.ts, the synth)
// `npm run synth` and cdktf.json's app go through scripts/synth, which starts this from the synth snapshot.
import { createRequire } from 'node:module';

createRequire(import.meta.url)('../synth/launch.cjs').run();
