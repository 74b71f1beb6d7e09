/**
 * Nothing lost, proven by Terraform itself: after a mock apply of a stack (`terraform test` with the mocked
 * AWS provider), the teardown that `terraform test` runs is a destroy. Terraform must refuse it because of
 * `prevent_destroy` on exactly the stateful resources of an environment that protects data — and, in one
 * that does not, destroy everything.
 */
import { STATEFUL_TYPES } from '../policy/rules/data-prevent-destroy';
import { dev, prod } from '../config/environments';
import type { EnvironmentConfig } from '../config/types';
import { mockApplyWorkdir, MOCK_APPLY_TEST, preventDestroyRefusals } from './support/mock-apply';
import { synth, type StackJson } from './support/synth';

/** Addresses of stateful resources (data lost with them) in a synthesized stack. */
function statefulAddresses(stack: StackJson): string[] {
  return STATEFUL_TYPES.flatMap((type) => Object.keys(stack.resource[type] ?? {}).map((name) => `${type}.${name}`)).sort();
}

/** What config says must be protected: every stateful resource when the environment protects data, else none. */
function expectedProtected(env: EnvironmentConfig, stack: StackJson): string[] {
  return env.deletionProtection ? statefulAddresses(stack) : [];
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

// Prod runs the shared web-prod.tftest.hcl (its apply assertions must hold too); dev a bare mock apply.
describe.each([
  ['web-prod', prod, { file: 'web-prod.tftest.hcl' }],
  ['web-dev', dev, { inline: MOCK_APPLY_TEST }],
] as const)('%s', (name, env, testFile) => {
  const stack = stacks[name];

  it('marks with prevent_destroy exactly what the environment protects', () => {
    expect(preventDestroyInJson(stack)).toEqual(expectedProtected(env, stack));
  });

  it('mock apply succeeds and Terraform refuses the destroy of exactly the protected resources', async () => {
    const wd = await mockApplyWorkdir(dirs[name], testFile);
    try {
      const expected = expectedProtected(env, stack);
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

it('prod protects the database and both log buckets', () => {
  expect(expectedProtected(prod, stacks['web-prod'])).toEqual([
    'aws_db_instance.database_instance',
    'aws_s3_bucket.load_balancer_access_logs_bucket',
    'aws_s3_bucket.load_balancer_s3_access_logs_bucket',
  ]);
});
