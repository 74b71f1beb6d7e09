/**
 * Whether a resource policy (a key policy, a bucket policy) lets a given caller make a request: the statements that
 * allow the action on the resource to that principal, with conditions evaluated against the request context the
 * calling service sends. A small evaluator, enough for the
 * statements the stacks write: Allow and Deny statements, their Principal and the condition operators below; a
 * condition on a key the context does not hold is false, as in IAM (unless `...IfExists`), so an Allow under it does
 * not apply and neither does a Deny. What it does not read counts against the request: an operator it does not know
 * never lets an Allow apply and always lets a Deny apply, and so do NotAction, NotResource and NotPrincipal.
 */
import { matchesPattern, type Statement } from '../../../policy/policy-document';
import { allowsAction } from './terraform-json';

/** Who calls KMS: a service principal, or an IAM role (by ARN). */
export type Caller = { readonly service: string } | { readonly role: string };

/** A request: the caller, the action, the resource (a key policy: `*`), and the context keys the service sends (lower-case keys). */
export interface PolicyRequest {
  readonly caller: Caller;
  readonly action: string;
  /** The ARN acted on; a key policy's statements name `*`. @default '*' */
  readonly resource?: string;
  readonly context: Readonly<Record<string, string>>;
}

/** True when the statement's Principal names the caller (`"*"` names every caller, services included). */
function principalMatches(statement: Statement, caller: Caller): boolean {
  if (statement.notPrincipal) return false;
  if (statement.principalsByType.AWS?.includes('*')) return true;
  if ('service' in caller) return (statement.principalsByType.Service ?? []).includes(caller.service);
  return (statement.principalsByType.AWS ?? []).includes(caller.role);
}

/** Whether a condition operator holds, or undefined for an operator this evaluator does not know. */
function operatorHolds(operator: string, actual: string | undefined, wanted: string[]): boolean | undefined {
  const base = operator.replace(/IfExists$/, '');
  const known = ['StringEquals', 'StringEqualsIgnoreCase', 'StringLike', 'ArnLike', 'ArnEquals', 'Bool'];
  if (!known.includes(base)) return undefined;
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
    default: // Bool
      return wanted.some((w) => w.toLowerCase() === actual.toLowerCase());
  }
}

/** True when every condition of `statement` holds for `context`; `unknown` is what an unknown operator counts as. */
export function conditionsHold(statement: Statement, context: Readonly<Record<string, string>>, unknown = false): boolean {
  return Object.entries(statement.condition).every(([operator, entries]) =>
    Object.entries(entries).every(
      ([key, values]) =>
        operatorHolds(operator, context[key.toLowerCase()], (Array.isArray(values) ? values : [values]).map(String)) ?? unknown,
    ),
  );
}

const resourceMatches = (s: Statement, request: PolicyRequest) => s.resources.some((r) => matchesPattern(r, request.resource ?? '*'));

/** The statements of a policy that allow `request` (an empty list: the service refuses it). */
export function allowingStatements(policy: readonly Statement[], request: PolicyRequest): Statement[] {
  return policy.filter(
    (s) =>
      s.effect === 'Allow' &&
      principalMatches(s, request.caller) &&
      allowsAction(s, request.action) &&
      !s.notResource &&
      resourceMatches(s, request) &&
      conditionsHold(s, request.context),
  );
}

/** The Deny statements that apply to `request` (any: refused), counting every Deny written with a Not… element. */
export function denyingStatements(policy: readonly Statement[], request: PolicyRequest): Statement[] {
  return policy.filter(
    (s) =>
      s.effect === 'Deny' &&
      (s.notAction ||
        s.notResource ||
        s.notPrincipal ||
        (principalMatches(s, request.caller) &&
          allowsAction(s, request.action) &&
          resourceMatches(s, request) &&
          conditionsHold(s, request.context, true))),
  );
}

/** The requests the policy does not allow, as `<action> for <caller>`. */
export function refused(policy: readonly Statement[], requests: readonly PolicyRequest[]): string[] {
  return requests
    .filter((r) => allowingStatements(policy, r).length === 0 || denyingStatements(policy, r).length > 0)
    .map((r) => `${r.action} for ${'service' in r.caller ? r.caller.service : r.caller.role}`);
}

/** The same context, with lower-case keys (IAM compares condition keys without case). */
export function context(keys: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(keys).map(([k, v]) => [k.toLowerCase(), v]));
}
