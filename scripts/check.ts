/**
 * `npm run check`: the local gate before a commit. For every stack synthesized in cdktf.out, offline:
 * terraform init, validate and plan (test-only override: local backend, dummy credentials, skip flags —
 * written only to a temp copy). What a stack looks up when planned (the AMI's public SSM parameter) is read
 * from moto on loopback. Prints a line per stack; exits non-zero with Terraform's own output on failure.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startMoto } from '../harness/moto';
import { TerraformWorkdir, countByType, offlineOverrideFileFor } from '../harness/terraform';

async function checkStack(stacksDir: string, name: string, readEndpoint: string): Promise<string> {
  const started = Date.now();
  const work = TerraformWorkdir.fromStack(join(stacksDir, name), offlineOverrideFileFor(join(stacksDir, name), { readEndpoint }));
  try {
    await work.init();
    await work.validate();
    const plan = await work.plan();
    const total = Object.values(countByType(plan)).reduce((a, b) => a + b, 0);
    return `${name}: valid; plan: ${total} to add, ${plan.resource_changes.length - total} other (${((Date.now() - started) / 1000).toFixed(1)} s)`;
  } finally {
    work.remove();
  }
}

async function main(): Promise<void> {
  const stacksDir = join(process.env.CDKTF_OUTDIR ?? 'cdktf.out', 'stacks');
  const names = readdirSync(stacksDir).sort();
  if (names.length === 0) throw new Error(`No stacks in ${stacksDir}: run npm run synth first`);
  const moto = await startMoto();
  const results = await Promise.allSettled(names.map((n) => checkStack(stacksDir, n, moto.endpoint)));
  await moto.stop();
  let failed = 0;
  results.forEach((r, i) => {
    if (r.status === 'fulfilled') console.log(`ok   ${r.value}`);
    else {
      failed++;
      console.error(`FAIL ${names[i]}\n${(r.reason as Error).message}`);
    }
  });
  if (failed > 0) process.exit(1);
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
