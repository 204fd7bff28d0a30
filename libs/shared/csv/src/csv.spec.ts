import { CsvSyntaxError, parseCsv } from './csv';

describe('parseCsv', () => {
  it('reads plain records with CRLF or LF line ends and skips blank lines', () => {
    expect(parseCsv('a,b,c\r\n1,2,3\n\n4,,6\n')).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', '2', '3'] },
      { line: 4, fields: ['4', '', '6'] },
    ]);
  });

  it('reads quoted fields with commas, doubled quotes and line breaks, keeping the line each record starts on', () => {
    expect(parseCsv('name,note\n"Bay, 12","say ""hi"""\n"two\nlines",x\nlast,""\n')).toEqual([
      { line: 1, fields: ['name', 'note'] },
      { line: 2, fields: ['Bay, 12', 'say "hi"'] },
      { line: 3, fields: ['two\nlines', 'x'] },
      { line: 5, fields: ['last', ''] },
    ]);
  });

  it('keeps an empty quoted field and a trailing empty field', () => {
    expect(parseCsv('"",x,\n')).toEqual([{ line: 1, fields: ['', 'x', ''] }]);
  });

  it('drops a UTF-8 byte-order mark and reads a last line without a line end', () => {
    expect(parseCsv('\uFEFFdevEui,kind\n0011223344556677,sensor')).toEqual([
      { line: 1, fields: ['devEui', 'kind'] },
      { line: 2, fields: ['0011223344556677', 'sensor'] },
    ]);
  });

  it.each([
    ['"open,x\nmore', 2, 'a quoted field is not closed'],
    ['a,b\nab"c,d', 2, 'a quote inside an unquoted field'],
    ['a,b\n"x"y,z', 2, 'after a closing quote comes a comma or the end of the line'],
  ])('refuses %j at line %d', (text, line, reason) => {
    let caught: unknown;
    try {
      parseCsv(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CsvSyntaxError);
    expect(caught).toMatchObject({ line, reason: expect.stringContaining(reason) });
  });
});
