import { CsvError, parse } from 'csv-parse/sync';

/**
 * CSV for imports (RFC 4180 via csv-parse): comma-separated, fields optionally quoted,
 * CRLF or LF, an optional byte-order mark, blank lines skipped. Each record keeps the
 * physical line it starts on, so problems can be reported by line.
 */
export interface CsvRecord {
  /** 1-based line of the file where the record starts. */
  line: number;
  fields: string[];
}

export class CsvSyntaxError extends Error {
  override readonly name = 'CsvSyntaxError';

  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

const REASONS: Record<string, string> = {
  INVALID_OPENING_QUOTE: 'a quote inside an unquoted field (quote the whole field and double the quote)',
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is not closed',
  CSV_INVALID_CLOSING_QUOTE: 'after a closing quote comes a comma or the end of the line',
};

interface ParsedRecord {
  record: string[];
  raw: string;
  info: { lines: number };
}

export function parseCsv(text: string): CsvRecord[] {
  let parsed: ParsedRecord[];
  try {
    parsed = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true, info: true, raw: true, record_delimiter: ['\r\n', '\n', '\r'] }) as unknown as ParsedRecord[];
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines ?? 1;
      throw new CsvSyntaxError(line, REASONS[error.code] ?? error.message);
    }
    throw error;
  }
  // info.lines is where the record ends; a quoted field may span lines (raw may also carry
  // the line breaks around it, which are not part of the record).
  return parsed.map(({ record, raw, info }) => ({
    line: info.lines - (raw.replace(/^[\r\n]+|[\r\n]+$/g, '').match(/\r\n|\n|\r/g)?.length ?? 0),
    fields: record,
  }));
}
