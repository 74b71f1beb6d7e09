/**
 * How a received value is shown in a validation message: JSON-like, bounded, safe for any value.
 *
 * Hand-written because neither `JSON.stringify` nor `util.inspect` does all of it: JSON.stringify walks the
 * whole value before we could truncate it (a 50 MB string, a million-element array, or an array nested
 * 100 000 deep, which overflows the stack), throws on cycles and BigInt, and leaves U+2028, U+FEFF and
 * bidirectional overrides unescaped; `util.inspect` bounds depth and length but prints `[ 'a' ]`, not the
 * JSON our messages (and pipelines that grep them) use. This walk stops as soon as the budget is spent, so its
 * cost depends on the budget, never on the size of the value.
 */

/** Characters of a shown value before it is cut. */
export const MAX_SHOWN = 120;

/** Containers opened before `…` stands for what is deeper. */
const MAX_DEPTH = 8;

/**
 * Control and format characters (C0, C1, U+2028/U+2029, U+FEFF, bidirectional overrides and isolates, and every
 * other `\p{C}`), escaped as `\uXXXX` so that a message can neither break a log line nor hide its text.
 */
const INVISIBLE = /[\p{C}\p{Zl}\p{Zp}]/gu;

function escapeString(text: string): string {
  return (
    '"' +
    text
      .replace(/[\\"]/g, (c) => `\\${c}`)
      .replace(INVISIBLE, (c) => {
        if (c === '\n') return '\\n';
        if (c === '\t') return '\\t';
        if (c === '\r') return '\\r';
        return [...c].map((unit) => `\\u${unit.codePointAt(0)!.toString(16).padStart(4, '0')}`).join('');
      }) +
    '"'
  );
}

/** Appends to `out` until it holds more than `budget` characters; returns false once the budget is spent. */
class Writer {
  out = '';
  constructor(private readonly budget: number) {}
  get full(): boolean {
    return this.out.length > this.budget;
  }
  write(text: string): boolean {
    this.out += text.length > this.budget + 1 ? text.slice(0, this.budget + 1) : text;
    return !this.full;
  }
}

function writeString(w: Writer, text: string): void {
  // Only the part that can be shown is escaped, so a huge string costs no more than a short one.
  w.write(escapeString(text.length > MAX_SHOWN ? text.slice(0, MAX_SHOWN) : text));
}

function keysOf(value: object): string[] | undefined {
  try {
    return Object.keys(value);
  } catch {
    return undefined;
  }
}

function writeValue(w: Writer, value: unknown, depth: number, seen: Set<object>): void {
  if (w.full) return;
  switch (typeof value) {
    case 'string':
      return writeString(w, value);
    case 'number':
      w.write(String(value));
      return;
    case 'boolean':
      w.write(String(value));
      return;
    case 'bigint':
      w.write(`${value}n`);
      return;
    case 'undefined':
      w.write('undefined');
      return;
    case 'symbol':
      w.write('a symbol');
      return;
    case 'function':
      w.write('a function');
      return;
  }
  if (value === null) {
    w.write('null');
    return;
  }
  const object = value as object;
  if (seen.has(object)) {
    w.write('(circular)');
    return;
  }
  if (depth >= MAX_DEPTH) {
    w.write(Array.isArray(object) ? '[…]' : '{…}');
    return;
  }
  seen.add(object);
  if (Array.isArray(object)) {
    w.write('[');
    for (let i = 0; i < object.length && !w.full; i++) {
      if (i > 0) w.write(',');
      let item: unknown;
      try {
        item = object[i];
      } catch {
        item = undefined;
      }
      writeValue(w, item, depth + 1, seen);
    }
    w.write(']');
  } else {
    const keys = keysOf(object);
    if (keys === undefined) {
      w.write('an object that cannot be read');
    } else {
      w.write('{');
      for (let i = 0; i < keys.length && !w.full; i++) {
        if (i > 0) w.write(',');
        writeString(w, keys[i]);
        w.write(':');
        let item: unknown;
        try {
          item = (object as Record<string, unknown>)[keys[i]];
        } catch {
          item = undefined;
        }
        writeValue(w, item, depth + 1, seen);
      }
      w.write('}');
    }
  }
  seen.delete(object);
}

/**
 * `value` as a message shows it: `nothing` for undefined, otherwise JSON-like text of at most `MAX_SHOWN`
 * characters, cut with `… (N characters)` (strings) or `…` (anything else), every control or format character
 * escaped. Never throws.
 */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const w = new Writer(MAX_SHOWN);
  try {
    writeValue(w, value, 0, new Set());
  } catch {
    return 'a value that cannot be shown';
  }
  if (w.out.length <= MAX_SHOWN) return w.out;
  const cut = w.out.slice(0, MAX_SHOWN);
  return typeof value === 'string' ? `${cut}… (${value.length} characters)` : `${cut}…`;
}
