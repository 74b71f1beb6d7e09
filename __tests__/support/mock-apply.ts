import { TerraformWorkdir, offlineOverrideFileFor, type RunResult } from '../../harness/terraform';
import { mockApplyFiles } from './mock-suites';

/**
 * A synthesized stack copied with the offline override and its `terraform test` suite (support/mock-suites.ts
 * and the shared mocks), then initialised. prevent_destroy is left as synthesized: the teardown of
 * `terraform test` meets it exactly as a real destroy would.
 */
export async function mockApplyWorkdir(stackDir: string, stackName: string, suite: string): Promise<TerraformWorkdir> {
  const wd = TerraformWorkdir.fromStack(stackDir, {
    ...offlineOverrideFileFor(stackDir),
    ...mockApplyFiles(stackName, suite),
  });
  await wd.init();
  return wd;
}

/** Addresses Terraform refused to destroy because of `lifecycle.prevent_destroy`, from its output. */
export function preventDestroyRefusals(result: RunResult): string[] {
  const text = `${result.stdout}\n${result.stderr}`;
  // Terraform wraps its messages at 80 columns, so any whitespace may be a line break.
  const found = [...text.matchAll(/Resource\s+(\S+)\s+has\s+lifecycle\.prevent_destroy\s+set/g)].map((m) => m[1]);
  return [...new Set(found)].sort();
}
