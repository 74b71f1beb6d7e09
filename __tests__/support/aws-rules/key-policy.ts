/**
 * Whether a key policy lets a given caller use the key: the statements that allow the action to that principal, with
 * conditions evaluated against the request context the calling service sends. A small evaluator, enough for the
 * statements the stacks write: Allow statements, their Principal and the condition operators below; a condition on a
 * key the context does not hold fails, as in IAM (unless `...IfExists`). Deny statements are not read: the KMS suite
 * fails on any key policy that has one, until this evaluator learns them.
 */
import { matchesPattern, type Statement } from '../../../policy/policy-document';
import { allowsAction } from './terraform-json';

/** Who calls KMS: a service principal, or an IAM role (by ARN). */
export type Caller = { readonly service: string } | { readonly role: string };

/** A request: the caller, the action, and the request context keys the service sends (lower-case keys). */
export interface KeyRequest {
  readonly caller: Caller;
  readonly action: string;
  readonly context: Readonly<Record<string, string>>;
}

function principalMatches(statement: Statement, caller: Caller): boolean {
  if (statement.notPrincipal) return false;
  if ('service' in caller) return (statement.principalsByType.Service ?? []).includes(caller.service);
  return (statement.principalsByType.AWS ?? []).some((p) => p === '*' || p === caller.role);
}

function operatorHolds(operator: string, actual: string | undefined, wanted: string[]): boolean {
  const base = operator.replace(/IfExists$/, '');
  if (actual === undefined) return operator.endsWith('IfExists');
  switch (base) {
    case 'StringEquals':
      return wanted.includes(actual);
    case 'StringEqualsIgnoreCase':
      return wanted.some((w) => w.toLowerCase() === actual.toLowerCase());
    case 'StringLike':
    case 'ArnLike':
    case 'ArnEquals':
      return wanted.some((w) => matchesPattern(w, actual));
    case 'Bool':
      return wanted.some((w) => w.toLowerCase() === actual.toLowerCase());
    default:
      return false; // an operator this evaluator does not know: never assumed to hold
  }
}

/** True when every condition of `statement` holds for `context`. */
export function conditionsHold(statement: Statement, context: Readonly<Record<string, string>>): boolean {
  return Object.entries(statement.condition).every(([operator, entries]) =>
    Object.entries(entries).every(([key, values]) =>
      operatorHolds(operator, context[key.toLowerCase()], (Array.isArray(values) ? values : [values]).map(String)),
    ),
  );
}

/** The statements of a key policy that allow `request` (an empty list: KMS refuses it). */
export function allowingStatements(policy: readonly Statement[], request: KeyRequest): Statement[] {
  return policy.filter(
    (s) =>
      s.effect === 'Allow' &&
      principalMatches(s, request.caller) &&
      allowsAction(s, request.action) &&
      !s.notResource &&
      s.resources.includes('*') &&
      conditionsHold(s, request.context),
  );
}

/** The actions of `requests` the key policy does not allow, as `<action> for <caller>`. */
export function refused(policy: readonly Statement[], requests: readonly KeyRequest[]): string[] {
  return requests
    .filter((r) => allowingStatements(policy, r).length === 0)
    .map((r) => `${r.action} for ${'service' in r.caller ? r.caller.service : r.caller.role}`);
}

/** The same context, with lower-case keys (IAM compares condition keys without case). */
export function context(keys: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(keys).map(([k, v]) => [k.toLowerCase(), v]));
}
