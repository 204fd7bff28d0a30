import { DEVICE_FIELDS, DEVICE_IMPORT_MAX_ROWS, ImportRowProblem } from '@parking/contracts';
import { DomainError, FieldError, ValidationFailedError } from '@parking/problem-details';
import { CsvSyntaxError, parseCsv } from '@parking/csv';

/** One row of an import before validation: where it came from and its fields as given. */
export interface ImportRow {
  position: { line: number } | { index: number };
  body: Record<string, unknown>;
  /** What is wrong with the row's shape, before its fields are checked. */
  problems: FieldError[];
}

/** An import that cannot even be split into rows: the problems found so far (all at the file level). */
export class ImportShapeError extends Error {
  constructor(readonly problems: ImportRowProblem[]) {
    super('the import cannot be read');
  }
}

const REQUIRED_COLUMNS = ['devEui', 'kind', 'codec', 'name'];

function tooMany(rows: number): DomainError {
  return new DomainError(
    'PAYLOAD_TOO_LARGE',
    `The import holds ${rows} devices; at most ${DEVICE_IMPORT_MAX_ROWS} go in one import. Split it into several files.`,
    { maxRows: DEVICE_IMPORT_MAX_ROWS },
  );
}

function empty(field: string): ValidationFailedError {
  return new ValidationFailedError([{ field, message: 'holds no devices' }]);
}

/** `level:2;zone:north` → `{level: '2', zone: 'north'}`; anything else stays a string (and fails validation). */
function csvTags(cell: string): unknown {
  const pairs = cell.split(';').filter((pair) => pair.trim().length > 0);
  const entries = pairs.map((pair) => {
    const at = pair.indexOf(':');
    return at > 0 ? [pair.slice(0, at).trim(), pair.slice(at + 1).trim()] : undefined;
  });
  return entries.every((entry) => entry !== undefined) ? Object.fromEntries(entries as string[][]) : cell;
}

function csvValue(column: string, cell: string): unknown {
  if (cell.trim() === '') return undefined;
  if (column === 'heartbeatSeconds') return /^\s*[0-9]+\s*$/.test(cell) ? Number(cell) : cell;
  if (column === 'tags') return csvTags(cell);
  return cell;
}

/** A CSV file with a header row naming the columns (case-insensitive): devEui, kind, codec, name, and optionally the rest. */
export function csvRows(text: string): ImportRow[] {
  let records;
  try {
    records = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new ImportShapeError([{ line: error.line, field: 'csv', message: error.reason }]);
    throw error;
  }
  const [header, ...data] = records;
  if (!header) throw empty('csv');
  const columns = header.fields.map((name) => DEVICE_FIELDS.find((known) => known.toLowerCase() === name.trim().toLowerCase()));
  const problems: ImportRowProblem[] = [];
  header.fields.forEach((name, i) => {
    if (!columns[i]) problems.push({ line: header.line, field: name, message: `is not a device column (${DEVICE_FIELDS.join(', ')})` });
    else if (columns.indexOf(columns[i]) !== i) problems.push({ line: header.line, field: name, message: 'appears twice in the header' });
  });
  for (const required of REQUIRED_COLUMNS) {
    if (!columns.includes(required as (typeof DEVICE_FIELDS)[number])) problems.push({ line: header.line, field: required, message: 'column is missing from the header' });
  }
  if (problems.length > 0) throw new ImportShapeError(problems);
  if (data.length === 0) throw empty('csv');
  if (data.length > DEVICE_IMPORT_MAX_ROWS) throw tooMany(data.length);
  return data.map((record) => {
    const body: Record<string, unknown> = {};
    columns.forEach((column, i) => {
      const value = csvValue(column as string, record.fields[i] ?? '');
      if (value !== undefined) body[column as string] = value;
    });
    const problems =
      record.fields.length === columns.length ? [] : [{ field: 'csv', message: `has ${record.fields.length} fields where the header has ${columns.length}` }];
    return { position: { line: record.line }, body, problems };
  });
}

/** A JSON array of devices, or `{devices: [...]}`. */
export function jsonRows(devices: unknown): ImportRow[] {
  if (!Array.isArray(devices)) throw new ValidationFailedError([{ field: 'devices', message: 'must be an array of devices' }]);
  if (devices.length === 0) throw empty('devices');
  if (devices.length > DEVICE_IMPORT_MAX_ROWS) throw tooMany(devices.length);
  return devices.map((row, index) =>
    row !== null && typeof row === 'object' && !Array.isArray(row)
      ? { position: { index }, body: row as Record<string, unknown>, problems: [] }
      : { position: { index }, body: {}, problems: [{ field: 'device', message: 'must be an object' }] },
  );
}
