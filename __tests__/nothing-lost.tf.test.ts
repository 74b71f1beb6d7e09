/**
 * Nothing lost, proven by Terraform itself: after a mock apply of a stack (`terraform test` with the mocked
 * AWS provider), the teardown that `terraform test` runs is a destroy. Terraform must refuse it because of
 * `prevent_destroy` on exactly the stateful resources of an environment that protects data, and of the
 * bootstrap stack (the state bucket and the key without which the state cannot be read). An environment
 * that does not protect data (dev) carries no prevent_destroy at all; its full mock apply and destroy runs
 * in web-stacks.tf.test.ts.
 */
import { STATEFUL_TYPES } from '../policy/rules/data-prevent-destroy';
import { dev, prod } from '../config/environments';
import type { EnvironmentInput } from '../config/types';
import { mockApplyWorkdir, preventDestroyRefusals } from './support/mock-apply';
import { synth, type StackJson } from './support/synth';

/** Addresses of stateful resources (data lost with them) in a synthesized stack. */
function statefulAddresses(stack: StackJson): string[] {
  return STATEFUL_TYPES.flatMap((type) => Object.keys(stack.resource[type] ?? {}).map((name) => `${type}.${name}`)).sort();
}

/** What config says must be protected: every stateful resource when the environment protects data, else none. */
function expectedProtected(env: EnvironmentInput, stack: StackJson): string[] {
  return env.deletionProtection ? statefulAddresses(stack) : [];
}

/** The bootstrap stack always protects its stateful resources and the key of the state (kms encryption). */
function expectedProtectedState(stack: StackJson): string[] {
  return [...statefulAddresses(stack), ...Object.keys(stack.resource.aws_kms_key ?? {}).map((name) => `aws_kms_key.${name}`)].sort();
}

/** Addresses that carry lifecycle.prevent_destroy in the synthesized JSON (any resource type). */
function preventDestroyInJson(stack: StackJson): string[] {
  return Object.entries(stack.resource)
    .flatMap(([type, byName]) => Object.entries(byName).filter(([, body]) => body.lifecycle?.prevent_destroy === true).map(([name]) => `${type}.${name}`))
    .sort();
}

/** Init plus a mock apply and destroy of ~130 resources on 2 cores (jest's project-level testTimeout is not applied). */
const TERRAFORM_TIMEOUT_MS = 300_000;

const { stacks, dirs } = synth();

it('dev protects nothing: no prevent_destroy anywhere, so one terraform destroy tears it down', () => {
  expect(dev.deletionProtection).toBe(false);
  expect(preventDestroyInJson(stacks['web-dev'])).toEqual([]);
});

// Each runs its shared .tftest.hcl (whose apply assertions must hold too) with prevent_destroy intact.
describe.each([
  ['web-prod', expectedProtected(prod, stacks['web-prod'])],
  ['web-state', expectedProtectedState(stacks['web-state'])],
] as const)('%s', (name, expected) => {
  const stack = stacks[name];

  it('marks with prevent_destroy exactly what it must protect', () => {
    expect(expected.length).toBeGreaterThan(0);
    expect(preventDestroyInJson(stack)).toEqual(expected);
  });

  it('mock apply succeeds and Terraform refuses the destroy of exactly the protected resources', async () => {
    const wd = await mockApplyWorkdir(dirs[name], name);
    try {
      const result = await wd.test([], { allowedCodes: [0, 1] });
      const output = `${result.stdout}\n${result.stderr}`;
      // The apply itself must pass; only the teardown may fail.
      expect(output).toMatch(/run "apply"\.\.\. pass/);
      expect(preventDestroyRefusals(result)).toEqual(expected);
      expect(result.code).toBe(expected.length > 0 ? 1 : 0);
      if (expected.length > 0) expect(output).toMatch(/Terraform left the following resources in state/);
    } finally {
      wd.remove();
    }
  }, TERRAFORM_TIMEOUT_MS);
});

it('the state stack protects the state bucket, its key and its access-log bucket', () => {
  expect(expectedProtectedState(stacks['web-state'])).toEqual([
    'aws_kms_key.state_bucket_key',
    'aws_s3_bucket.state_bucket',
    'aws_s3_bucket.state_bucket_access_logs_bucket',
  ]);
});

it('prod protects the database and both log buckets', () => {
  expect(expectedProtected(prod, stacks['web-prod'])).toEqual([
    'aws_db_instance.database_instance',
    'aws_s3_bucket.load_balancer_access_logs_bucket',
    'aws_s3_bucket.load_balancer_s3_access_logs_bucket',
  ]);
});
