/**
 * Everything the Terraform suites do with one synthesized stack, in a temp copy: init, validate, plan
 * (what the stack reads when planned comes from `readEndpoint`, moto on loopback) and a mock apply +
 * destroy with the stack's suite (`prevent_destroy` lifted for that teardown only).
 */
import {
  LIFT_PREVENT_DESTROY_FILE,
  TerraformWorkdir,
  liftPreventDestroyOverride,
  offlineOverrideFileFor,
  type PlanJson,
  type RunResult,
} from '../../harness/terraform';
import { startMoto, type MotoServer } from '../../harness/moto';
import { mockApplyFiles } from './mock-suites';
import type { StackJson } from './synth';

export interface Outcome {
  readonly validate: RunResult;
  readonly plan: PlanJson;
  readonly mockApply: RunResult;
}

/** What one stack's run adds: test-only files (e.g. an output that shows a generated secret) and `terraform test` arguments. */
export interface ExerciseExtras {
  readonly files?: Record<string, string>;
  readonly testArgs?: string[];
}

export async function exerciseStack(
  options: { name: string; dir: string; stack: StackJson; suite: string; readEndpoint: string } & ExerciseExtras,
): Promise<Outcome> {
  const work = TerraformWorkdir.fromStack(options.dir, {
    ...offlineOverrideFileFor(options.dir, { readEndpoint: options.readEndpoint }),
    [LIFT_PREVENT_DESTROY_FILE]: liftPreventDestroyOverride(options.stack),
    ...mockApplyFiles(options.name, options.suite),
    ...options.files,
  });
  try {
    await work.init();
    const validate = await work.validate();
    const plan = await work.plan();
    const mockApply = await work.test(options.testArgs ?? []);
    return { validate, plan, mockApply };
  } finally {
    work.remove();
  }
}

/**
 * Registers beforeAll/afterAll hooks that start moto (the plans read the AMI's public SSM parameter from it)
 * and exercise every named stack in parallel; the returned record fills with each stack's outcome.
 */
export function exerciseStacksOnceForSuite(options: {
  names: string[];
  dirs: Record<string, string>;
  stacks: Record<string, StackJson>;
  suites: Record<string, string>;
  timeoutMs: number;
  /** @default - no extras */
  extras?: (name: string) => ExerciseExtras;
}): Record<string, Outcome> {
  const outcomes: Record<string, Outcome> = {};
  let moto: MotoServer | undefined;
  beforeAll(async () => {
    moto = await startMoto();
    const readEndpoint = moto.endpoint;
    const { names, dirs, stacks, suites } = options;
    const results = await Promise.all(
      names.map((n) => exerciseStack({ name: n, dir: dirs[n], stack: stacks[n], suite: suites[n], readEndpoint, ...options.extras?.(n) })),
    );
    names.forEach((n, i) => (outcomes[n] = results[i]));
  }, options.timeoutMs);
  // stop() waits up to 10 s for moto to exit before it kills it: longer than Jest's 5 s default for a hook.
  afterAll(() => moto?.stop(), 30_000);
  return outcomes;
}
