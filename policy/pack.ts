/** A pack picks rules and gives each a severity: errors fail `npm run synth`, warnings are printed. */
import type { Rule } from './rule';

export type Severity = 'error' | 'warning';

export interface PackEntry {
  readonly rule: Rule;
  readonly severity: Severity;
}

export interface Pack {
  /** Short name shown in reports, e.g. `security`. */
  readonly name: string;
  /** What the pack is for. */
  readonly description: string;
  readonly entries: readonly PackEntry[];
}

/** Every rule of `rules` at `severity`. */
export function entries(severity: Severity, rules: readonly Rule[]): PackEntry[] {
  return rules.map((rule) => ({ rule, severity }));
}
