import { inlineParams, literalOf } from './inline-params';

describe('inlineParams', () => {
  it('replaces each placeholder with its value as a quoted literal, $10 apart from $1', () => {
    const values = Array.from({ length: 10 }, (_, i) => `v${i + 1}`);
    expect(inlineParams('SELECT $1, $10, $2::int', values)).toBe("SELECT 'v1', 'v10', 'v2'::int");
  });

  it('quotes what could end the literal or the statement', () => {
    expect(inlineParams('SELECT $1', ["it's; DROP TABLE x --"])).toBe("SELECT 'it''s; DROP TABLE x --'");
    // pg's escapeLiteral: backslashes doubled in an E'' string (its leading space is harmless).
    expect(inlineParams('SELECT $1', ['back\\slash'])).toBe("SELECT  E'back\\\\slash'");
  });

  it('leaves placeholders inside strings, quoted identifiers, dollar quotes and comments alone', () => {
    const text = `SELECT '$1', E'\\'$1', "$1", $$ $1 $$, $tag$ $1 $tag$, $2 -- $1\n/* $1 */ FROM t`;
    expect(inlineParams(text, ['one', 'two'])).toBe(`SELECT '$1', E'\\'$1', "$1", $$ $1 $$, $tag$ $1 $tag$, 'two' -- $1\n/* $1 */ FROM t`);
  });

  it('refuses a placeholder without a value', () => {
    expect(() => inlineParams('SELECT $2', ['one'])).toThrow(/\$2 has no value/);
  });

  it("writes values as pg binds them: NULL, numbers and booleans as text, JSON, arrays, dates, bytea", () => {
    expect(literalOf(null)).toBe('NULL');
    expect(literalOf(undefined)).toBe('NULL');
    expect(literalOf(42)).toBe("'42'");
    expect(literalOf(true)).toBe("'true'");
    expect(literalOf({ a: "b'c" })).toBe(`'{"a":"b''c"}'`);
    expect(literalOf(['a', 'b"c'])).toBe(` E'{"a","b\\\\"c"}'`);
    expect(literalOf(Buffer.from([0xde, 0xad]))).toBe("'\\xdead'");
    expect(literalOf(new Date('2026-12-06T10:00:00.000Z'))).toMatch(/^'2026-12-0\d.*'$/);
  });
});
