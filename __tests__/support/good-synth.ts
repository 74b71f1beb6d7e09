import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { platform } from '../../config/environments';
import { ConfigFileError } from '../../config/load';
import { ConfigError } from '../../config/validate';
import { synthesizePlatform } from '../../stacks';

/** Every file under `dir` with its size, modification time and content hash: any write changes it. */
function digest(dir: string): string {
  const lines: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else
        lines.push(
          `${path} ${statSync(path).size} ${statSync(path).mtimeMs} ${createHash('sha256').update(readFileSync(path)).digest('hex')}`,
        );
    }
  };
  walk(dir);
  return lines.join('\n');
}

export interface GoodSynth {
  /** A scratch directory of the test file, removed after it. */
  readonly work: () => string;
  /** Where the good synth wrote. */
  readonly outdir: () => string;
  /**
   * What `npm run synth` does with `input()` (main.ts), over the output of the good synth: the error it stops
   * with, after checking that not a byte of that output changed.
   */
  readonly refuse: (input: () => unknown) => ConfigError | ConfigFileError;
}

/** Synthesizes the shipped config before the file's tests (a previous good synth), removes it after. */
export function withGoodSynth(): GoodSynth {
  let work = '';
  let outdir = '';
  let before = '';
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'config-contract-'));
    outdir = join(work, 'cdktf.out');
    synthesizePlatform(platform, outdir);
    before = digest(outdir);
    expect(before).toContain('cdk.tf.json');
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  return {
    work: () => work,
    outdir: () => outdir,
    refuse: (input) => {
      let thrown: unknown;
      try {
        synthesizePlatform(input(), outdir);
      } catch (error) {
        thrown = error;
      }
      expect(digest(outdir)).toBe(before);
      if (!(thrown instanceof ConfigError || thrown instanceof ConfigFileError))
        throw new Error(`expected a ConfigError, got ${String(thrown)}`);
      return thrown;
    },
  };
}

/** One test per case: synth stops with exactly the case's problems and leaves the good synth's output as it was. */
export function itRefusesEach(
  good: GoodSynth,
  cases: readonly { readonly name: string; readonly build: () => unknown; readonly problems: readonly string[] }[],
  prefix = '',
): void {
  it.each(cases.map((c) => [`${prefix}${c.name}`, c] as const))('%s', (_name, c) => {
    const error = good.refuse(c.build);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual(c.problems);
  });
}
