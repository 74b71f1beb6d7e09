/**
 * What a policy rule is: a pure function from one synthesized resource (and the stack around it, to prove
 * facts across references) to a result. Rules know nothing of severity; packs choose it.
 */
import type { ResourceView, StackView } from './view';

/** The outcome of one rule on one resource. */
export type RuleResult =
  { readonly status: 'compliant' } | { readonly status: 'non-compliant'; readonly reason: string } | { readonly status: 'not-applicable' };

/** The same check as named by the scanners reviewers run. Empty lists are allowed (our own rules). */
export interface ScannerIds {
  /** checkov ids, e.g. `CKV_AWS_16`, `CKV2_AWS_11`. */
  readonly checkov: readonly string[];
  /** trivy / tfsec ids, e.g. `AVD-AWS-0080`. */
  readonly trivy: readonly string[];
  /** cdk-nag AwsSolutions ids, e.g. `AwsSolutions-RDS2`. */
  readonly cdkNag: readonly string[];
}

export interface Rule {
  /** Stable kebab-case id, also the file name under policy/rules/. */
  readonly id: string;
  /** One line: what a compliant resource looks like. */
  readonly what: string;
  /** Why it matters. */
  readonly why: string;
  readonly scanners: ScannerIds;
  /** Terraform resource types the rule looks at; every other resource is not applicable. */
  readonly resourceTypes: readonly string[];
  /** Pure: reads the resource and the stack, returns a result, changes nothing. */
  check(resource: ResourceView, stack: StackView): RuleResult;
}

export const COMPLIANT: RuleResult = { status: 'compliant' };
export const NOT_APPLICABLE: RuleResult = { status: 'not-applicable' };

export function nonCompliant(reason: string): RuleResult {
  return { status: 'non-compliant', reason };
}

/** Compliant when `ok`, else non-compliant with `reason`. */
export function verdict(ok: boolean, reason: string): RuleResult {
  return ok ? COMPLIANT : nonCompliant(reason);
}

/** The first non-compliant result of `results`, or compliant. */
export function all(...results: RuleResult[]): RuleResult {
  return results.find((r) => r.status === 'non-compliant') ?? COMPLIANT;
}

/** Declares a rule (identity function that gives rule files one checked shape). */
export function defineRule(rule: Rule): Rule {
  return rule;
}

/** Scanner ids, each list defaulting to empty. */
export function scanners(ids: Partial<ScannerIds>): ScannerIds {
  return { checkov: ids.checkov ?? [], trivy: ids.trivy ?? [], cdkNag: ids.cdkNag ?? [] };
}
