/**
 * What `npm run synth` prints after writing: every error and warning the stacks recorded, and one summary
 * line (the stacks and their resource counts, where they were written, how many policy suppressions were
 * accepted). The suppressions themselves are recorded in each cdk.tf.json and listed with `--verbose`.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';

interface Annotation {
  readonly level: string;
  readonly message: string;
  readonly constructPath: string;
}

interface StackSummary {
  readonly name: string;
  readonly resources: number;
  readonly suppressions: number;
  readonly annotations: readonly Annotation[];
}

/** The stacks cdktf wrote to `outdir`, as its manifest lists them (in `order` when given). */
export function summarize(outdir: string, order: readonly string[] = []): StackSummary[] {
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as {
    stacks: Record<string, { annotations?: Annotation[]; synthesizedStackPath: string }>;
  };
  const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
  const entries = Object.entries(manifest.stacks).sort(([a], [b]) => rank(a) - rank(b));
  return entries.map(([name, stack]) => {
    const json = JSON.parse(readFileSync(join(outdir, stack.synthesizedStackPath), 'utf8'));
    const resources = Object.values<Record<string, unknown>>(json.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
    return { name, resources, suppressions: json['//']?.policy?.suppressions?.length ?? 0, annotations: stack.annotations ?? [] };
  });
}

/** The lines to print: errors and warnings (stderr), infos when listed, then the summary (stdout). */
export function report(
  outdir: string,
  options: { readonly verbose: boolean; readonly cwd?: string; readonly order?: readonly string[] },
): { stderr: string[]; stdout: string[] } {
  const stacks = summarize(outdir, options.order);
  const stderr: string[] = [];
  const counts = { error: 0, warn: 0 };
  for (const { name, annotations } of stacks) {
    for (const { level, message, constructPath } of annotations) {
      const kind = level.replace('@cdktf/', '');
      if (kind === 'warn') counts.warn++;
      if (kind === 'error') counts.error++;
      if (kind === 'info' && !options.verbose) continue;
      stderr.push(`[${kind.toUpperCase()}] ${name} (${constructPath}): ${message}`);
    }
  }
  const where = relative(options.cwd ?? process.cwd(), join(outdir, 'stacks')) || '.';
  const suppressions = stacks.reduce((n, s) => n + s.suppressions, 0);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const parts = [
    `wrote ${plural(stacks.length, 'stack')} to ${where}/: ${stacks.map((s) => `${s.name} (${plural(s.resources, 'resource')})`).join(', ')}`,
    plural(counts.warn, 'warning'),
    `${plural(suppressions, 'accepted policy suppression')}${options.verbose ? '' : ' (npm run synth -- --verbose lists them)'}`,
  ];
  return { stderr, stdout: [`synth: ${parts.join('; ')}`] };
}

/**
 * Removes `cdk.tf` files (what `cdktf synth --hcl` writes) from the stack directories of `outdir`: beside the
 * cdk.tf.json of the same stack, Terraform would load both and find every resource twice. Nothing else in the
 * directories is touched (a local backend keeps its state there).
 */
export function removeStaleHcl(outdir: string): string[] {
  const stacksDir = join(outdir, 'stacks');
  if (!existsSync(stacksDir)) return [];
  const removed: string[] = [];
  for (const stack of readdirSync(stacksDir)) {
    const hcl = join(stacksDir, stack, 'cdk.tf');
    if (existsSync(hcl)) {
      rmSync(hcl);
      removed.push(hcl);
    }
  }
  return removed;
}
