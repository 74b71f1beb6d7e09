import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '..');
const SKIP = new Set(['node_modules', 'cdktf.out', 'dist', '.build', '.git', 'coverage']);

/** Every TypeScript and JavaScript source file of the project. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    if (SKIP.has(entry)) return [];
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|mts|cts|js|mjs|cjs)$/.test(entry) ? [path] : [];
  });
}

// The package root loads all ~1,500 resource classes (~5 s, ~570 MiB); a deep path loads one.
const ROOT_IMPORT = /(from\s+|require\(\s*|import\(\s*)['"]@cdktf\/provider-aws['"]/;

describe('imports', () => {
  it('take provider classes by deep path only, never from the package root', () => {
    const offenders = sources(root)
      .filter((file) => ROOT_IMPORT.test(readFileSync(file, 'utf8')))
      .map((file) => relative(root, file));
    expect(offenders).toEqual([]);
  });

  it('scan the project (the check above is not vacuous)', () => {
    const files = sources(root).map((f) => relative(root, f));
    expect(files).toEqual(expect.arrayContaining(['main.ts', 'modules/network.ts', 'stacks/web-stack.ts']));
    const pkg = ['@cdktf', 'provider-aws'].join('/'); // spelled out, this file would flag itself
    expect(ROOT_IMPORT.test(`import { Vpc } from '${pkg}';`)).toBe(true);
    expect(ROOT_IMPORT.test(`const aws = require("${pkg}")`)).toBe(true);
    expect(ROOT_IMPORT.test(`import { Vpc } from '${pkg}/lib/vpc';`)).toBe(false);
  });
});
