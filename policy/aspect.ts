/**
 * The policy pack as a cdktf Aspect. Added to a stack, it checks the stack's resources when the app
 * synthesizes and records the outcome in the output: errors as error annotations (cdktf then refuses to
 * write the stack), warnings and used suppressions as annotations that `npm run synth` prints, and a
 * `//.policy` section (stack) and `//.policy_suppressions` (each suppressed resource) in cdk.tf.json.
 * `assertPolicies` runs the aspect before synthesis, so a violation stops the app with every problem of
 * every stack listed and nothing written; a stack it has run on is not checked a second time at synth.
 */
import { Annotations, Aspects, TerraformElement, TerraformStack, type IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';
import { describe, evaluate, type Finding, type PolicyReport } from './engine';
import type { Pack } from './pack';
import { suppressionsDeclaredIn, suppressionsOf } from './suppress';
import { viewOf } from './view';

/** Environment variable that makes synth list every accepted suppression (`npm run synth -- --verbose` sets it). */
export const VERBOSE_VARIABLE = 'PLATFORM_VERBOSE';

/** Whether suppressions are listed as info annotations (printed at synth), besides being recorded. */
export function listsSuppressions(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env[VERBOSE_VARIABLE];
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}

export class PolicyAspect implements IAspect {
  private readonly done = new WeakSet<TerraformStack>();

  constructor(readonly packs: readonly Pack[]) {}

  visit(node: IConstruct): void {
    if (!(node instanceof TerraformStack) || !Aspects.of(node).all.includes(this) || this.done.has(node)) return;
    this.run(node);
  }

  /** Checks `stack` now, records the outcome in it, and marks it done (synthesis will not check it again). */
  run(stack: TerraformStack): PolicyReport {
    this.done.add(stack);
    const { report, constructs } = check(stack, this.packs);
    record(stack, report, constructs);
    return report;
  }
}

/** Runs `packs` over `stack` as it stands now; changes nothing. */
function check(stack: TerraformStack, packs: readonly Pack[]): { report: PolicyReport; constructs: Map<string, IConstruct> } {
  const { view, constructs } = viewOf(stack);
  const suppressions = new Map<string, ReturnType<typeof suppressionsOf>>();
  const report = evaluate(
    stack.node.id,
    view,
    packs,
    (resource) => {
      let found = suppressions.get(resource.address);
      if (!found) suppressions.set(resource.address, (found = suppressionsOf(constructs.get(resource.address) as IConstruct)));
      return found;
    },
    suppressionsDeclaredIn(stack),
  );
  return { report, constructs };
}

/** The PolicyAspect added to `stack`. Throws when the stack has none. */
function aspectOf(stack: TerraformStack): PolicyAspect {
  const aspect = Aspects.of(stack).all.find((a): a is PolicyAspect => a instanceof PolicyAspect);
  if (!aspect) throw new Error(`${stack.node.id}: no PolicyAspect added to this stack`);
  return aspect;
}

/** Thrown before synthesis when any stack has policy errors; the message lists all of them. */
export class PolicyError extends Error {
  override readonly name = 'PolicyError';
  constructor(readonly reports: readonly PolicyReport[]) {
    const lines = reports.flatMap((r) => r.errors.map((f) => describe(r.stack, f)));
    super(
      `Policy check failed (${lines.length} error${lines.length === 1 ? '' : 's'}):\n  - ${lines.join('\n  - ')}\n` +
        'Fix the construct, or accept the risk with suppress(scope, ruleId, reason) — see docs/policy.md.',
    );
  }
}

/**
 * Runs every stack's PolicyAspect now (recording its outcome, so synthesis does not check the stack again);
 * throws a PolicyError listing every error of every stack. Returns the reports.
 */
export function assertPolicies(stacks: readonly TerraformStack[]): PolicyReport[] {
  const reports = stacks.map((stack) => aspectOf(stack).run(stack));
  if (reports.some((r) => r.errors.length > 0)) throw new PolicyError(reports);
  return reports;
}

function record(stack: TerraformStack, report: PolicyReport, constructs: Map<string, IConstruct>): void {
  const at = (f: Finding) => constructs.get(f.resource.address) ?? stack;
  for (const f of report.errors) Annotations.of(at(f)).addError(`policy: ${describe(stack.node.id, f)}`);
  for (const f of report.warnings) Annotations.of(at(f)).addWarning(`policy: ${describe(stack.node.id, f)}`);
  // Every suppression is recorded in cdk.tf.json (below); listed at synth only when asked (`--verbose`).
  if (listsSuppressions()) {
    for (const f of report.suppressed) {
      Annotations.of(at(f)).addInfo(`policy: suppressed ${f.rule.id} on ${f.resource.address}: ${f.suppression?.reason}`);
    }
  }
  for (const s of report.unusedSuppressions) {
    Annotations.of(stack).addWarning(`policy: the suppression of ${s.rule} at ${s.path} accepts nothing; remove it`);
  }

  const byResource = new Map<string, Finding[]>();
  for (const f of report.suppressed) byResource.set(f.resource.address, [...(byResource.get(f.resource.address) ?? []), f]);
  for (const [address, findings] of byResource) {
    const element = constructs.get(address);
    if (element instanceof TerraformElement) {
      element.addOverride(
        '//.policy_suppressions',
        findings.map((f) => ({ rule: f.rule.id, reason: f.suppression?.reason })),
      );
    }
  }
  stack.addOverride('//.policy', {
    packs: report.packs,
    compliant: report.compliant,
    warnings: report.warnings.map((f) => ({ rule: f.rule.id, address: f.resource.address, reason: f.reason })),
    suppressions: report.suppressed.map((f) => ({
      rule: f.rule.id,
      address: f.resource.address,
      reason: f.suppression?.reason,
      declaredAt: f.suppression?.path,
    })),
  });
}
