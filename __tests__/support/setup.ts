// Same fast path as `npm run synth`: no per-token stack traces, and the allocation-free token resolver
// (output is identical; see synth-cli.test.ts and fast-resolve.test.ts).
const fast = require('../../synth/fast-synth.cjs');
fast.skipTokenStackTraces();
fast.fastResolve();
