// Same fast path as `npm run synth`: no per-token stack traces, and the allocation-free token resolver
// (output is identical; see synth-cli.test.ts and fast-resolve.test.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fast = require('../../synth/fast-synth.cjs');
fast.skipTokenStackTraces();
fast.fastResolve();
