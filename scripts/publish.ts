/**
 * `npm run publish -- <env> <frontend> <dir> [--distribution-id ID]`: uploads a built front-end (e.g. Angular's
 * `dist/<app>/browser`) to its bucket and invalidates its entry page (publish/index.ts says how).
 */
import { parseArgs } from 'node:util';
import { ConfigFileError, loadPlatformConfig } from '../config/load';
import { ConfigError, validateConfig } from '../config/validate';
import { PublishError, publish } from '../publish';

const USAGE = 'usage: npm run publish -- <environment> <frontend> <build dir> [--distribution-id <id>]';

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse();
  } catch (error) {
    console.error(`publish: ${(error as Error).message}; ${USAGE}`);
    return 2;
  }
  try {
    const config = validateConfig(loadPlatformConfig());
    const [environment, frontend, dir] = parsed.positionals;
    const result = await publish(
      config,
      { environment, frontend, dir, distributionId: parsed.values['distribution-id'] },
      undefined,
      (line) => console.log(`publish: ${line}`),
    );
    console.log(`publish: ${frontend} of ${environment} is live (${result.uploaded.length} files, ${result.deleted.length} removed)`);
    return 0;
  } catch (error) {
    if (!(error instanceof PublishError || error instanceof ConfigError || error instanceof ConfigFileError)) throw error;
    console.error(error instanceof PublishError ? `publish: ${error.message}` : error.message);
    return 1;
  }
}

function parse() {
  const parsed = parseArgs({
    args: process.argv.slice(3),
    options: { 'distribution-id': { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  if (parsed.positionals.length !== 3) throw new Error(`expected 3 arguments, got ${parsed.positionals.length}`);
  return parsed;
}

void main().then((code) => (process.exitCode = code));
