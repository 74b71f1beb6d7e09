/**
 * `npm run release -- <environment> [--dry-run] [--retry] [--timeout-minutes N] [--poll-seconds N]` (after `npm run synth`, which
 * the npm script runs): rolls out the launch template version the environment's stack deployed, as an instance
 * refresh that rolls back to the previous version on the alarms (release/index.ts says how, commands/release.ts
 * what). Exit 0: the group runs the stack's version; 1: refused or an error (nothing started); 2: usage; 3: the
 * release failed and AWS rolled the group back to the previous version; 4: it ended in a state that needs a
 * person; 5: still running when the wait ended.
 */
import { join, resolve } from 'node:path';
import { ConfigFileError, loadPlatformConfig } from '../config/load';
import { ConfigError, validateConfig } from '../config/validate';
import { ReleaseError, parseReleaseArgs, RELEASE_EXIT } from '../commands/release';
import { releaseEnvironment } from '../release';

/** The bundle runs from <root>/.build/scripts/. */
const root = resolve(__dirname, '..', '..');

async function main(argv: readonly string[]): Promise<number> {
  let args;
  try {
    args = parseReleaseArgs(argv);
  } catch (error) {
    if (!(error instanceof ReleaseError)) throw error;
    console.error(`release: ${error.message}`);
    return RELEASE_EXIT.usage;
  }
  try {
    const config = validateConfig(loadPlatformConfig());
    const outcome = await releaseEnvironment(
      config,
      args.environment,
      process.env.CDKTF_OUTDIR ?? join(root, 'cdktf.out'),
      (line) => console.log(`release: ${line}`),
      { dryRun: args.dryRun, retry: args.retry, timeoutMs: args.timeoutMinutes * 60_000, pollMs: args.pollSeconds * 1000 },
    );
    (outcome.code === RELEASE_EXIT.released ? console.log : console.error)(`release: ${outcome.message}`);
    return outcome.code;
  } catch (error) {
    if (!(error instanceof ReleaseError || error instanceof ConfigError || error instanceof ConfigFileError)) throw error;
    console.error(error instanceof ReleaseError ? `release: ${error.message}` : error.message);
    return RELEASE_EXIT.refused;
  }
}

void main(process.argv.slice(3)).then((code) => (process.exitCode = code));
