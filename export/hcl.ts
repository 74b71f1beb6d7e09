/**
 * Terraform JSON (what cdktf synthesizes) → HCL native syntax, exactly equivalent for Terraform.
 *
 * - Keys of a resource, data source or provider body are attributes or nested blocks according to the
 *   provider schema (`./provider-schema.ts`); a block given as a list of objects becomes repeated blocks.
 *   Arguments come in one order (`argumentRank`: what identifies the object, required, optional, `tags`),
 *   and a bool or number attribute given as a string is written as the bool or number.
 * - A JSON string in an expression position is a Terraform template: an interpolation-only string
 *   (`"${aws_vpc.x.id}"`) becomes the bare expression (a long for expression broken after its `:`), mixed
 *   text stays a template, a multi-line string ending in a newline becomes a heredoc, and a JSON document
 *   becomes `jsonencode({...})` when that renders to the very same string (a policy in the element order
 *   of AWS's examples). Strings Terraform reads verbatim (backend settings, descriptions, variable
 *   defaults) get `${` / `%{` escaped instead.
 * - Meta-arguments keep their meaning: `depends_on`, `ignore_changes`, `provider`, `moved`/`import`
 *   addresses are references, not strings; `lifecycle`, `dynamic`, `provisioner`, `connection` are blocks.
 * - cdktf's `"//"` metadata is dropped from bodies; a resource's construct path is kept as `source`.
 *
 * The layout follows `terraform fmt` (two-space indent, `=` aligned over runs of one-line attributes),
 * so formatting the result is a no-op. Anything the converter does not understand throws: a key that is
 * neither attribute nor block, an unknown top-level section, an unterminated template.
 */
import type { AttributeKind, BlockSchema, ProviderSchemas } from './provider-schema';
import { providerAddress } from './provider-schema';

// ---------------------------------------------------------------------------------------------------
// Templates

/** One piece of a Terraform template: literal text (unescaped), `${…}` or `%{…}` (source, verbatim). */
export type TemplatePart =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'interpolation'; readonly source: string }
  | { readonly kind: 'directive'; readonly source: string };

/** Index just past the `}` that closes the `${` or `%{` starting at `start`. */
function sequenceEnd(src: string, start: number): number {
  const closers: string[] = [];
  let i = start + 2;
  while (i < src.length) {
    const ch = src[i];
    if (ch === '"') {
      i = quotedEnd(src, i);
      continue;
    }
    if (ch === '{' || ch === '(' || ch === '[') closers.push(ch === '{' ? '}' : ch === '(' ? ')' : ']');
    else if (ch === '}' && closers.length === 0) return i + 1;
    else if (ch === '}' || ch === ')' || ch === ']') {
      if (closers.pop() !== ch) break;
    }
    i++;
  }
  throw new Error(`Unterminated template sequence at offset ${start} in ${JSON.stringify(src)}`);
}

/** Index just past the `"` that closes the quoted string (inside an expression) starting at `start`. */
function quotedEnd(src: string, start: number): number {
  let i = start + 1;
  while (i < src.length) {
    const ch = src[i];
    if (ch === '\\') i += 2;
    else if (ch === '"') return i + 1;
    else if (src.startsWith('$${', i) || src.startsWith('%%{', i)) i += 3;
    else if ((ch === '$' || ch === '%') && src[i + 1] === '{') i = sequenceEnd(src, i);
    else i++;
  }
  throw new Error(`Unterminated string inside a template expression in ${JSON.stringify(src)}`);
}

/** Splits a template source into literal text and sequences, as Terraform's template parser does. */
export function parseTemplate(src: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let text = '';
  let i = 0;
  while (i < src.length) {
    if (src.startsWith('$${', i) || src.startsWith('%%{', i)) {
      text += src[i] + '{';
      i += 3;
    } else if (src.startsWith('${', i) || src.startsWith('%{', i)) {
      if (text) parts.push({ kind: 'literal', text });
      text = '';
      const end = sequenceEnd(src, i);
      parts.push({ kind: src[i] === '$' ? 'interpolation' : 'directive', source: src.slice(i, end) });
      i = end;
    } else {
      text += src[i];
      i++;
    }
  }
  if (text) parts.push({ kind: 'literal', text });
  return parts;
}

/** The expression inside `${ … }`, without strip markers. */
function interpolationExpression(source: string): string {
  return source.slice(2, -1).replace(/^~/, '').replace(/~$/, '').trim();
}

/** Literal text as template source: `${` and `%{` escaped. */
function escapeTemplateText(text: string): string {
  // (A function, because `$$` in a replacement string means one `$`.)
  return text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

/** Literal text inside a quoted string: template escapes plus HCL's backslash escapes. */
function escapeQuotedText(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return escapeTemplateText(out);
}

/** A quoted HCL template for `parts`. */
function quoted(parts: readonly TemplatePart[]): string {
  return `"${parts.map((p) => (p.kind === 'literal' ? escapeQuotedText(p.text) : p.source)).join('')}"`;
}

// ---------------------------------------------------------------------------------------------------
// Lines: rendered HCL before indentation

/** One output line; `depth` counts two-space indents; `raw` lines (heredoc bodies) are never indented. */
interface Line {
  readonly depth: number;
  readonly text: string;
  readonly raw?: boolean;
}

/** A rendered expression: its first line continues `name = `, later lines are relative to that line. */
type Expr = Line[];

function shift(lines: readonly Line[], depth: number): Line[] {
  return lines.map((l) => (l.raw ? l : { ...l, depth: l.depth + depth }));
}

function single(text: string): Expr {
  return [{ depth: 0, text }];
}

function isHeredoc(expr: Expr): boolean {
  return expr[0].text.startsWith('<<');
}

/** `terraform fmt` aligns the `=` of consecutive attributes that fit on one line (heredocs count). */
function alignable(expr: Expr): boolean {
  return expr.length === 1 || isHeredoc(expr);
}

/** A body item: an attribute, a rendered block, a comment or a blank line. */
type Item =
  { readonly kind: 'attribute'; readonly name: string; readonly value: Expr } | { readonly kind: 'lines'; readonly lines: readonly Line[] };

const BLANK: Item = { kind: 'lines', lines: [{ depth: 0, text: '' }] };

/** Lays out body items at `depth`, aligning `=` the way `terraform fmt` does. */
function layout(items: readonly Item[], depth: number): Line[] {
  const out: Line[] = [];
  let i = 0;
  while (i < items.length) {
    const item = items[i];
    if (item.kind === 'lines') {
      out.push(...shift(item.lines, depth));
      i++;
      continue;
    }
    let end = i;
    let width = 0;
    while (end < items.length) {
      const candidate = items[end];
      if (candidate.kind !== 'attribute' || !alignable(candidate.value)) break;
      width = Math.max(width, candidate.name.length);
      end++;
    }
    if (end === i) {
      out.push({ depth, text: `${item.name} = ${item.value[0].text}` }, ...shift(item.value.slice(1), depth));
      i++;
      continue;
    }
    for (; i < end; i++) {
      const attribute = items[i] as Extract<Item, { kind: 'attribute' }>;
      out.push({ depth, text: `${attribute.name.padEnd(width)} = ${attribute.value[0].text}` }, ...shift(attribute.value.slice(1), depth));
    }
  }
  return out;
}

/** Final text of lines. */
function print(lines: readonly Line[]): string {
  return lines.map((l) => (l.raw || l.text === '' ? l.text : '  '.repeat(l.depth) + l.text)).join('\n');
}

// ---------------------------------------------------------------------------------------------------
// Values

/** How strings are read: as templates (expressions) or verbatim (backend settings, descriptions). */
type StringMode = 'template' | 'literal';

export interface ValueOptions {
  /** Whether a bare reference (`aws_x.y.attr`) is known to be a string; used inside `jsonencode`. */
  readonly isStringReference?: (expression: string) => boolean;
}

const KEYWORDS = new Set(['true', 'false', 'null', 'for', 'if', 'in', 'endfor', 'endif', 'else']);

/** An object key: bare when it is a plain identifier, else quoted (or `(expr)` for a computed key). */
function objectKey(key: string, mode: StringMode): string {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key) && !KEYWORDS.has(key)) return key;
  if (mode === 'literal') return quoted([{ kind: 'literal', text: key }]);
  const parts = parseTemplate(key);
  if (parts.length === 1 && parts[0].kind === 'interpolation') return `(${interpolationExpression(parts[0].source)})`;
  return quoted(parts);
}

const INLINE_LIST_LIMIT = 80;

function list(items: readonly Expr[]): Expr {
  if (items.length === 0) return single('[]');
  if (items.every((e) => e.length === 1)) {
    const inline = `[${items.map((e) => e[0].text).join(', ')}]`;
    if (inline.length <= INLINE_LIST_LIMIT) return single(inline);
  }
  const lines: Line[] = [{ depth: 0, text: '[' }];
  for (const item of items) {
    const body = shift(item, 1);
    const last = body.length - 1;
    body[last] = { ...body[last], text: `${body[last].text},` };
    lines.push(...body);
  }
  lines.push({ depth: 0, text: ']' });
  return lines;
}

function object(entries: readonly (readonly [string, Expr])[]): Expr {
  if (entries.length === 0) return single('{}');
  const items: Item[] = entries.map(([name, value]) => ({ kind: 'attribute', name, value }));
  return [{ depth: 0, text: '{' }, ...layout(items, 1), { depth: 0, text: '}' }];
}

/** A heredoc for a multi-line string that ends with a newline and holds nothing a heredoc cannot. */
function heredoc(parts: readonly TemplatePart[]): Expr | undefined {
  const source = parts.map((p) => (p.kind === 'literal' ? escapeTemplateText(p.text) : p.source)).join('');
  const lines = source.split('\n');
  // split() leaves '' after the final newline; a heredoc always ends its last line with one.
  if (lines.length < 3 || lines[lines.length - 1] !== '' || /[\r\u0000-\u0008\u000b-\u001f\u007f]/.test(source)) return undefined;
  lines.pop();
  let marker = 'EOT';
  for (let n = 1; lines.some((l) => l.trim() === marker); n++) marker = `EOT${n}`;
  return [
    { depth: 0, text: `<<${marker}` },
    ...lines.map((text) => ({ depth: 0, text, raw: true })),
    { depth: 0, text: marker, raw: true },
  ];
}

/** A string in expression position: bare expression, `jsonencode(…)`, heredoc or quoted template. */
function templateString(value: string, options: ValueOptions, allowHeredoc: boolean): Expr {
  const parts = parseTemplate(value);
  if (parts.length === 1 && parts[0].kind === 'interpolation') {
    const expression = interpolationExpression(parts[0].source);
    return forExpression(expression) ?? single(expression.includes('\n') ? `(${expression})` : expression);
  }
  const json = jsonDocument(parts);
  if (json) return jsonencode(json, options);
  return (allowHeredoc && heredoc(parts)) || single(quoted(parts));
}

const INLINE_FOR_LIMIT = 80;

/**
 * A `[for … : …]` or `{ for … : … }` expression spaced as `terraform fmt` spaces it, and when longer than
 * INLINE_FOR_LIMIT broken after the `:` (HCL reads newlines inside a for expression as spaces):
 * `{`, `for k, v in collection :`, `key => value`, `}`. Undefined for any other expression.
 */
function forExpression(expression: string): Expr | undefined {
  const open = expression[0];
  const close = open === '{' ? '}' : open === '[' ? ']' : undefined;
  if (!close || !expression.endsWith(close)) return undefined;
  const inner = expression.slice(1, -1).trim();
  if (!/^for\s/.test(inner)) return undefined;
  // The `:` that ends the for clause: outside brackets and strings, and not the `:` of a `? :`.
  let depth = 0;
  let pendingConditionals = 0;
  let colon = -1;
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i];
    if (ch === '"') i = quotedEnd(inner, i) - 1;
    else if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') {
      if (--depth < 0) return undefined; // the brackets at the ends do not belong together
    } else if (depth === 0 && ch === '?') pendingConditionals++;
    else if (depth === 0 && ch === ':' && colon < 0) {
      if (pendingConditionals > 0) pendingConditionals--;
      else colon = i;
    }
  }
  if (colon < 0 || depth !== 0) return undefined;
  const head = inner.slice(0, colon).trim();
  const rest = inner.slice(colon + 1).trim();
  const inline = open === '{' ? `{ ${head} : ${rest} }` : `[${head} : ${rest}]`;
  if (inline.length <= INLINE_FOR_LIMIT) return single(inline);
  return [
    { depth: 0, text: open },
    { depth: 1, text: `${head} :` },
    { depth: 1, text: rest },
    { depth: 0, text: close },
  ];
}

/** A string Terraform reads verbatim. */
function literalString(value: string, allowHeredoc: boolean): Expr {
  const parts: TemplatePart[] = value ? [{ kind: 'literal', text: value }] : [];
  return (allowHeredoc && heredoc(parts)) || single(quoted(parts));
}

/** Renders a JSON value as an HCL expression. */
export function expression(value: unknown, mode: StringMode = 'template', options: ValueOptions = {}, allowHeredoc = false): Expr {
  if (value === null) return single('null');
  if (typeof value === 'string')
    return mode === 'template' ? templateString(value, options, allowHeredoc) : literalString(value, allowHeredoc);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`Not a Terraform number: ${value}`);
    return single(String(value));
  }
  if (typeof value === 'boolean') return single(String(value));
  if (Array.isArray(value)) return list(value.map((v) => expression(v, mode, options)));
  if (typeof value === 'object') {
    return object(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [objectKey(k, mode), expression(v, mode, options)] as const),
    );
  }
  throw new Error(`Cannot render ${typeof value} as HCL`);
}

/** Renders a value and returns HCL text (used by tests and for one-off values). */
export function renderExpression(value: unknown, mode: StringMode = 'template', options: ValueOptions = {}): string {
  return print(expression(value, mode, options, true));
}

// ---------------------------------------------------------------------------------------------------
// jsonencode: a JSON document with interpolations → an HCL object, when Terraform renders it identically

interface JsonDocument {
  readonly value: unknown;
  /** Placeholder → the interpolation's expression. */
  readonly expressions: ReadonlyMap<string, string>;
}

const PLACEHOLDER = /@@hcl(\d+)@@/g;

/** Go's byte-wise string order, which Terraform's `jsonencode` uses for object keys. */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * `jsonencode`'s exact output for `value`, or undefined where it might differ from `JSON.stringify`'s
 * escaping (HTML characters, control characters other than \n \r \t, lone surrogates) or number format.
 */
function terraformJson(value: unknown): string | undefined {
  if (value === null || typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return Number.isSafeInteger(value) ? String(value) : undefined;
  if (typeof value === 'string') {
    return /[\u0000-\u0008\u000b\u000c\u000e-\u001f<>&\u2028\u2029]|\p{Cs}/u.test(value) ? undefined : JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    const items = value.map(terraformJson);
    return items.every((i) => i !== undefined) ? `[${items.join(',')}]` : undefined;
  }
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => byteOrder(a, b));
  const rendered = entries.map(([k, v]) => [terraformJson(k), terraformJson(v)]);
  return rendered.every(([k, v]) => k !== undefined && v !== undefined)
    ? `{${rendered.map(([k, v]) => `${k}:${v}`).join(',')}}`
    : undefined;
}

/**
 * The JSON object a template renders, when `jsonencode` of that object (with the interpolations as
 * string values) yields the very same text: keys already in jsonencode's order, compact, no characters
 * jsonencode escapes differently, interpolations only inside string values. Values of the interpolated
 * references are assumed to need no JSON escaping (ARNs, ids, names); anything else stays a template.
 */
function jsonDocument(parts: readonly TemplatePart[]): JsonDocument | undefined {
  if (parts.length === 0 || parts[0].kind !== 'literal' || !parts[0].text.startsWith('{')) return undefined;
  if (parts.some((p) => p.kind === 'directive' || (p.kind === 'literal' && p.text.includes('@@hcl')))) return undefined;
  const expressions = new Map<string, string>();
  const text = parts
    .map((p) => {
      if (p.kind === 'literal') return p.text;
      const placeholder = `@@hcl${expressions.size}@@`;
      expressions.set(placeholder, interpolationExpression(p.source));
      return placeholder;
    })
    .join('');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (terraformJson(value) !== text || keysHavePlaceholders(value)) return undefined;
  return { value, expressions };
}

function keysHavePlaceholders(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(keysHavePlaceholders);
  if (value === null || typeof value !== 'object') return false;
  return Object.entries(value).some(([k, v]) => k.includes('@@hcl') || keysHavePlaceholders(v));
}

/** A JSON string value with placeholders → a template, or the reference itself when it is a string. */
function jsonString(value: string, document: JsonDocument, options: ValueOptions): Expr {
  const parts: TemplatePart[] = [];
  let last = 0;
  for (const match of value.matchAll(PLACEHOLDER)) {
    const index = match.index as number;
    if (index > last) parts.push({ kind: 'literal', text: value.slice(last, index) });
    parts.push({ kind: 'interpolation', source: `\${${document.expressions.get(match[0])}}` });
    last = index + match[0].length;
  }
  if (last < value.length) parts.push({ kind: 'literal', text: value.slice(last) });
  if (parts.length === 1 && parts[0].kind === 'interpolation') {
    const reference = interpolationExpression(parts[0].source);
    // The original interpolated the value into a string; jsonencode must see a string too.
    return single(options.isStringReference?.(reference) ? reference : `tostring(${reference})`);
  }
  return single(quoted(parts));
}

function jsonValue(value: unknown, document: JsonDocument, options: ValueOptions): Expr {
  if (typeof value === 'string') return jsonString(value, document, options);
  if (Array.isArray(value)) return list(value.map((v) => jsonValue(v, document, options)));
  if (value !== null && typeof value === 'object') {
    return object(Object.entries(value).map(([k, v]) => [objectKey(k, 'literal'), jsonValue(v, document, options)] as const));
  }
  return expression(value);
}

/** The element order of AWS's policy examples; `jsonencode` sorts keys, so the HCL may read like them. */
const POLICY_ORDER = ['Version', 'Id', 'Statement'];
const STATEMENT_ORDER = ['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `value`'s entries with the keys of `order` first, in that order; the others after, as they were. */
function ordered(value: Record<string, unknown>, order: readonly string[]): Record<string, unknown> {
  const rank = (key: string) => (order.includes(key) ? order.indexOf(key) : order.length);
  const entries = Object.entries(value).map((entry, index) => ({ entry, index }));
  entries.sort((a, b) => rank(a.entry[0]) - rank(b.entry[0]) || a.index - b.index);
  return Object.fromEntries(entries.map((e) => e.entry));
}

/** An IAM policy document (an object with `Statement`) laid out in AWS's element order; anything else as it is. */
function policyLayout(value: unknown): unknown {
  if (!isPlainObject(value) || !('Statement' in value)) return value;
  const statement = (s: unknown) => (isPlainObject(s) ? ordered(s, STATEMENT_ORDER) : s);
  const statements = Array.isArray(value.Statement) ? value.Statement.map(statement) : statement(value.Statement);
  return ordered({ ...value, Statement: statements }, POLICY_ORDER);
}

function jsonencode(document: JsonDocument, options: ValueOptions): Expr {
  const body = jsonValue(policyLayout(document.value), document, options);
  const last = body.length - 1;
  if (last === 0) return single(`jsonencode(${body[0].text})`);
  return [{ depth: 0, text: `jsonencode(${body[0].text}` }, ...body.slice(1, last), { depth: 0, text: `${body[last].text})` }];
}

// ---------------------------------------------------------------------------------------------------
// References (meta-arguments whose strings are addresses, not templates)

const TRAVERSAL = /^[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*|\[(?:\d+|"[^"]*"|\*)\]|\.\*)*$/;

/** `"aws_x.y"` or `"${aws_x.y}"` → `aws_x.y`; anything that is not a plain reference throws. */
function reference(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new Error(`${what}: expected a reference string, got ${JSON.stringify(value)}`);
  const parts = parseTemplate(value);
  const text = parts.length === 1 && parts[0].kind === 'interpolation' ? interpolationExpression(parts[0].source) : value;
  if (!TRAVERSAL.test(text)) throw new Error(`${what}: ${JSON.stringify(value)} is not a reference`);
  return text;
}

function references(value: unknown, what: string): Expr {
  if (!Array.isArray(value)) throw new Error(`${what}: expected a list, got ${JSON.stringify(value)}`);
  return list(value.map((v) => single(reference(v, what))));
}

/** `replace_triggered_by` entries: a reference or an expression, optionally written as `${…}`. */
function referenceExpression(value: unknown, what: string): Expr {
  if (typeof value !== 'string') throw new Error(`${what}: expected a string, got ${JSON.stringify(value)}`);
  const parts = parseTemplate(value);
  return single(parts.length === 1 && parts[0].kind === 'interpolation' ? interpolationExpression(parts[0].source) : value);
}

// ---------------------------------------------------------------------------------------------------
// Blocks

/** Renders `header { … }` from body items (`header {}` when empty). */
function block(header: string, items: readonly Item[]): Line[] {
  if (items.length === 0) return [{ depth: 0, text: `${header} {}` }];
  return [{ depth: 0, text: `${header} {` }, ...layout(items, 1), { depth: 0, text: '}' }];
}

/** Attribute items, then a blank line before each block, as the Terraform style guide orders a body. */
function body(attributes: readonly Item[], blocks: readonly (readonly Line[])[], trailer: readonly Item[] = []): Item[] {
  const items: Item[] = [...attributes];
  for (const lines of blocks) {
    if (items.length > 0) items.push(BLANK);
    items.push({ kind: 'lines', lines });
  }
  if (trailer.length > 0 && items.length > 0) items.push(BLANK);
  items.push(...trailer);
  return items;
}

function attribute(name: string, value: Expr): Item {
  return { kind: 'attribute', name, value };
}

function asObject(value: unknown, what: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new Error(`${what}: expected an object, got ${JSON.stringify(value)}`);
  return value as Record<string, unknown>;
}

/** A block value in JSON: one object, or a list of objects for repeated blocks. */
function blockBodies(value: unknown, what: string): Record<string, unknown>[] {
  if (value === null || value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map((v, i) => asObject(v, `${what}[${i}]`));
}

/** Context for schema-driven bodies. */
interface SchemaContext {
  readonly options: ValueOptions;
  /** Where we are, for error messages (`aws_lb.x.access_logs`). */
  readonly path: string;
  /** The last word of the resource type (`alarm` of `aws_cloudwatch_metric_alarm`), for `alarm_name`. */
  readonly noun?: string;
}

/**
 * The order of the arguments in a block, one rule for every block (docs/export.md): first what identifies
 * the object (`name`, `name_prefix`, `<noun>_name`, `identifier`, `identifier_prefix`, then `description`,
 * `<noun>_description`, where the noun is the type's last word: `alarm_name` of an alarm); then the
 * arguments the provider schema requires, then the optional ones, each alphabetically with one-line values
 * before multi-line ones (so `terraform fmt` aligns the `=` of the one-line run); `tags` last. Nested blocks
 * follow in the order of the configuration (repeated blocks keep their order, which can matter).
 */
function argumentRank(key: string, value: Expr, schema: BlockSchema, noun: string | undefined): readonly [number, number] {
  const nounName = noun === undefined ? [] : [`${noun}_name`];
  const nounDescription = noun === undefined ? [] : [`${noun}_description`];
  const identifying = ['name', 'name_prefix', ...nounName, 'identifier', 'identifier_prefix', 'description', ...nounDescription].indexOf(
    key,
  );
  if (identifying >= 0) return [0, identifying];
  if (key === 'tags') return [3, 0];
  return [schema.required?.includes(key) ? 1 : 2, value.length > 1 && !isHeredoc(value) ? 1 : 0];
}

function byArgumentOrder(
  schema: BlockSchema,
  noun: string | undefined,
): (a: Extract<Item, { kind: 'attribute' }>, b: Extract<Item, { kind: 'attribute' }>) => number {
  return (a, b) => {
    const [ra, rb] = [argumentRank(a.name, a.value, schema, noun), argumentRank(b.name, b.value, schema, noun)];
    return ra[0] - rb[0] || ra[1] - rb[1] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  };
}

/**
 * A value as the attribute's schema type has it: `"true"` for a bool attribute is `true`, `"8"` for a
 * number attribute is `8` (Terraform converts the string to exactly that), anything else unchanged.
 */
function typedValue(value: unknown, kind: AttributeKind): unknown {
  if (typeof value !== 'string') return value;
  if (kind === 'bool' && (value === 'true' || value === 'false')) return value === 'true';
  if (kind === 'number' && /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/.test(value) && String(Number(value)) === value) return Number(value);
  return value;
}

/** A body described by a provider schema: attributes as expressions in argument order, nested blocks as blocks. */
function schemaBody(
  json: Record<string, unknown>,
  schema: BlockSchema,
  ctx: SchemaContext,
  skip: ReadonlySet<string> = new Set(),
): { attributes: Item[]; blocks: Line[][] } {
  const attributes: Extract<Item, { kind: 'attribute' }>[] = [];
  const blocks: Line[][] = [];
  const inner = { ...ctx, noun: undefined };
  for (const [key, value] of Object.entries(json)) {
    if (key === '//' || skip.has(key)) continue;
    const nested = schema.blocks[key];
    const kind: AttributeKind | undefined = schema.attributes[key];
    const where = `${ctx.path}.${key}`;
    if (key === 'dynamic') {
      blocks.push(...dynamicBlocks(value, schema, { ...inner, path: where }));
    } else if (nested) {
      if (nested.nesting === 'map') {
        for (const [label, labelled] of Object.entries(asObject(value, where))) {
          for (const b of blockBodies(labelled, `${where}.${label}`))
            blocks.push(
              schemaBlock(`${key} ${quoted([{ kind: 'literal', text: label }])}`, b, nested.block, { ...inner, path: `${where}.${label}` }),
            );
        }
      } else {
        for (const b of blockBodies(value, where)) blocks.push(schemaBlock(key, b, nested.block, { ...inner, path: where }));
      }
    } else if (
      kind === 'object-list' &&
      Array.isArray(value) &&
      value.length > 0 &&
      value.every((v) => v !== null && typeof v === 'object' && !Array.isArray(v))
    ) {
      // Terraform accepts a list of objects in block syntax ("attributes as blocks"); missing keys are null.
      for (const b of blockBodies(value, where)) blocks.push(block(key, layoutFree(b, ctx.options)));
    } else if (kind !== undefined) {
      attributes.push({ kind: 'attribute', name: key, value: expression(typedValue(value, kind), 'template', ctx.options, true) });
    } else {
      throw new Error(`${where}: "${key}" is neither an attribute nor a block in the provider schema`);
    }
  }
  return { attributes: attributes.sort(byArgumentOrder(schema, ctx.noun)), blocks };
}

function schemaBlock(header: string, json: Record<string, unknown>, schema: BlockSchema, ctx: SchemaContext): Line[] {
  const { attributes, blocks } = schemaBody(json, schema, ctx);
  return block(header, body(attributes, blocks));
}

/** A body with no schema (module inputs, provisioners, "attributes as blocks"): every key an attribute. */
function layoutFree(json: Record<string, unknown>, options: ValueOptions): Item[] {
  return Object.entries(json)
    .filter(([key]) => key !== '//')
    .map(([key, value]) => attribute(key, expression(value, 'template', options, true)));
}

/** `"dynamic": { "ingress": { "for_each": …, "iterator": …, "labels": …, "content": {…} } }`. */
function dynamicBlocks(value: unknown, schema: BlockSchema, ctx: SchemaContext): Line[][] {
  const out: Line[][] = [];
  for (const [name, specs] of Object.entries(asObject(value, ctx.path))) {
    const nested = schema.blocks[name];
    if (!nested) throw new Error(`${ctx.path}.${name}: dynamic block of an unknown block type`);
    for (const spec of blockBodies(specs, `${ctx.path}.${name}`)) {
      const items: Item[] = [];
      const blocks: Line[][] = [];
      for (const [key, v] of Object.entries(spec)) {
        if (key === 'for_each' || key === 'labels') items.push(attribute(key, expression(v, 'template', ctx.options)));
        else if (key === 'iterator') items.push(attribute(key, single(reference(v, `${ctx.path}.${name}.iterator`))));
        else if (key === 'content')
          blocks.push(
            schemaBlock('content', asObject(v, `${ctx.path}.${name}.content`), nested.block, {
              ...ctx,
              path: `${ctx.path}.${name}.content`,
            }),
          );
        else throw new Error(`${ctx.path}.${name}: unknown dynamic block argument "${key}"`);
      }
      out.push(block(`dynamic ${quoted([{ kind: 'literal', text: name }])}`, body(items, blocks)));
    }
  }
  return out;
}

/** `precondition` / `postcondition` / `validation` blocks: condition and error_message expressions. */
function conditionBlocks(name: string, value: unknown, options: ValueOptions, where: string): Line[][] {
  return blockBodies(value, where).map((c) => block(name, layoutFree(c, options)));
}

function lifecycleBlock(value: unknown, options: ValueOptions, where: string): Line[] {
  const json = asObject(value, where);
  const attributes: Item[] = [];
  const blocks: Line[][] = [];
  for (const [key, v] of Object.entries(json)) {
    if (key === 'create_before_destroy' || key === 'prevent_destroy' || key === 'destroy') attributes.push(attribute(key, expression(v)));
    else if (key === 'ignore_changes')
      attributes.push(attribute(key, v === 'all' ? single('all') : references(v, `${where}.ignore_changes`)));
    else if (key === 'replace_triggered_by') {
      if (!Array.isArray(v)) throw new Error(`${where}.replace_triggered_by: expected a list`);
      attributes.push(attribute(key, list(v.map((r) => referenceExpression(r, `${where}.replace_triggered_by`)))));
    } else if (key === 'precondition' || key === 'postcondition') blocks.push(...conditionBlocks(key, v, options, `${where}.${key}`));
    else throw new Error(`${where}: unknown lifecycle argument "${key}"`);
  }
  return block('lifecycle', body(attributes, blocks));
}

function provisionerBlocks(value: unknown, options: ValueOptions, where: string): Line[][] {
  const out: Line[][] = [];
  for (const entry of blockBodies(value, where)) {
    for (const [type, specs] of Object.entries(entry)) {
      for (const spec of blockBodies(specs, `${where}.${type}`)) {
        const attributes: Item[] = [];
        const blocks: Line[][] = [];
        for (const [key, v] of Object.entries(spec)) {
          if (key === 'when' || key === 'on_failure') attributes.push(attribute(key, single(reference(v, `${where}.${key}`))));
          else if (key === 'connection') blocks.push(block('connection', layoutFree(asObject(v, `${where}.connection`), options)));
          else if (key !== '//') attributes.push(attribute(key, expression(v, 'template', options, true)));
        }
        out.push(block(`provisioner ${quoted([{ kind: 'literal', text: type }])}`, body(attributes, blocks)));
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Top level

/** One top-level HCL block of the converted configuration. */
export interface HclBlock {
  readonly kind:
    | 'terraform'
    | 'backend'
    | 'provider'
    | 'resource'
    | 'data'
    | 'locals'
    | 'variable'
    | 'output'
    | 'module'
    | 'moved'
    | 'import'
    | 'removed';
  /** Resource or data source type, provider name, or the name of the variable/output/module. */
  readonly type?: string;
  /** Resource or data source name. */
  readonly name?: string;
  /** The cdktf construct path the block came from (`web-prod/network/vpc`), when cdktf recorded one. */
  readonly source?: string;
  /**
   * Resources and data sources (`aws_vpc.network_vpc`, `data.aws_ami.x`) this block refers to: for a
   * resource or data source, those its expressions and `depends_on` name; for `moved`, `import` and
   * `removed`, the one it is about (then `type` is that resource's type).
   */
  readonly references?: readonly string[];
  /** HCL text, no trailing newline. */
  readonly text: string;
}

const ADDRESS = /(?:data\.)?[A-Za-z_][A-Za-z0-9_-]*\.[A-Za-z_][A-Za-z0-9_-]*/g;

/** The addresses among `known` that the expressions in `value` (a resource body) and its `depends_on` name. */
function referencedAddresses(value: Record<string, unknown>, known: ReadonlySet<string>, self: string): string[] {
  const found = new Set<string>();
  const scan = (text: string) => {
    for (const match of text.matchAll(ADDRESS)) if (known.has(match[0]) && match[0] !== self) found.add(match[0]);
  };
  const visit = (v: unknown): void => {
    if (typeof v === 'string') {
      for (const part of parseTemplate(v)) if (part.kind !== 'literal') scan(part.source);
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === '//') continue;
        visit(k);
        visit(x);
      }
    }
  };
  for (const [key, v] of Object.entries(value)) {
    if (key === 'depends_on' && Array.isArray(v)) v.forEach((d) => typeof d === 'string' && scan(d));
    else if (key !== '//') visit(v);
  }
  return [...found].sort();
}

/** The synthesized Terraform JSON of one stack (cdk.tf.json). */
export type TerraformJson = Record<string, unknown>;

const TOP_LEVEL = new Set([
  '//',
  'terraform',
  'provider',
  'resource',
  'data',
  'locals',
  'variable',
  'output',
  'module',
  'moved',
  'import',
  'removed',
]);

const RESOURCE_META = new Set(['count', 'for_each', 'provider', 'depends_on', 'lifecycle', 'provisioner', 'connection', '//']);

/** Converts a stack's Terraform JSON to HCL blocks, in a stable order. */
export function convert(json: TerraformJson, schemas: ProviderSchemas): HclBlock[] {
  for (const key of Object.keys(json)) {
    if (!TOP_LEVEL.has(key)) throw new Error(`Unsupported top-level section "${key}" in the Terraform JSON`);
  }
  const terraform = json.terraform === undefined ? {} : asObject(json.terraform, 'terraform');
  const requiredProviders = asObject(terraform.required_providers ?? {}, 'terraform.required_providers');
  const sources = new Map<string, string>();
  for (const [name, requirement] of Object.entries(requiredProviders)) {
    const source =
      typeof requirement === 'string'
        ? undefined
        : (asObject(requirement, `terraform.required_providers.${name}`).source as string | undefined);
    sources.set(name, providerAddress(source ?? name));
  }
  const providerSchema = (name: string, what: string) => {
    const address = sources.get(name) ?? providerAddress(name);
    const schema = schemas[address];
    if (!schema) throw new Error(`${what}: no schema for provider ${address} (is it in terraform.required_providers?)`);
    return schema;
  };
  const options: ValueOptions = {
    isStringReference: (expr) => {
      // `aws_x.y.attr`, or `aws_x.y.attr[0].field` of a list-of-objects attribute.
      const match = /^(data\.)?([a-z0-9]+)(_[a-z0-9_]+)\.[A-Za-z_][A-Za-z0-9_-]*\.([a-z0-9_]+)(?:\[[0-9]+\]\.([a-z0-9_]+))?$/.exec(expr);
      if (!match) return false;
      const schema = schemas[sources.get(match[2]) ?? providerAddress(match[2])];
      const group = match[1] ? schema?.dataSources : schema?.resources;
      const resource = group?.[match[2] + match[3]];
      return match[5] === undefined ? resource?.attributes[match[4]] === 'string' : resource?.elements?.[match[4]]?.[match[5]] === 'string';
    },
  };

  const known = new Set<string>();
  for (const kind of ['resource', 'data'] as const) {
    for (const [type, instances] of Object.entries(asObject(json[kind] ?? {}, kind))) {
      for (const name of Object.keys(asObject(instances, `${kind}.${type}`))) known.add(`${kind === 'data' ? 'data.' : ''}${type}.${name}`);
    }
  }

  const blocks: HclBlock[] = [...terraformBlocks(terraform)];
  for (const [name, configs] of Object.entries(asObject(json.provider ?? {}, 'provider'))) {
    const schema = providerSchema(name, `provider.${name}`).provider;
    for (const config of blockBodies(configs, `provider.${name}`)) {
      const { attributes, blocks: nested } = schemaBody(config, schema, { options, path: `provider.${name}` }, new Set(['alias']));
      const alias = config.alias === undefined ? [] : [attribute('alias', expression(config.alias, 'literal'))];
      blocks.push({
        kind: 'provider',
        type: name,
        text: print(block(`provider ${quoted([{ kind: 'literal', text: name }])}`, body([...alias, ...attributes], nested))),
      });
    }
  }
  for (const kind of ['resource', 'data'] as const) {
    for (const [type, instances] of Object.entries(asObject(json[kind] ?? {}, kind))) {
      for (const [name, config] of Object.entries(asObject(instances, `${kind}.${type}`))) {
        const address = `${kind === 'data' ? 'data.' : ''}${type}.${name}`;
        const resource = asObject(config, address);
        const providerName =
          typeof resource.provider === 'string' ? reference(resource.provider, `${address}.provider`).split('.')[0] : type.split('_')[0];
        const schemaGroup = providerSchema(providerName, address);
        const schema = (kind === 'resource' ? schemaGroup.resources : schemaGroup.dataSources)[type];
        if (!schema) throw new Error(`${address}: ${kind} type ${type} is not in the provider schema`);
        blocks.push({
          kind,
          type,
          name,
          source: sourcePath(resource),
          references: referencedAddresses(resource, known, address),
          text: print(resourceBlock(kind, type, name, resource, schema, options)),
        });
      }
    }
  }
  const locals = asObject(json.locals ?? {}, 'locals');
  const localItems = Object.entries(locals)
    .filter(([key]) => key !== '//')
    .map(([key, value]) => attribute(key, expression(value, 'template', options, true)));
  if (localItems.length > 0) blocks.push({ kind: 'locals', text: print(block('locals', localItems)) });
  for (const [name, config] of Object.entries(asObject(json.variable ?? {}, 'variable'))) {
    blocks.push({ kind: 'variable', type: name, text: print(variableBlock(name, asObject(config, `variable.${name}`), options)) });
  }
  for (const [name, config] of Object.entries(asObject(json.output ?? {}, 'output'))) {
    blocks.push({ kind: 'output', type: name, text: print(outputBlock(name, asObject(config, `output.${name}`), options)) });
  }
  for (const [name, config] of Object.entries(asObject(json.module ?? {}, 'module'))) {
    blocks.push({ kind: 'module', type: name, text: print(moduleBlock(name, asObject(config, `module.${name}`), options)) });
  }
  for (const kind of ['moved', 'import', 'removed'] as const) {
    for (const config of blockBodies(json[kind], kind)) {
      const key = kind === 'removed' ? 'from' : 'to';
      // The resource the block is about, without an instance key: `aws_x.y["k"]` → `aws_x.y`.
      const target =
        typeof config[key] === 'string'
          ? /^(?:data\.)?[A-Za-z_][A-Za-z0-9_-]*\.[A-Za-z_][A-Za-z0-9_-]*/.exec(reference(config[key], `${kind}.${key}`))?.[0]
          : undefined;
      const about = target && known.has(target) ? { type: target.replace(/^data\./, '').split('.')[0], references: [target] } : {};
      blocks.push({ kind, ...about, text: print(addressBlock(kind, config, options)) });
    }
  }
  return blocks;
}

function sourcePath(resource: Record<string, unknown>): string | undefined {
  const meta = resource['//'] as { metadata?: { path?: unknown } } | undefined;
  return typeof meta?.metadata?.path === 'string' ? meta.metadata.path : undefined;
}

function resourceBlock(
  kind: 'resource' | 'data',
  type: string,
  name: string,
  json: Record<string, unknown>,
  schema: BlockSchema,
  options: ValueOptions,
): Line[] {
  const address = `${kind === 'data' ? 'data.' : ''}${type}.${name}`;
  const meta: Item[] = [];
  if (json.count !== undefined) meta.push(attribute('count', expression(json.count, 'template', options)));
  if (json.for_each !== undefined) meta.push(attribute('for_each', expression(json.for_each, 'template', options)));
  if (json.provider !== undefined) meta.push(attribute('provider', single(reference(json.provider, `${address}.provider`))));
  const { attributes, blocks } = schemaBody(json, schema, { options, path: address, noun: type.split('_').pop() }, RESOURCE_META);
  if (json.connection !== undefined)
    blocks.push(block('connection', layoutFree(asObject(json.connection, `${address}.connection`), options)));
  if (json.provisioner !== undefined) blocks.push(...provisionerBlocks(json.provisioner, options, `${address}.provisioner`));
  if (json.lifecycle !== undefined) blocks.push(lifecycleBlock(json.lifecycle, options, `${address}.lifecycle`));
  const trailer = json.depends_on === undefined ? [] : [attribute('depends_on', references(json.depends_on, `${address}.depends_on`))];
  const head = meta.length > 0 && attributes.length > 0 ? [...meta, BLANK, ...attributes] : [...meta, ...attributes];
  return block(
    `${kind} ${quoted([{ kind: 'literal', text: type }])} ${quoted([{ kind: 'literal', text: name }])}`,
    body(head, blocks, trailer),
  );
}

function terraformBlocks(json: Record<string, unknown>): HclBlock[] {
  const items: Item[] = [];
  const nested: Line[][] = [];
  const backend: HclBlock[] = [];
  for (const [key, value] of Object.entries(json)) {
    if (key === '//') continue;
    if (key === 'required_version') items.push(attribute(key, expression(value, 'literal')));
    else if (key === 'experiments') items.push(attribute(key, references(value, 'terraform.experiments')));
    else if (key === 'required_providers') {
      const providers = Object.entries(asObject(value, 'terraform.required_providers')).map(([name, requirement]) => {
        if (typeof requirement === 'string') return attribute(name, expression(requirement, 'literal'));
        const entries = Object.entries(asObject(requirement, `terraform.required_providers.${name}`)).map(
          ([k, v]) =>
            [
              k,
              k === 'configuration_aliases' ? references(v, `terraform.required_providers.${name}.${k}`) : expression(v, 'literal'),
            ] as const,
        );
        return attribute(name, object(entries));
      });
      nested.push(block('required_providers', providers));
    } else if (key === 'backend') {
      for (const [type, config] of Object.entries(asObject(value, 'terraform.backend'))) {
        const settings = Object.entries(asObject(config, `terraform.backend.${type}`)).map(([k, v]) =>
          attribute(k, expression(v, 'literal')),
        );
        backend.push({
          kind: 'backend',
          type,
          text: print(
            block('terraform', [{ kind: 'lines', lines: block(`backend ${quoted([{ kind: 'literal', text: type }])}`, settings) }]),
          ),
        });
      }
    } else if (key === 'cloud') {
      const cloud = asObject(value, 'terraform.cloud');
      const settings = Object.entries(cloud)
        .filter(([k]) => k !== 'workspaces')
        .map(([k, v]) => attribute(k, expression(v, 'literal')));
      const workspaces =
        cloud.workspaces === undefined
          ? []
          : [
              block(
                'workspaces',
                Object.entries(asObject(cloud.workspaces, 'terraform.cloud.workspaces')).map(([k, v]) =>
                  attribute(k, expression(v, 'literal')),
                ),
              ),
            ];
      backend.push({
        kind: 'backend',
        type: 'cloud',
        text: print(block('terraform', [{ kind: 'lines', lines: block('cloud', body(settings, workspaces)) }])),
      });
    } else throw new Error(`terraform: unsupported setting "${key}"`);
  }
  const versions: HclBlock[] =
    items.length + nested.length > 0 ? [{ kind: 'terraform', text: print(block('terraform', body(items, nested))) }] : [];
  return [...versions, ...backend];
}

function variableBlock(name: string, json: Record<string, unknown>, options: ValueOptions): Line[] {
  const attributes: Item[] = [];
  const blocks: Line[][] = [];
  for (const [key, value] of Object.entries(json)) {
    if (key === '//') continue;
    if (key === 'type') {
      if (typeof value !== 'string') throw new Error(`variable.${name}.type: expected a type expression string`);
      attributes.push(attribute(key, single(value)));
    } else if (key === 'default' || key === 'description')
      attributes.push(attribute(key, expression(value, 'literal', {}, key === 'description')));
    else if (key === 'validation') blocks.push(...conditionBlocks('validation', value, options, `variable.${name}.validation`));
    else if (key === 'sensitive' || key === 'nullable' || key === 'ephemeral') attributes.push(attribute(key, expression(value)));
    else throw new Error(`variable.${name}: unknown argument "${key}"`);
  }
  return block(`variable ${quoted([{ kind: 'literal', text: name }])}`, body(attributes, blocks));
}

function outputBlock(name: string, json: Record<string, unknown>, options: ValueOptions): Line[] {
  const attributes: Item[] = [];
  const blocks: Line[][] = [];
  let dependsOn: Item[] = [];
  for (const [key, value] of Object.entries(json)) {
    if (key === '//') continue;
    if (key === 'description') attributes.push(attribute(key, expression(value, 'literal', {}, true)));
    else if (key === 'value') attributes.push(attribute(key, expression(value, 'template', options, true)));
    else if (key === 'sensitive' || key === 'ephemeral') attributes.push(attribute(key, expression(value)));
    else if (key === 'depends_on') dependsOn = [attribute(key, references(value, `output.${name}.depends_on`))];
    else if (key === 'precondition') blocks.push(...conditionBlocks(key, value, options, `output.${name}.precondition`));
    else throw new Error(`output.${name}: unknown argument "${key}"`);
  }
  return block(`output ${quoted([{ kind: 'literal', text: name }])}`, body(attributes, blocks, dependsOn));
}

function moduleBlock(name: string, json: Record<string, unknown>, options: ValueOptions): Line[] {
  const meta: Item[] = [];
  const inputs: Item[] = [];
  let dependsOn: Item[] = [];
  for (const [key, value] of Object.entries(json)) {
    if (key === '//') continue;
    if (key === 'source' || key === 'version') meta.push(attribute(key, expression(value, 'literal')));
    else if (key === 'count' || key === 'for_each') meta.push(attribute(key, expression(value, 'template', options)));
    else if (key === 'providers') {
      const entries = Object.entries(asObject(value, `module.${name}.providers`)).map(
        ([k, v]) => [k, single(reference(v, `module.${name}.providers`))] as const,
      );
      meta.push(attribute(key, object(entries)));
    } else if (key === 'depends_on') dependsOn = [attribute(key, references(value, `module.${name}.depends_on`))];
    else inputs.push(attribute(key, expression(value, 'template', options, true)));
  }
  const head = meta.length > 0 && inputs.length > 0 ? [...meta, BLANK, ...inputs] : [...meta, ...inputs];
  return block(`module ${quoted([{ kind: 'literal', text: name }])}`, body(head, [], dependsOn));
}

function addressBlock(kind: 'moved' | 'import' | 'removed', json: Record<string, unknown>, options: ValueOptions): Line[] {
  const attributes: Item[] = [];
  const blocks: Line[][] = [];
  for (const [key, value] of Object.entries(json)) {
    if (key === '//') continue;
    if (key === 'from' || key === 'to' || key === 'provider') attributes.push(attribute(key, single(reference(value, `${kind}.${key}`))));
    else if (key === 'lifecycle') blocks.push(lifecycleBlock(value, options, `${kind}.lifecycle`));
    else attributes.push(attribute(key, expression(value, 'template', options)));
  }
  return block(kind, body(attributes, blocks));
}
