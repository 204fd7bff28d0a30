import {
  InventoryImportRowProblem,
  OCCUPANCY_IMPORT_CSV_COLUMNS,
  OCCUPANCY_IMPORT_CSV_KINDS,
  OCCUPANCY_IMPORT_LISTS,
  OCCUPANCY_IMPORT_MAX_ROWS,
  OccupancyImportCsvKind,
  OccupancyImportList,
} from '@parking/contracts';
import { CsvSyntaxError, parseCsv } from '@parking/csv';
import { DomainError, FieldError, ValidationFailedError } from '@parking/problem-details';

export type RowPosition = { line: number } | { list: OccupancyImportList; index: number };

/** One row of an import before its fields are checked: which list it belongs to, where it came from, its fields as given. */
export interface InventoryRow {
  list: OccupancyImportList;
  position: RowPosition;
  body: Record<string, unknown>;
  /** What is wrong with the row's shape, before its fields are checked. */
  problems: FieldError[];
}

/** An import that cannot even be split into rows: the problems found (all at the file level). */
export class InventoryShapeError extends Error {
  constructor(readonly problems: InventoryImportRowProblem[]) {
    super('the import cannot be read');
  }
}

/** `line 3` or `spaces[2]`: how problems name a row. */
export function whereIs(position: RowPosition): string {
  return 'line' in position ? `line ${position.line}` : `${position.list}[${position.index}]`;
}

type CsvColumn = (typeof OCCUPANCY_IMPORT_CSV_COLUMNS)[number];

const LIST_OF_KIND: Record<OccupancyImportCsvKind, OccupancyImportList> = {
  site: 'sites',
  zone: 'zones',
  level: 'zones',
  space: 'spaces',
  assignment: 'assignments',
};

/** The columns each kind of CSV row may fill; `latitude`/`longitude` become `location`. */
const CSV_COLUMNS_OF: Record<OccupancyImportList, readonly CsvColumn[]> = {
  sites: ['name', 'category', 'address', 'latitude', 'longitude', 'timeZone', 'heartbeatTimeoutSeconds'],
  zones: ['site', 'name', 'parent'],
  spaces: ['site', 'code', 'zone', 'name', 'category', 'type', 'tags', 'priceZone', 'latitude', 'longitude', 'devEui'],
  assignments: ['site', 'code', 'devEui'],
};

const NUMBER = /^\s*-?[0-9]+(\.[0-9]+)?\s*$/;

function tooMany(rows: number): DomainError {
  return new DomainError(
    'PAYLOAD_TOO_LARGE',
    `The import holds ${rows} rows; at most ${OCCUPANCY_IMPORT_MAX_ROWS} go in one import. Split it into several files (sites and zones first).`,
    { maxRows: OCCUPANCY_IMPORT_MAX_ROWS },
  );
}

function empty(field: string): ValidationFailedError {
  return new ValidationFailedError([{ field, message: 'holds no sites, zones, spaces or assignments' }]);
}

function csvNumber(cell: string): unknown {
  return NUMBER.test(cell) ? Number(cell) : cell;
}

/** The row's body from its cells, in the shape a JSON row of its list has. */
function csvBody(kind: OccupancyImportCsvKind, cells: Map<CsvColumn, string>): { body: Record<string, unknown>; problems: FieldError[] } {
  const list = LIST_OF_KIND[kind];
  const body: Record<string, unknown> = {};
  const problems: FieldError[] = [];
  for (const [column, cell] of cells) {
    if (column === 'kind' || cell.trim() === '') continue;
    if (!CSV_COLUMNS_OF[list].includes(column)) {
      problems.push({ field: column, message: `is not used by ${kind} rows; leave it empty (${kind} rows use ${CSV_COLUMNS_OF[list].join(', ')})` });
    } else if (column === 'latitude' || column === 'longitude') {
      continue;
    } else if (column === 'heartbeatTimeoutSeconds') {
      body[column] = csvNumber(cell);
    } else if (column === 'tags') {
      body.tags = cell.split(';').map((tag) => tag.trim()).filter((tag) => tag.length > 0);
    } else {
      body[column] = cell.trim();
    }
  }
  const latitude = cells.get('latitude')?.trim() ?? '';
  const longitude = cells.get('longitude')?.trim() ?? '';
  if ((latitude || longitude) && CSV_COLUMNS_OF[list].includes('latitude')) {
    // Half a position, or a word where a number belongs, fails the location check with its message.
    body.location = latitude && longitude ? { latitude: csvNumber(latitude), longitude: csvNumber(longitude) } : `${latitude},${longitude}`;
  }
  if (kind === 'zone' || kind === 'level') body.kind = kind;
  return { body, problems };
}

/** A CSV file with a header row naming its columns (case-insensitive), `kind` among them. */
export function csvRows(text: string): InventoryRow[] {
  let records;
  try {
    records = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new InventoryShapeError([{ line: error.line, field: 'csv', message: error.reason }]);
    throw error;
  }
  const [header, ...data] = records;
  if (!header) throw empty('csv');
  const columns = header.fields.map((name) => OCCUPANCY_IMPORT_CSV_COLUMNS.find((known) => known.toLowerCase() === name.trim().toLowerCase()));
  const problems: InventoryImportRowProblem[] = [];
  header.fields.forEach((name, i) => {
    if (!columns[i]) problems.push({ line: header.line, field: name, message: `is not a column of the import (${OCCUPANCY_IMPORT_CSV_COLUMNS.join(', ')})` });
    else if (columns.indexOf(columns[i]) !== i) problems.push({ line: header.line, field: name, message: 'appears twice in the header' });
  });
  if (!columns.includes('kind')) problems.push({ line: header.line, field: 'kind', message: `column is missing from the header (each row's kind: ${OCCUPANCY_IMPORT_CSV_KINDS.join(', ')})` });
  if (problems.length > 0) throw new InventoryShapeError(problems);
  if (data.length === 0) throw empty('csv');
  if (data.length > OCCUPANCY_IMPORT_MAX_ROWS) throw tooMany(data.length);
  return data.map((record) => {
    const cells = new Map<CsvColumn, string>(columns.map((column, i) => [column as CsvColumn, record.fields[i] ?? '']));
    const kind = (cells.get('kind') ?? '').trim().toLowerCase() as OccupancyImportCsvKind;
    const position = { line: record.line };
    if (!OCCUPANCY_IMPORT_CSV_KINDS.includes(kind)) {
      return { list: 'sites', position, body: {}, problems: [{ field: 'kind', message: `must be one of ${OCCUPANCY_IMPORT_CSV_KINDS.join(', ')}` }] };
    }
    const { body, problems: cellProblems } = csvBody(kind, cells);
    if (record.fields.length !== columns.length) cellProblems.push({ field: 'csv', message: `has ${record.fields.length} fields where the header has ${columns.length}` });
    return { list: LIST_OF_KIND[kind], position, body, problems: cellProblems };
  });
}

/** `{sites?, zones?, spaces?, assignments?}`, each a list of objects. */
export function jsonRows(lists: Partial<Record<OccupancyImportList, unknown>>): InventoryRow[] {
  const errors = OCCUPANCY_IMPORT_LISTS.filter((list) => lists[list] !== undefined && !Array.isArray(lists[list])).map((list) => ({
    field: list,
    message: `must be a list of ${list}`,
  }));
  if (errors.length > 0) throw new ValidationFailedError(errors);
  const rows: InventoryRow[] = OCCUPANCY_IMPORT_LISTS.flatMap((list) =>
    ((lists[list] as unknown[] | undefined) ?? []).map((row, index) =>
      row !== null && typeof row === 'object' && !Array.isArray(row)
        ? { list, position: { list, index }, body: row as Record<string, unknown>, problems: [] }
        : { list, position: { list, index }, body: {}, problems: [{ field: list.slice(0, -1), message: 'must be an object' }] },
    ),
  );
  if (rows.length === 0) throw empty('sites');
  if (rows.length > OCCUPANCY_IMPORT_MAX_ROWS) throw tooMany(rows.length);
  return rows;
}
