/**
 * Nothing lost, proven by Terraform itself: after a mock apply of a stack (`terraform test` with the mocked
 * AWS provider), the teardown that `terraform test` runs is a destroy. Terraform must refuse it because of
 * `prevent_destroy` on exactly the stateful resources of an environment that protects data, and of the
 * bootstrap stack (the state bucket and the key without which the state cannot be read). An environment
 * that does not protect data (dev) carries no prevent_destroy at all; its full mock apply and destroy runs
 * in web-stacks.tf.test.ts.
 */
import { STATEFUL_TYPES } from '../policy/rules/data-prevent-destroy';
import { platform } from '../config/environments';
import type { EnvironmentConfig } from '../config/types';
import { validateConfig } from '../config/validate';
import { stateStackName, webStackName } from '../naming';
import { mockApplyWorkdir, preventDestroyRefusals } from './support/mock-apply';
import { suitesOf } from './support/mock-suites';
import { selectedStacks } from './support/stacks';
import { synth, type StackJson } from './support/synth';

/** Addresses of stateful resources (data lost with them) in a synthesized stack. */
function statefulAddresses(stack: StackJson): string[] {
  return STATEFUL_TYPES.flatMap((type) => Object.keys(stack.resource[type] ?? {}).map((name) => `${type}.${name}`)).sort();
}

/** What config says must be protected: every stateful resource when the environment protects data, else none. */
function expectedProtected(env: EnvironmentConfig, stack: StackJson): string[] {
  return env.deletionProtection ? statefulAddresses(stack) : [];
}

/** The bootstrap stack always protects its stateful resources and the key of the state (kms encryption). */
function expectedProtectedState(stack: StackJson): string[] {
  return [...statefulAddresses(stack), ...Object.keys(stack.resource.aws_kms_key ?? {}).map((name) => `aws_kms_key.${name}`)].sort();
}

/** Addresses that carry lifecycle.prevent_destroy in the synthesized JSON (any resource type). */
function preventDestroyInJson(stack: StackJson): string[] {
  return Object.entries(stack.resource)
    .flatMap(([type, byName]) =>
      Object.entries(byName)
        .filter(([, body]) => body.lifecycle?.prevent_destroy === true)
        .map(([name]) => `${type}.${name}`),
    )
    .sort();
}

/** Init plus a mock apply and destroy of ~130 resources on 2 cores (jest's project-level testTimeout is not applied). */
const TERRAFORM_TIMEOUT_MS = 300_000;

const config = validateConfig(platform);
const suites = suitesOf(config);
const { stacks, dirs } = synth();
const chosen = selectedStacks(Object.keys(stacks));
const environments = config.environments
  .map((env) => ({ env, stack: webStackName(config.project, env.name) }))
  .filter(({ stack }) => chosen.includes(stack));
const unprotected = environments.filter(({ env }) => !env.deletionProtection);
/** The stacks that must refuse a destroy, with what they protect. */
const guarded = [
  ...environments
    .filter(({ env }) => env.deletionProtection)
    .map(({ env, stack }) => [stack, expectedProtected(env, stacks[stack])] as const),
  ...(config.state && chosen.includes(stateStackName(config.project))
    ? [[stateStackName(config.project), expectedProtectedState(stacks[stateStackName(config.project)])] as const]
    : []),
];

// (`describe.each` refuses an empty table: a config without such stacks has nothing to check here.)
if (unprotected.length > 0)
  describe.each(unprotected)('$stack (deletionProtection: false)', ({ stack }) => {
    it('protects nothing: no prevent_destroy anywhere, so one terraform destroy tears it down', () => {
      expect(preventDestroyInJson(stacks[stack])).toEqual([]);
    });
  });

// Each runs its generated suite (whose apply assertions must hold too) with prevent_destroy intact.
if (guarded.length > 0)
  describe.each(guarded)('%s', (name, expected) => {
    const stack = stacks[name];

    it('marks with prevent_destroy exactly what it must protect: its database and buckets (and the state key)', () => {
      expect(expected.some((a) => a.startsWith('aws_s3_bucket.'))).toBe(true);
      expect(expected.some((a) => a.startsWith('aws_db_instance.') || a.startsWith('aws_kms_key.'))).toBe(true);
      expect(preventDestroyInJson(stack)).toEqual(expected);
    });

    it(
      'mock apply succeeds and Terraform refuses the destroy of exactly the protected resources',
      async () => {
        const wd = await mockApplyWorkdir(dirs[name], name, suites[name]);
        try {
          const result = await wd.test([], { allowedCodes: [0, 1] });
          const output = `${result.stdout}\n${result.stderr}`;
          // The apply itself must pass; only the teardown may fail.
          expect(output).toMatch(/run "apply"\.\.\. pass/);
          expect(preventDestroyRefusals(result)).toEqual(expected);
          expect(result.code).toBe(1);
          expect(output).toMatch(/Terraform left the following resources in state/);
        } finally {
          wd.remove();
        }
      },
      TERRAFORM_TIMEOUT_MS,
    );
  });
