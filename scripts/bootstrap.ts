/**
 * `npm run bootstrap [-- --auto-approve] [--state-dir <dir>]`: deploys the state stack with its state kept in
 * `bootstrap-state/` (not the build folder), moves that state into the bucket the stack made, checks it there,
 * and removes the local copy (bootstrap/run.ts says how). Run again, it says it is done, or resumes a run that
 * stopped. Run through scripts/app.mjs, e.g. `node scripts/app.mjs scripts/bootstrap.ts --auto-approve`.
 */
import { resolve } from 'node:path';
import { BootstrapError, parseBootstrapArgs, runBootstrap } from '../bootstrap';
import { ConfigFileError, loadPlatformConfig } from '../config/load';
import { ConfigError, validateConfig } from '../config/validate';
import { PolicyError } from '../policy';

/** The bundle runs from <root>/.build/scripts/. */
const root = resolve(__dirname, '..', '..');

async function main(args: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseBootstrapArgs(args, process.stdin.isTTY === true);
  } catch (error) {
    if (!(error instanceof BootstrapError)) throw error;
    console.error(`bootstrap: ${error.message}`);
    return 2;
  }
  try {
    const config = validateConfig(loadPlatformConfig());
    await runBootstrap(config, { ...parsed, root });
    return 0;
  } catch (error) {
    if (error instanceof BootstrapError) console.error(`bootstrap: ${error.message}`);
    else if (error instanceof ConfigError || error instanceof ConfigFileError || error instanceof PolicyError) console.error(error.message);
    else throw error;
    return 1;
  }
}

void main(process.argv.slice(3)).then((code) => (process.exitCode = code));
