/**
 * `npm run cost`: the monthly estimate of every environment (USD, on-demand, the environment's region) from
 * the stacks in cdktf.out (the npm script synthesizes first) and the usage each config assumes.
 *
 *   npm run cost [-- --json | --markdown] [--diff <git ref>]
 *
 * --diff prices the same environments at a git ref and prints what changes (Markdown with --markdown, for a
 * pull request comment).
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigFileError, loadPlatformConfig } from '../config/load';
import { ConfigError, validateConfig } from '../config/validate';
import { CostError, diffEstimates, diffToText, estimatePlatform, toJson, toMarkdown, toText } from '../cost';
import { estimatesAt } from '../cost/base';

const USAGE = 'usage: npm run cost [-- --json | --markdown] [--diff <git ref>] [--from <synth dir>]';

function main(): number {
  let values: { json?: boolean; markdown?: boolean; diff?: string; from?: string };
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2).filter((a) => !a.endsWith('.ts')),
      options: { json: { type: 'boolean' }, markdown: { type: 'boolean' }, diff: { type: 'string' }, from: { type: 'string' } },
      strict: true,
    }));
    if (values.json && values.markdown) throw new Error('--json and --markdown exclude each other');
  } catch (error) {
    console.error(`cost: ${(error as Error).message}; ${USAGE}`);
    return 2;
  }
  // The bundle runs from <root>/.build/scripts/.
  const root = resolve(__dirname, '..', '..');
  try {
    const head = estimatePlatform(validateConfig(loadPlatformConfig()), resolve(values.from ?? join(root, 'cdktf.out')));
    if (values.diff !== undefined) {
      const diffs = diffEstimates(estimatesAt(values.diff, root), head);
      process.stdout.write(
        values.json
          ? `${JSON.stringify({ ref: values.diff, diffs }, null, 2)}\n`
          : diffToText(diffs, values.diff, values.markdown === true),
      );
      return 0;
    }
    process.stdout.write(values.json ? toJson(head) : values.markdown ? toMarkdown(head) : toText(head));
    return 0;
  } catch (error) {
    if (!(error instanceof CostError || error instanceof ConfigError || error instanceof ConfigFileError)) throw error;
    console.error(error.message);
    return 1;
  }
}

process.exitCode = main();
