// Same fast path as `npm run synth`: no per-token stack traces (output is identical; see synth-cli.test.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('../../scripts/lib/fast-synth.cjs').skipTokenStackTraces();
