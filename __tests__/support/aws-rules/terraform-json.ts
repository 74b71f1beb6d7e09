/**
 * Reading a synthesized stack (cdk.tf.json) as AWS will receive it: resources by type, what a reference points
 * to, the region and account of the provider a resource is created with, and the statements of a policy.
 */
import { matchesPattern, statementsOf, type Statement } from '../../../policy/policy-document';
import { referenceOf, type Reference } from '../../../policy/tokens';
import type { StackJson } from '../synth';

export type { Statement, Reference };

/** A resource of a stack. */
export interface Resource {
  readonly type: string;
  readonly name: string;
  /** `<type>.<name>`, how problems name it. */
  readonly address: string;
  readonly body: Record<string, any>;
}

/** Every resource of `type` in `stack`. */
export function resourcesOf(stack: StackJson, type: string): Resource[] {
  return Object.entries(stack.resource?.[type] ?? {}).map(([name, body]) => ({ type, name, address: `${type}.${name}`, body }));
}

/** The resource a value refers to (`${aws_x.name.attr}`), when it is a plain reference to one of this stack. */
export function target(stack: StackJson, value: unknown, type?: string): Resource | undefined {
  const ref = referenceOf(value);
  if (!ref || (type !== undefined && ref.type !== type)) return undefined;
  const body = stack.resource?.[ref.type]?.[ref.name];
  return body ? { type: ref.type, name: ref.name, address: ref.address, body } : undefined;
}

/** The attribute a plain reference reads (`arn`, `master_user_secret[0].secret_arn`), or undefined. */
export function attributeOf(value: unknown): string | undefined {
  return referenceOf(value)?.attribute;
}

/** True when `value` is a plain reference to `resource` (any attribute, or `attribute`). */
export function refersTo(value: unknown, resource: Resource, attribute?: string): boolean {
  const ref = referenceOf(value);
  return ref?.address === resource.address && (attribute === undefined || ref.attribute === attribute);
}

/** Blocks of a nested block (cdktf writes a single block as an object, several as a list). */
export function blocks(value: unknown): Record<string, any>[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]) as Record<string, any>[];
}

/** The `aws` provider block a resource is created with (its `provider` alias, or the default). */
export function providerOf(stack: StackJson, body: Record<string, any>): Record<string, any> {
  const providers: Record<string, any>[] = blocks(stack.provider?.aws);
  const alias = typeof body.provider === 'string' ? body.provider.replace(/^aws\./, '') : undefined;
  const found = providers.find((p) => (alias === undefined ? p.alias === undefined : p.alias === alias));
  if (!found)
    throw new Error(`no aws provider ${alias ?? '(default)'} in the stack; have ${providers.map((p) => p.alias ?? 'default').join(', ')}`);
  return found;
}

/** The region a resource is created in. */
export function regionOf(stack: StackJson, body: Record<string, any>): string {
  return String(providerOf(stack, body).region);
}

/** The account the stack deploys to (its default provider's only allowed account). */
export function accountOf(stack: StackJson): string {
  const allowed: unknown[] = providerOf(stack, {}).allowed_account_ids ?? [];
  if (allowed.length !== 1) throw new Error(`the default provider allows ${allowed.length} accounts; expected one`);
  return String(allowed[0]);
}

/** The statements of a policy document (JSON text), failing loudly when it cannot be read. */
export function statements(policy: unknown, what: string): Statement[] {
  const found = statementsOf(policy);
  if (!found) throw new Error(`${what}: the policy cannot be read as JSON`);
  return found;
}

/** Values of a condition key under an operator (`ArnLike`, `kms:EncryptionContext:aws:logs:arn`), as strings. */
export function conditionValues(statement: Statement, operator: string, key: string): string[] {
  const entries = statement.condition[operator] ?? {};
  const found = Object.entries(entries).find(([k]) => k.toLowerCase() === key.toLowerCase());
  if (!found) return [];
  return (Array.isArray(found[1]) ? found[1] : [found[1]]).map(String);
}

/** True when one of the statement's actions (with IAM wildcards, any case) covers `action`. */
export function allowsAction(statement: Statement, action: string): boolean {
  return !statement.notAction && statement.actions.some((a) => matchesPattern(a, action, true));
}

export { matchesPattern };

/**
 * A policy text with the ARNs of the stack's buckets written out (`${aws_s3_bucket.x.arn}` becomes
 * `arn:aws:s3:::<name>`), as S3 will read it once Terraform has filled them in.
 */
export function withBucketArns(stack: StackJson, policy: string): string {
  return policy.replace(/\$\{aws_s3_bucket\.([A-Za-z0-9_-]+)\.arn\}/g, (whole, name: string) => {
    const bucket = stack.resource?.aws_s3_bucket?.[name]?.bucket;
    return typeof bucket === 'string' ? `arn:aws:s3:::${bucket}` : whole;
  });
}
