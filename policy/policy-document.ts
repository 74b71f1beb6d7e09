/** Reads IAM-style JSON policy documents (IAM, key, bucket and topic policies) as rules need them. */
import { listOf } from './tokens';

export interface Statement {
  readonly effect: 'Allow' | 'Deny';
  readonly actions: readonly string[];
  /** True when the statement uses NotAction (everything but the listed actions). */
  readonly notAction: boolean;
  readonly resources: readonly string[];
  /** Principal values flattened (`"*"` for a public principal); empty when the statement has none. */
  readonly principals: readonly string[];
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
    const principals =
      principal === undefined
        ? []
        : principal === '*'
          ? ['*']
          : Object.values(principal as Record<string, unknown>).flatMap((v) => listOf(v).map(String));
    return {
      effect: st.Effect === 'Deny' ? 'Deny' : 'Allow',
      actions: listOf(st.Action ?? st.NotAction).map(String),
      notAction: st.NotAction !== undefined,
      resources: listOf(st.Resource ?? st.NotResource).map(String),
      principals,
      condition: (st.Condition ?? {}) as Record<string, Record<string, unknown>>,
    } satisfies Statement;
  });
}

/**
 * True when `policy` denies, to every principal, requests made without TLS (`aws:SecureTransport` false)
 * for one of `actions` (compared case-insensitively, as IAM does), e.g. `['*', 's3:*']`.
 */
export function deniesInsecureTransport(policy: unknown, actions: readonly string[]): boolean {
  const wanted = actions.map((a) => a.toLowerCase());
  return (statementsOf(policy) ?? []).some(
    (s) =>
      s.effect === 'Deny' &&
      s.principals.includes('*') &&
      s.actions.some((a) => wanted.includes(a.toLowerCase())) &&
      ['false', false].includes(s.condition.Bool?.['aws:SecureTransport'] as string | boolean),
  );
}
