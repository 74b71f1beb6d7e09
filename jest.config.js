/**
 * Three projects: `unit` (synth-level tests, no Terraform, seconds), `terraform` (real Terraform against
 * the offline provider mirror: validate, plan, mock apply) and `emulated` (every stack applied to moto, the
 * AWS API emulator, on loopback: minutes). `npm test` runs all three.
 * TypeScript is transpiled by esbuild (no type-check here; `npm run build` does that).
 */
const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': '<rootDir>/scripts/jest/transform.cjs' },
  moduleFileExtensions: ['ts', 'js', 'json'],
  setupFiles: ['<rootDir>/__tests__/support/setup.ts'],
  modulePathIgnorePatterns: ['<rootDir>/cdktf.out', '<rootDir>/dist', '<rootDir>/.build'],
};
module.exports = {
  // Every core: Jest's default (cores - 1) is a single worker on a 2-core machine, which leaves a core idle
  // while the CLI tests and Terraform wait on their child processes.
  maxWorkers: '100%',
  testSequencer: '<rootDir>/scripts/jest/sequencer.cjs',
  // A scratch directory per run, removed at the end (no temp folders left behind).
  globalSetup: '<rootDir>/scripts/jest/global-setup.cjs',
  globalTeardown: '<rootDir>/scripts/jest/global-teardown.cjs',
  // In CI, a line per suite start and per finished test (progress while a long Terraform suite runs).
  reporters: ['default', '<rootDir>/scripts/jest/progress-reporter.cjs'],
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
      testPathIgnorePatterns: ['\\.tf\\.test\\.ts$', '\\.emulated\\.test\\.ts$'],
    },
    { ...common, displayName: 'terraform', testMatch: ['<rootDir>/__tests__/**/*.tf.test.ts'] },
    { ...common, displayName: 'emulated', testMatch: ['<rootDir>/__tests__/**/*.emulated.test.ts'] },
  ],
};
