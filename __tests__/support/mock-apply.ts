import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TerraformWorkdir, TEST_OVERRIDE_FILE, offlineOverride, type RunResult } from '../../scripts/lib/terraform';

const TERRAFORM_TESTS = join(__dirname, '..', 'terraform');

/**
 * A synthesized stack copied with the offline override and a `terraform test` file that mock-applies it
 * (the shared mocks of __tests__/terraform/mocks), then initialised. `testFile` is a file name under
 * __tests__/terraform or, with `inline`, the file's content.
 */
export async function mockApplyWorkdir(stackDir: string, test: { file: string } | { inline: string }): Promise<TerraformWorkdir> {
  const content = 'file' in test ? readFileSync(join(TERRAFORM_TESTS, test.file), 'utf8') : test.inline;
  const wd = TerraformWorkdir.fromStack(stackDir, {
    [TEST_OVERRIDE_FILE]: JSON.stringify(offlineOverride(), null, 2),
    'tests/mock_apply.tftest.hcl': content,
    'tests/mocks/aws.tfmock.hcl': readFileSync(join(TERRAFORM_TESTS, 'mocks', 'aws.tfmock.hcl'), 'utf8'),
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

/** A `terraform test` file with one run that applies the stack with the mocked AWS provider. */
export const MOCK_APPLY_TEST = `mock_provider "aws" {
  source = "./tests/mocks"
}

run "apply" {
  command = apply
}
`;
