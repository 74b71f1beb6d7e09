/** Reads IAM-style JSON policy documents (IAM, key, bucket and topic policies) as rules need them. */
import { listOf } from './tokens';

export interface Statement {
  readonly effect: 'Allow' | 'Deny';
  readonly actions: readonly string[];
  /** True when the statement uses NotAction (everything but the listed actions). */
  readonly notAction: boolean;
  readonly resources: readonly string[];
  /** True when the statement uses NotResource (every resource but the listed ones). */
  readonly notResource: boolean;
  /** Principal values flattened (`"*"` for a public principal); empty when the statement has none. */
  readonly principals: readonly string[];
  /** Principal values by type (`AWS`, `Service`, `Federated`…; `"*"` is `{ AWS: ["*"] }`, as IAM reads it). */
  readonly principalsByType: Readonly<Record<string, readonly string[]>>;
  /** True when the statement uses NotPrincipal (everyone but the listed principals; `principals` is then empty). */
  readonly notPrincipal: boolean;
  readonly condition: Readonly<Record<string, Record<string, unknown>>>;
}

/** The statements of `policy` (a JSON string or object); undefined when it cannot be read at synth. */
export function statementsOf(policy: unknown): Statement[] | undefined {
  let doc: unknown = policy;
  if (typeof policy === 'string') {
    try {
      doc = JSON.parse(policy);
    } catch {
      return undefined;
    }
  }
  if (typeof doc !== 'object' || doc === null) return undefined;
  const raw = listOf((doc as Record<string, unknown>).Statement);
  if (raw.length === 0) return undefined;
  return raw.map((s) => {
    const st = s as Record<string, any>;
    const principal = st.Principal;
    const principalsByType: Record<string, string[]> =
      principal === undefined
        ? {}
        : principal === '*'
          ? { AWS: ['*'] }
          : Object.fromEntries(Object.entries(principal as Record<string, unknown>).map(([type, v]) => [type, listOf(v).map(String)]));
    const principals = principal === '*' ? ['*'] : Object.values(principalsByType).flat();
    return {
      effect: st.Effect === 'Deny' ? 'Deny' : 'Allow',
      actions: listOf(st.Action ?? st.NotAction).map(String),
      notAction: st.NotAction !== undefined,
      resources: listOf(st.Resource ?? st.NotResource).map(String),
      notResource: st.NotResource !== undefined,
      principals,
      principalsByType,
      notPrincipal: st.NotPrincipal !== undefined,
      condition: (st.Condition ?? {}) as Record<string, Record<string, unknown>>,
    } satisfies Statement;
  });
}

/**
 * True when the IAM pattern `pattern` (an action or a resource: `*` matches any run of characters, `/` and
 * `:` included, `?` any one) matches `value`. `ignoreCase` for actions, which IAM compares without case.
 */
export function matchesPattern(pattern: string, value: string, ignoreCase = false): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '[\\s\\S]*')
    .replace(/\?/g, '[\\s\\S]');
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '').test(value);
}

/**
 * Operators under which a condition holds only when its key is present and matches one of the values: no
 * negation (`StringNotEquals`), no `…IfExists` (true when the key is absent), no `ForAllValues:` (true for an
 * empty set), no `Null`.
 */
const REQUIRING_OPERATOR = /^(ForAnyValue:)?(StringEquals|StringEqualsIgnoreCase|StringLike|ArnEquals|ArnLike)$/;

/**
 * What `condition` requires of the keys `keyMatches` accepts (condition keys compared in lower case, as IAM
 * compares them): one entry per key under a requiring operator (see REQUIRING_OPERATOR), with its values.
 * The key must then be present and match one of the values; every entry must hold (conditions are ANDed).
 */
export function requiredValues(
  condition: Statement['condition'],
  keyMatches: (lowerCaseKey: string) => boolean,
): { readonly operator: string; readonly key: string; readonly values: readonly unknown[] }[] {
  return Object.entries(condition).flatMap(([operator, entries]) =>
    REQUIRING_OPERATOR.test(operator) && typeof entries === 'object' && entries !== null
      ? Object.entries(entries)
          .filter(([key]) => keyMatches(key.toLowerCase()))
          .map(([key, values]) => ({ operator: operator.replace(/^ForAnyValue:/, ''), key, values: listOf(values) }))
      : [],
  );
}

/** True when `condition` holds `aws:SecureTransport` false under Bool (or BoolIfExists, stricter still). */
function requiresInsecureTransport(condition: Statement['condition']): boolean {
  return ['Bool', 'BoolIfExists'].some((operator) => {
    const values = listOf(condition[operator]?.['aws:SecureTransport']);
    return values.length > 0 && values.every((v) => v === false || v === 'false');
  });
}

/**
 * The statements of `policy` that deny, to every principal, requests made without TLS (`aws:SecureTransport`
 * false) for one of `actions` (compared case-insensitively, as IAM does), e.g. `['*', 's3:*']`. Statements
 * written with NotAction or NotResource do not count.
 */
export function insecureTransportDenials(policy: unknown, actions: readonly string[]): Statement[] {
  const wanted = actions.map((a) => a.toLowerCase());
  return (statementsOf(policy) ?? []).filter(
    (s) =>
      s.effect === 'Deny' &&
      !s.notAction &&
      !s.notResource &&
      !s.notPrincipal &&
      s.principals.includes('*') &&
      s.actions.some((a) => wanted.includes(a.toLowerCase())) &&
      requiresInsecureTransport(s.condition),
  );
}

/** True when `policy` denies requests made without TLS for one of `actions` (see `insecureTransportDenials`). */
export function deniesInsecureTransport(policy: unknown, actions: readonly string[]): boolean {
  return insecureTransportDenials(policy, actions).length > 0;
}
