/**
 * The one way to accept a non-compliant result: `suppress(scope, ruleId, reason)`. A suppression on a
 * construct covers every resource beneath it (on a stack: the whole environment). The reason must be a
 * real sentence; the synthesized output records every suppression that was used and `npm run synth`
 * lists them.
 */
import type { IConstruct } from 'constructs';
import { RULE_IDS } from './rules';

/** Construct metadata type under which suppressions are kept. */
const METADATA_TYPE = 'policy/suppression';

export interface Suppression {
  readonly rule: string;
  readonly reason: string;
}

/** What a suppression reason must be, in words (used in error and validation messages). */
export const REASON_RULE =
  'a sentence of at least 4 words and 20 characters that starts with a capital letter, ends with a full stop and is not a placeholder (TODO, TBD, FIXME, n/a, …)';

const PLACEHOLDER =
  /\b(todo|tbd|fixme|xxx+|lorem|ipsum|placeholder|wip|tba|changeme)\b|^\W*(n\/?a|none|reason|because|test(ing)?|temp(orary)?|ignore[ds]?|suppress(ed)?|see above|later|fix later)\W*$/i;

/** True when `reason` is an acceptable suppression reason (see `REASON_RULE`). */
// Compiled once: a Unicode property class costs about a millisecond to compile, and there are hundreds of words.
const LETTER = /\p{L}/u;
const CAPITAL_FIRST = /^\p{Lu}/u;

export function isValidReason(reason: unknown): reason is string {
  if (typeof reason !== 'string') return false;
  const text = reason.trim();
  const words = text.split(/\s+/).filter((w) => LETTER.test(w));
  return text.length >= 20 && words.length >= 4 && CAPITAL_FIRST.test(text) && /\.$/.test(text) && !PLACEHOLDER.test(text);
}

/** Thrown for a suppression of an unknown rule or with an unacceptable reason. */
export class SuppressionError extends Error {
  override readonly name = 'SuppressionError';
}

/** Accepts non-compliant results of `ruleId` on every resource under `scope`, for `reason`. */
export function suppress(scope: IConstruct, ruleId: string, reason: string): void {
  if (!RULE_IDS.includes(ruleId)) {
    throw new SuppressionError(
      `${scope.node.path}: cannot suppress unknown policy rule ${JSON.stringify(ruleId)}; known rules: ${RULE_IDS.join(', ')}`,
    );
  }
  if (!isValidReason(reason)) {
    throw new SuppressionError(`${scope.node.path}: suppression of ${ruleId}: reason ${JSON.stringify(reason)} is not ${REASON_RULE}`);
  }
  scope.node.addMetadata(METADATA_TYPE, { rule: ruleId, reason: reason.trim() } satisfies Suppression);
}

/** Suppressions that cover `construct`: its own and those of every scope above it, nearest first. */
export function suppressionsOf(construct: IConstruct): (Suppression & { readonly path: string })[] {
  return [...construct.node.scopes]
    .reverse()
    .flatMap((scope) =>
      scope.node.metadata.filter((m) => m.type === METADATA_TYPE).map((m) => ({ ...(m.data as Suppression), path: scope.node.path })),
    );
}

/** Every suppression declared on `root` or beneath it. */
export function suppressionsDeclaredIn(root: IConstruct): (Suppression & { readonly path: string })[] {
  return root.node
    .findAll()
    .flatMap((c) =>
      c.node.metadata.filter((m) => m.type === METADATA_TYPE).map((m) => ({ ...(m.data as Suppression), path: c.node.path })),
    );
}
