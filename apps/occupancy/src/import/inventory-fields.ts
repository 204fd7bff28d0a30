import { ImportAssignmentRow, ImportSiteRow, ImportSpaceRow, ImportZoneRow, OccupancyImportList, SiteInput, ZONE_KINDS } from '@parking/contracts';
import { FieldError } from '@parking/problem-details';
import { RequestReader } from '../rpc/request-reader';
import { readSite } from '../sites/sites.rpc';
import { CODE, CODE_HINT, readDevEui, readSpace } from '../spaces/spaces.rpc';
import { InventoryRow, RowPosition } from './inventory-rows';

/** The fields a row of each list may carry (JSON keys; CSV columns map onto them). */
const FIELDS: Record<OccupancyImportList, readonly string[]> = {
  sites: ['name', 'category', 'address', 'location', 'timeZone', 'openingHours', 'heartbeatTimeoutSeconds'],
  zones: ['site', 'name', 'kind', 'parent'],
  spaces: ['site', 'code', 'zone', 'name', 'location', 'category', 'type', 'tags', 'priceZone', 'devEui'],
  assignments: ['site', 'code', 'devEui'],
};

const NAME = { max: 200 };

interface Checked<T> {
  position: RowPosition;
  row: T;
}

/** Every row whose fields are valid, by list; the rest reported. References are resolved later. */
export interface CheckedInventory {
  sites: Checked<ImportSiteRow>[];
  zones: Checked<ImportZoneRow>[];
  spaces: Checked<ImportSpaceRow>[];
  assignments: Checked<ImportAssignmentRow>[];
  /**
   * Names and codes of site, zone and space rows that were reported: rows referring to them
   * are not reported again for that (the import fails anyway, and the cause is listed).
   */
  rejected: { sites: Set<string>; zones: Set<string>; spaces: Set<string> };
}

export type CheckedRow<L extends OccupancyImportList> = CheckedInventory[L][number];

/** The same checks as the single-object requests (RequestReader, readSite, readSpace), row by row. */
function readRow(row: InventoryRow): { value: unknown; problems: readonly FieldError[] } {
  const input = new RequestReader(row.body);
  for (const key of Object.keys(row.body)) {
    if (!FIELDS[row.list].includes(key)) input.fail(key, `is not a field of ${row.list} rows (${FIELDS[row.list].join(', ')})`);
  }
  let value: unknown;
  switch (row.list) {
    case 'sites':
      value = readSite(input, true) as SiteInput;
      break;
    case 'zones': {
      const parent = input.nullableString('parent', NAME);
      value = { site: input.string('site', NAME), name: input.string('name', NAME), kind: input.oneOf('kind', ZONE_KINDS) ?? 'zone', parent: parent ?? null };
      break;
    }
    case 'spaces': {
      const site = input.string('site', NAME);
      const zone = input.nullableString('zone', NAME);
      const devEui = input.has('devEui') ? readDevEui(input) : undefined;
      value = { ...readSpace(input, true), site, zone: zone ?? null, ...(devEui !== undefined ? { devEui } : {}) };
      break;
    }
    case 'assignments':
      value = { site: input.string('site', NAME), code: input.string('code', { max: 64, pattern: CODE, hint: CODE_HINT }), devEui: readDevEui(input) };
      break;
  }
  return { value, problems: input.problems };
}

/** Checks each row's fields; problems go to `report`, valid rows come back by list. */
export function checkRows(rows: readonly InventoryRow[], report: (position: RowPosition, field: string, message: string) => void): CheckedInventory {
  const checked: CheckedInventory = { sites: [], zones: [], spaces: [], assignments: [], rejected: { sites: new Set(), zones: new Set(), spaces: new Set() } };
  for (const row of rows) {
    const { value, problems } = row.problems.length > 0 ? { value: undefined, problems: row.problems } : readRow(row);
    problems.forEach((p) => report(row.position, p.field, p.message));
    if (problems.length === 0) (checked[row.list] as Array<Checked<unknown>>).push({ position: row.position, row: value });
    else if (row.list !== 'assignments') {
      const key = row.body[row.list === 'spaces' ? 'code' : 'name'];
      if (typeof key === 'string') checked.rejected[row.list].add(key.trim());
    }
  }
  return checked;
}
