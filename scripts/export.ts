/**
 * `npm run export`: plain Terraform for ops teams. Converts every stack synthesized into `cdktf.out`
 * (run `npm run synth` first; the npm script does) into `dist/terraform/<stack>/`: HCL split by concern,
 * `.terraform.lock.hcl` and a README. Needs Terraform and the provider (offline mirror or registry).
 *
 *   node scripts/app.mjs scripts/export.ts [--from cdktf.out] [--out dist/terraform]
 */
import { join, resolve } from 'node:path';
import { exportStacks } from '../export';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  // scripts/app.mjs runs this bundled as .build/scripts/export.js.
  const root = resolve(__dirname, '..', '..');
  const synthDir = resolve(option('--from', join(root, 'cdktf.out')));
  const outDir = resolve(option('--out', join(root, 'dist', 'terraform')));
  const result = await exportStacks({ synthDir, outDir, schemaCacheDir: join(root, '.build', 'provider-schemas') });
  for (const stack of result.stacks) console.log(`exported ${stack} → ${join(outDir, stack)}`);
  // The files are formatted either way; this says the converter's own layout missed somewhere.
  if (result.reformatted.length > 0) console.warn(`note: terraform fmt tidied ${result.reformatted.join(', ')}`);
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
