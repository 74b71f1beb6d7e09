/**
 * User data read the way EC2 and cloud-init read it, every layer decoded, and searched for credentials
 * (ec2-no-secrets-in-user-data). Layers:
 *
 * - the text itself (a shell script, a `#cloud-config` document, a MIME multi-part document);
 * - every base64 blob in it — the whole user data, the files the platform's boot script writes
 *   (`write PATH MODE '<base64>'`, boot/user-data.ts), cloud-init `encoding: b64` / `gz+b64` contents, MIME
 *   parts with `Content-Transfer-Encoding: base64` (lines joined) — decoded, then gunzipped when it is gzip;
 * - MIME parts in quoted-printable, decoded;
 * - JSON documents, walked key by key (`{"DB_PASSWORD": "…"}`, `\u`-escaped keys included), each string value
 *   a layer of its own;
 * - the locals a Terraform expression in the text names (`${base64encode(jsonencode(local.x))}`), as JSON.
 *
 * In each layer: AWS access key ids, private keys, and literal values assigned to a name that says password,
 * passphrase, token, credentials, api key, secret key, access key, private key, `<something>_secret` or
 * `<something>_pass`, in every shape
 * (`KEY=value`, `key: value`, `"key": "value"`, `key => 'value'`). A value Terraform interpolates into the
 * text (`DB_PASSWORD=${var.db_password}`) is written into the user data at apply, so it counts as literal; a
 * shell expansion (`$DB_PASSWORD`, `$(…)`) is read on the instance and does not. A bare `secret` key is how the
 * boot settings name where a secret is kept (`{"secret": "web-prod/api-key"}`), not a secret.
 */
import { gunzipSync } from 'node:zlib';

/** One text to search, and whether Terraform renders it (its `${…}` are Terraform's, not the shell's). */
interface Layer {
  readonly text: string;
  readonly terraform: boolean;
}

/** Layers inside layers the search follows (the boot script's files are at depth 1). */
const MAX_DEPTH = 6;
/** Decoded text kept in all, so that a crafted blob cannot make the check slow (a gzip bomb). */
const MAX_TOTAL_CHARS = 4 * 1024 * 1024;
const MIN_SECRET_CHARS = 8;

const ACCESS_KEY_ID = /\b(AKIA|ASIA)[0-9A-Z]{16}\b/;
const PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/;

/** Last words of a name that holds a secret (`DB_PASSWORD`, `apiToken`, `db-pass`). */
const SECRET_LAST_WORDS = new Set(['password', 'passwd', 'passphrase', 'token', 'apikey', 'credential', 'credentials']);
/** Words before `key` that make a secret (`API_KEY`, `aws_secret_access_key`, `privateKey`). */
const SECRET_KEY_KINDS = new Set(['api', 'secret', 'access', 'private', 'signing', 'encryption', 'master', 'client']);

/** True when `name` says it holds a secret (see the module comment). */
function isSecretName(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
  const last = words[words.length - 1] ?? '';
  const before = words[words.length - 2];
  if (SECRET_LAST_WORDS.has(last)) return true;
  if (last === 'key') return before !== undefined && SECRET_KEY_KINDS.has(before);
  // `secret` and `pass` only after another word: `CLIENT_SECRET`, `DB_PASS` (a bare `secret` names where one is).
  return (last === 'secret' || last === 'pass') && before !== undefined;
}

/** True when `value`, assigned in `layer`, is a literal secret rather than a reference read on the instance. */
function isLiteral(value: string, layer: Layer): boolean {
  if (value.includes('${')) return layer.terraform;
  if (value.length < MIN_SECRET_CHARS) return false;
  return !value.startsWith('$') && !value.startsWith('%{') && !value.startsWith('{{');
}

/**
 * `name <sep> value` in the shapes scripts, YAML, JSON and env files write: the name bare or quoted, `=`, `:`
 * or `=>`, the value double-quoted (escapes allowed), single-quoted, a Terraform interpolation, or bare up to
 * a space or punctuation (and not followed by `(`, `[` or `.`: a call or an expression, not a value).
 */
const ASSIGNMENT =
  /(?<![A-Za-z0-9_])(["']?)([A-Za-z_][A-Za-z0-9_.-]*)\1[ \t]*(?:=>|=|:)[ \t]*(?:"((?:[^"\\\n]|\\.)*)"|'([^'\n]*)'|(\$\{[^}\n]*\})|([^\s"'`;&|<>(){}[\],]+)(?![([.\w]))/g;

/** What `layer` shows of a credential, or undefined. */
function credentialIn(layer: Layer): string | undefined {
  if (ACCESS_KEY_ID.test(layer.text)) return 'an AWS access key id';
  if (PRIVATE_KEY.test(layer.text)) return 'a private key';
  for (const m of layer.text.matchAll(ASSIGNMENT)) {
    const value = m[3] ?? m[4] ?? m[5] ?? m[6] ?? '';
    if (isSecretName(m[2]) && isLiteral(value, layer)) return `a literal password, key or token (${m[2]})`;
  }
  return undefined;
}

/** Valid UTF-8 without control characters (but tab and line breaks): text, not binary. */
function asText(bytes: Buffer): string | undefined {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text) ? undefined : text;
  } catch {
    return undefined;
  }
}

/** Thrown when the layers exceed what the search reads (MAX_TOTAL_CHARS, MAX_DEPTH): unproven, not clean. */
class TooMuchToRead extends Error {}

/** Bytes as text: gunzipped first when they are gzip. */
function decodeBytes(bytes: Buffer): string | undefined {
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    let inflated: Buffer;
    try {
      inflated = gunzipSync(bytes, { maxOutputLength: MAX_TOTAL_CHARS });
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new TooMuchToRead();
      return undefined;
    }
    return asText(inflated);
  }
  return asText(bytes);
}

const BASE64_RUN = /[A-Za-z0-9+/]{16,}={0,2}/g;
const BASE64_LINE = /^[ \t]*([A-Za-z0-9+/]+={0,2})[ \t]*$/;

/** Base64 blobs of `text`: runs within a line, and blocks of whole lines (MIME parts, YAML block scalars). */
function base64Blobs(text: string): string[] {
  const blobs = [...text.matchAll(BASE64_RUN)].map((m) => m[0]);
  let block = '';
  for (const line of [...text.split(/\r?\n/), '']) {
    const m = BASE64_LINE.exec(line);
    if (m) block += m[1];
    else {
      if (block.length >= 16) blobs.push(block);
      block = '';
    }
  }
  return blobs;
}

/** Quoted-printable decoded (`=3D` is `=`, `=` at a line end joins the lines). */
const quotedPrintable = (text: string) =>
  text.replace(/=\r?\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

/** Every (key, string value) of a JSON document, at any depth. */
function jsonEntries(value: unknown, key = ''): [string, string][] {
  if (typeof value === 'string') return [[key, value]];
  if (Array.isArray(value)) return value.flatMap((v) => jsonEntries(v, key));
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([k, v]) => jsonEntries(v, k));
  return [];
}

/** The locals a Terraform expression in `text` names (`${…local.x…}`). */
const localsNamed = (text: string) => [...text.matchAll(/\$\{[^}]*?\blocal\.([A-Za-z_][A-Za-z0-9_-]*)/g)].map((m) => m[1]);

/**
 * What credential `text` (user data, or the text of the local it encodes) holds in any layer, or undefined.
 * `terraform`: the text is rendered by Terraform (a local), so its `${…}` are interpolations; `locals`: the
 * stack's locals, for the expressions that name them. Layers beyond MAX_DEPTH or MAX_TOTAL_CHARS are not
 * read, and say so: what cannot be read is not proven clean.
 */
export function credentialInUserData(
  text: string,
  options: { readonly terraform: boolean; readonly locals: Readonly<Record<string, unknown>> },
): string | undefined {
  try {
    return search(text, options);
  } catch (error) {
    if (!(error instanceof TooMuchToRead)) throw error;
    return `layers nested deeper than ${MAX_DEPTH} or longer than ${MAX_TOTAL_CHARS} characters once decoded, which the check does not read`;
  }
}

function search(
  text: string,
  { terraform, locals }: { readonly terraform: boolean; readonly locals: Readonly<Record<string, unknown>> },
): string | undefined {
  const queue: { layer: Layer; depth: number }[] = [{ layer: { text, terraform }, depth: 0 }];
  const seen = new Set<string>([text]);
  let total = text.length;
  const add = (layer: Layer, depth: number) => {
    if (seen.has(layer.text)) return;
    total += layer.text.length;
    if (total > MAX_TOTAL_CHARS || depth > MAX_DEPTH) throw new TooMuchToRead();
    seen.add(layer.text);
    queue.push({ layer, depth });
  };
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    const { layer, depth } = next;
    const found = credentialIn(layer);
    if (found) return found;
    for (const blob of base64Blobs(layer.text)) {
      const decoded = decodeBytes(Buffer.from(blob, 'base64'));
      if (decoded !== undefined) add({ text: decoded, terraform: false }, depth + 1);
    }
    if (/Content-Transfer-Encoding:[ \t]*quoted-printable/i.test(layer.text))
      add({ text: quotedPrintable(layer.text), terraform: layer.terraform }, depth + 1);
    if (/^\s*[[{]/.test(layer.text)) {
      try {
        for (const [key, value] of jsonEntries(JSON.parse(layer.text))) {
          if (isSecretName(key) && isLiteral(value, layer)) return `a literal password, key or token (${key})`;
          add({ text: value, terraform: layer.terraform }, depth + 1);
        }
      } catch {
        // Not JSON: its text was searched as it is.
      }
    }
    if (layer.terraform) {
      for (const name of localsNamed(layer.text)) {
        const value = locals[name];
        if (value !== undefined) add({ text: typeof value === 'string' ? value : JSON.stringify(value), terraform: true }, depth + 1);
      }
    }
  }
  return undefined;
}
