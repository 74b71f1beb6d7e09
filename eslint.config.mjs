// Lint: ESLint with typescript-eslint, formatting: Prettier (.prettierrc.json) — two tools that each do one
// job well: typescript-eslint's type-aware rules catch what matters in this code (promises nobody awaits in
// the test harness and the stack commands, thenables awaited by mistake), Prettier ends every style debate.
// `npm run lint` runs both (Prettier in --check mode); `npm run format` rewrites the files.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdktf.out/', 'dist/', 'coverage/', '.build/', '.scratch/', '.gen/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      // Synthesized stacks and plans are JSON documents read by shape: `any` is the honest type there.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Validation refuses control characters, so its patterns name them on purpose.
    rules: { 'no-control-regex': 'off' },
  },
  {
    // Tests load modules inside a test, after setting the environment or the module registry they read.
    files: ['__tests__/**/*.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.cjs', '**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  { files: ['**/*.mjs'], languageOptions: { globals: { ...globals.node } } },
);
