/**
 * Two projects: `unit` (synth-level tests, no Terraform, seconds) and `terraform` (real Terraform
 * against the offline provider mirror: validate, plan, mock apply). `npm test` runs both.
 * TypeScript is transpiled by SWC (no type-check here; `npm run build` does that).
 */
const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }];
const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  moduleFileExtensions: ['ts', 'js', 'json'],
  setupFiles: ['<rootDir>/__tests__/support/setup.ts'],
  modulePathIgnorePatterns: ['<rootDir>/cdktf.out', '<rootDir>/dist', '<rootDir>/.build'],
};
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/__tests__/**/*.test.ts'], testPathIgnorePatterns: ['\\.tf\\.test\\.ts$'] },
    { ...common, displayName: 'terraform', testMatch: ['<rootDir>/__tests__/**/*.tf.test.ts'] },
  ],
};
