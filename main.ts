/**
 * Entry point: loads the config (config/environments.ts or PLATFORM_CONFIG), validates it, builds the
 * bootstrap (state) stack and one web stack per environment, and synthesizes; then prints the warnings and a
 * one-line summary (synth/report.ts). A config problem and a policy error (every one of every stack is
 * listed) both stop it before anything is written.
 *
 *   npm run synth [-- --verbose]      --verbose: also list every accepted policy suppression
 */
import { parseArgs } from 'node:util';
import { ConfigFileError, loadPlatformConfig } from './config/load';
import { ConfigError } from './config/validate';
import { PolicyError, VERBOSE_VARIABLE, listsSuppressions } from './policy';
import { synthesizePlatform } from './stacks';
import { removeStaleHcl, report } from './synth/report';

function main(): number {
  let verbose: boolean;
  try {
    const { values } = parseArgs({
      args: process.argv.slice(2).filter((a) => !a.endsWith('.ts')),
      options: { verbose: { type: 'boolean', short: 'v' } },
      strict: true,
    });
    verbose = values.verbose === true || listsSuppressions();
  } catch (error) {
    console.error(`synth: ${(error as Error).message}; usage: npm run synth [-- --verbose]`);
    return 2;
  }
  if (process.env.SYNTH_HCL_OUTPUT === 'true' || process.env.SYNTH_HCL_OUTPUT === '1') {
    console.error(
      'synth: `cdktf synth --hcl` is not supported: cdktf 0.21 writes HCL that Terraform refuses for these stacks. ' +
        'Run `npm run export` for plain, reviewed Terraform (dist/terraform/<stack>/), or `npm run synth` for the JSON stacks.',
    );
    return 1;
  }
  if (verbose) process.env[VERBOSE_VARIABLE] = '1';
  let outdir: string;
  let order: string[];
  try {
    const synthesized = synthesizePlatform(loadPlatformConfig());
    outdir = synthesized.outdir;
    order = synthesized.stacks.map((s) => s.node.id);
  } catch (error) {
    if (!(error instanceof ConfigError || error instanceof ConfigFileError || error instanceof PolicyError)) throw error;
    console.error(error.message);
    return 1;
  }
  for (const file of removeStaleHcl(outdir))
    console.error(`synth: removed ${file} (HCL from an earlier \`cdktf synth --hcl\`; Terraform would read every resource twice)`);
  // cdktf-cli (which sets CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS for the app it runs) prints them itself.
  if (process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS === undefined) {
    const { stderr, stdout } = report(outdir, { verbose, order });
    for (const line of stderr) console.error(line);
    for (const line of stdout) console.log(line);
  }
  return 0;
}

process.exitCode = main();
