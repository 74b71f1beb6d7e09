/**
 * `npm run ci:matrix [-- --github-output]`: the environments of the config as the CI workflows iterate over
 * them (commands/ci.ts): environment, stack, region and the roles of the bootstrap stack, as JSON. With
 * `--github-output` the line `environments=<json>` is appended to the file `$GITHUB_OUTPUT` names, for a
 * job's `strategy.matrix.include`.
 */
import { appendFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigFileError, loadPlatformConfig } from '../config/load';
import { ConfigError, validateConfig } from '../config/validate';
import { CiConfigError, ciMatrix, githubOutput } from '../commands/ci';

function main(): number {
  let githubOutputFile: string | undefined;
  try {
    const { values } = parseArgs({
      args: process.argv.slice(2).filter((a) => !a.endsWith('.ts')),
      options: { 'github-output': { type: 'boolean' } },
      strict: true,
    });
    if (values['github-output']) {
      githubOutputFile = process.env.GITHUB_OUTPUT;
      if (!githubOutputFile) throw new Error('--github-output: GITHUB_OUTPUT is not set (GitHub Actions sets it in every step)');
    }
  } catch (error) {
    console.error(`ci:matrix: ${(error as Error).message}; usage: npm run ci:matrix [-- --github-output]`);
    return 2;
  }
  try {
    const entries = ciMatrix(validateConfig(loadPlatformConfig()));
    if (githubOutputFile) appendFileSync(githubOutputFile, githubOutput(entries));
    console.log(JSON.stringify(entries, null, 2));
    return 0;
  } catch (error) {
    if (!(error instanceof ConfigError || error instanceof ConfigFileError || error instanceof CiConfigError)) throw error;
    console.error(`ci:matrix: ${error.message}`);
    return 1;
  }
}

process.exitCode = main();
