/**
 * What a synthesized value is. After cdktf resolves tokens, a value Terraform will only know at apply
 * time is a string holding an interpolation (`${aws_kms_key.encryption_key.arn}`, `${var.x}`,
 * `${element(...)}`). Rules treat such a value as unknown — non-compliant — unless it is a plain reference
 * to a resource of the type the rule expects, which the construct tree itself proves.
 */
import { Token } from 'cdktf';

/** `${<type>.<name>.<attribute…>}`: one attribute of one managed resource. */
export interface Reference {
  readonly type: string;
  readonly name: string;
  /** Attribute path after the name, e.g. `arn` or `master_user_secret[0].secret_arn`. */
  readonly attribute: string;
  /** `<type>.<name>`. */
  readonly address: string;
}

const WHOLE_REFERENCE =
  /^\$\{([a-z][a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)\.([A-Za-z_][A-Za-z0-9_]*(?:\[\d+\])?(?:\.[A-Za-z_][A-Za-z0-9_]*(?:\[\d+\])?)*)\}$/;
const NOT_RESOURCES = new Set(['data', 'var', 'local', 'module', 'each', 'count', 'path', 'terraform', 'self']);

/** The reference `value` is, when it is exactly one managed-resource attribute reference; else undefined. */
export function referenceOf(value: unknown): Reference | undefined {
  if (typeof value !== 'string') return undefined;
  const match = WHOLE_REFERENCE.exec(value);
  if (!match || NOT_RESOURCES.has(match[1])) return undefined;
  return { type: match[1], name: match[2], attribute: match[3], address: `${match[1]}.${match[2]}` };
}

/**
 * True when `value` is a reference to a resource of `type` (and, when given, to its `attribute`):
 * `refersTo("${aws_kms_key.k.arn}", 'aws_kms_key', 'arn')`.
 */
export function refersTo(value: unknown, type: string, attribute?: string): boolean {
  const ref = referenceOf(value);
  return ref !== undefined && ref.type === type && (attribute === undefined || ref.attribute === attribute);
}

/** True when `value` (or anything inside it) is only known at apply time or still an unresolved token. */
export function isUnresolved(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('${') || value.includes('%{') || Token.isUnresolved(value);
  if (typeof value === 'number') return Token.isUnresolved(value);
  if (Array.isArray(value)) return value.some(isUnresolved);
  if (typeof value === 'object' && value !== null) return Object.values(value).some(isUnresolved);
  return false;
}

/** `value` when it is the literal `true` (Terraform also accepts the string "true"). */
export function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

/** `value` when it is the literal `false` (or "false"). */
export function isFalse(value: unknown): boolean {
  return value === false || value === 'false';
}

/** A literal number (numbers may be written as strings, e.g. `"30"`); undefined when unknown or absent. */
export function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number' && !Token.isUnresolved(value)) return value;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  return undefined;
}

/** Blocks in Terraform JSON may be an object or a list of objects; always a list. */
export function blocks(value: unknown): Record<string, any>[] {
  if (Array.isArray(value)) return value.filter((v) => typeof v === 'object' && v !== null);
  if (typeof value === 'object' && value !== null) return [value as Record<string, any>];
  return [];
}

/** A list attribute as a list (a single value becomes a one-element list; absent becomes empty). */
export function listOf(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** A value as shown in a finding: JSON, `nothing` when absent. */
export function show(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}
