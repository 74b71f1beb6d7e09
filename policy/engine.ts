/**
 * Runs packs over a stack view: every rule on every resource of its types. A non-compliant result is
 * accepted only by a suppression of that rule on the resource or a scope above it.
 */
import type { Pack, Severity } from './pack';
import type { Rule, RuleResult } from './rule';
import type { Suppression } from './suppress';
import type { ResourceView, StackView } from './view';

export interface Finding {
  readonly rule: Rule;
  readonly severity: Severity;
  readonly resource: ResourceView;
  /** Why the resource is non-compliant. */
  readonly reason: string;
  /** Set when a suppression accepts the finding. */
  readonly suppression?: Suppression & { readonly path: string };
}

export interface PolicyReport {
  readonly stack: string;
  readonly packs: readonly string[];
  /** Non-compliant, not suppressed, severity error: these fail the synth. */
  readonly errors: readonly Finding[];
  /** Non-compliant, not suppressed, severity warning: printed. */
  readonly warnings: readonly Finding[];
  /** Non-compliant and accepted by a suppression. */
  readonly suppressed: readonly Finding[];
  /** Suppressions that accepted nothing (stale: remove them). */
  readonly unusedSuppressions: readonly (Suppression & { readonly path: string })[];
  /** Rule × resource pairs that were compliant. */
  readonly compliant: number;
}

/** One rule on one resource, with the rule's resource-type filter applied. */
export function runRule(rule: Rule, resource: ResourceView, view: StackView): RuleResult {
  if (!rule.resourceTypes.includes(resource.type)) return { status: 'not-applicable' };
  return rule.check(resource, view);
}

export function evaluate(
  stack: string,
  view: StackView,
  packs: readonly Pack[],
  suppressionsOf: (resource: ResourceView) => readonly (Suppression & { readonly path: string })[],
  allSuppressions: readonly (Suppression & { readonly path: string })[],
): PolicyReport {
  const errors: Finding[] = [];
  const warnings: Finding[] = [];
  const suppressed: Finding[] = [];
  const used = new Set<string>();
  let compliant = 0;
  for (const pack of packs) {
    for (const { rule, severity } of pack.entries) {
      for (const resource of view.resources) {
        const result = runRule(rule, resource, view);
        if (result.status === 'compliant') compliant += 1;
        if (result.status !== 'non-compliant') continue;
        const suppression = suppressionsOf(resource).find((s) => s.rule === rule.id);
        const finding: Finding = { rule, severity, resource, reason: result.reason, ...(suppression ? { suppression } : {}) };
        if (suppression) {
          used.add(key(suppression));
          suppressed.push(finding);
        } else (severity === 'error' ? errors : warnings).push(finding);
      }
    }
  }
  const unusedSuppressions = allSuppressions.filter((s) => !used.has(key(s)));
  return { stack, packs: packs.map((p) => p.name), errors, warnings, suppressed, unusedSuppressions, compliant };
}

function key(s: Suppression & { readonly path: string }): string {
  return `${s.path}\u0000${s.rule}`;
}

/** `[CKV_AWS_16, AVD-AWS-0080, AwsSolutions-RDS2]`, or empty when the rule is ours alone. */
export function scannerList(rule: Rule): string {
  const ids = [...rule.scanners.checkov, ...rule.scanners.trivy, ...rule.scanners.cdkNag];
  return ids.length > 0 ? ` [${ids.join(', ')}]` : '';
}

/** One line per finding: `web-prod: rds-encrypted: aws_db_instance.x (path): reason [ids]`. */
export function describe(stack: string, f: Finding): string {
  return `${stack}: ${f.rule.id}: ${f.resource.address} (${f.resource.path}): ${f.reason}${scannerList(f.rule)}`;
}
