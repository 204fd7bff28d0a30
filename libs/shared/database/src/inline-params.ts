import * as pg from 'pg';

/** pg's own conversion of a parameter to the text it sends (dates, arrays, JSON as pg would bind them). */
const { prepareValue } = (pg as unknown as { utils: { prepareValue(value: unknown): string | Buffer | null } }).utils;

/**
 * A statement with its `$n` placeholders replaced by quoted literals, for the simple query
 * protocol, which runs several statements in one round trip but takes no parameters. A
 * quoted literal has no type until the context gives it one, as an untyped parameter does,
 * so the statement means the same. Placeholders inside quotes, dollar quotes and comments are
 * left alone.
 */
export function inlineParams(text: string, values: readonly unknown[]): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const skipped = skipQuoted(text, i);
    if (skipped > i) {
      out += text.slice(i, skipped);
      i = skipped;
      continue;
    }
    const placeholder = /^\$(\d+)/.exec(text.slice(i, i + 12));
    if (placeholder && !/[\w$]/.test(text[i - 1] ?? '')) {
      const index = Number(placeholder[1]) - 1;
      if (index < 0 || index >= values.length) throw new RangeError(`inlineParams: $${index + 1} has no value (${values.length} given)`);
      out += literalOf(values[index]);
      i += placeholder[0].length;
      continue;
    }
    out += text[i];
    i++;
  }
  return out;
}

export function literalOf(value: unknown): string {
  const prepared = prepareValue(value);
  if (prepared === null) return 'NULL';
  if (Buffer.isBuffer(prepared)) return `'\\x${prepared.toString('hex')}'`;
  return pg.escapeLiteral(prepared);
}

/** Where a quoted string, quoted identifier, dollar-quoted string or comment starting at `i` ends; `i` when none starts there. */
function skipQuoted(text: string, i: number): number {
  const c = text[i];
  const next = text[i + 1];
  if (c === '-' && next === '-') {
    const end = text.indexOf('\n', i);
    return end < 0 ? text.length : end + 1;
  }
  if (c === '/' && next === '*') {
    const end = text.indexOf('*/', i + 2);
    return end < 0 ? text.length : end + 2;
  }
  if (c === "'" || c === '"') {
    // E'…' strings escape with backslashes; every string doubles its quote.
    const backslashes = c === "'" && /[eE]/.test(text[i - 1] ?? '') && !/\w/.test(text[i - 2] ?? '');
    let j = i + 1;
    while (j < text.length) {
      if (backslashes && text[j] === '\\') j += 2;
      else if (text[j] === c && text[j + 1] === c) j += 2;
      else if (text[j] === c) return j + 1;
      else j++;
    }
    return text.length;
  }
  if (c === '$' && !/[\w$]/.test(text[i - 1] ?? '')) {
    const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i, i + 64));
    if (tag) {
      const end = text.indexOf(tag[0], i + tag[0].length);
      return end < 0 ? text.length : end + tag[0].length;
    }
  }
  return i;
}
