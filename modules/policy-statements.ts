/** IAM policy documents (identity, resource, trust and key policies) and the statements several constructs share. */

/** A condition block: operator (`StringEquals`, `ArnLike`, `Bool`…) → condition key → value(s). */
export type PolicyCondition = Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;

/** One statement of an IAM policy document, with the element names AWS uses. */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  /** For resource, key and trust policies: `'*'` or `{ AWS | Service | Federated: … }`. */
  readonly Principal?: '*' | Readonly<Record<string, string | readonly string[]>>;
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Condition?: PolicyCondition;
}

/**
 * The policy document of `statements` as the JSON string a `policy` argument takes, with every object's
 * keys in byte order, compact — exactly the text Terraform's `jsonencode` writes for the same value. AWS
 * reads key order as meaningless, so the policy is unchanged; the plain-Terraform export can therefore
 * write it as `jsonencode({...})` and still render the very same string as this stack.
 */
export function policyDocument(statements: readonly PolicyStatement[]): string {
  return canonicalJson({ Version: '2012-10-17', Statement: statements });
}

/** `value` as compact JSON with object keys sorted by their UTF-8 bytes (Go's and so `jsonencode`'s order). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Denies `action` on `resources` to every principal when the request does not use TLS. */
export function denyInsecureTransport(action: string, resources: string | readonly string[]): PolicyStatement {
  return {
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: action,
    Resource: resources,
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}
