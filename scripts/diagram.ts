/**
 * `npm run diagram`: the architecture diagram of every environment stack, drawn from the stacks in cdktf.out
 * (the npm script synthesizes first): dist/diagram/<stack>.svg and the Graphviz source it was laid out from,
 * <stack>.dot.
 *
 *   node scripts/app.mjs scripts/diagram.ts [--from cdktf.out] [--out dist/diagram]
 */
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigFileError, loadPlatformConfig } from '../config/load';
import { ConfigError, validateConfig } from '../config/validate';
import { DiagramError, drawPlatform } from '../diagram';

async function main(): Promise<number> {
  let values: { from?: string; out?: string };
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2).filter((a) => !a.endsWith('.ts')),
      options: { from: { type: 'string' }, out: { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    console.error(`diagram: ${(error as Error).message}; usage: npm run diagram [-- --from <synth dir>] [--out <dir>]`);
    return 2;
  }
  // The bundle runs from <root>/.build/scripts/.
  const root = resolve(__dirname, '..', '..');
  try {
    const config = validateConfig(loadPlatformConfig());
    const written = await drawPlatform(
      config,
      resolve(values.from ?? join(root, 'cdktf.out')),
      resolve(values.out ?? join(root, 'dist', 'diagram')),
    );
    for (const file of written) console.log(`diagram: wrote ${relative(process.cwd(), file)} (and its .dot)`);
    return 0;
  } catch (error) {
    if (!(error instanceof DiagramError || error instanceof ConfigError || error instanceof ConfigFileError)) throw error;
    console.error(error.message);
    return 1;
  }
}

void main().then((code) => (process.exitCode = code));
