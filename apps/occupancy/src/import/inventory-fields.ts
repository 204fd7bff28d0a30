import { checkPayload, ImportAssignmentRow, ImportSiteRow, ImportSpaceRow, ImportZoneRow, OccupancyImportList } from '@parking/contracts';
import type { FieldError } from '@parking/problem-details';
import { InventoryRow, RowPosition } from './inventory-rows';

/** The class each list's rows must satisfy: the same rules as the single-object requests. */
const ROW_CLASSES = { sites: ImportSiteRow, zones: ImportZoneRow, spaces: ImportSpaceRow, assignments: ImportAssignmentRow } as const;

/** The fields a row of each list may carry (JSON keys; CSV columns map onto them), named when a row has another. */
const FIELDS = {
  sites: ['name', 'category', 'address', 'location', 'timeZone', 'openingHours', 'heartbeatTimeoutSeconds'],
  zones: ['site', 'name', 'kind', 'parent'],
  spaces: ['site', 'code', 'zone', 'name', 'location', 'category', 'type', 'tags', 'priceZone', 'devEui'],
  assignments: ['site', 'code', 'devEui'],
} as const satisfies { [L in OccupancyImportList]: ReadonlyArray<keyof InstanceType<(typeof ROW_CLASSES)[L]>> };

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

/**
 * One row checked against its list's class (transforms applied: trimmed names, lower-case
 * devEUIs). A row lists one problem per field: thousands of rows must stay readable.
 */
function checkRow(row: InventoryRow): { value: unknown; problems: FieldError[] } {
  const { value, errors } = checkPayload<object>(ROW_CLASSES[row.list], row.body);
  const problems = errors
    .filter((error, i) => errors.findIndex((e) => e.field === error.field) === i)
    .map((error) =>
      // A field of no row class: say which fields the row may have.
      error.message === `property ${error.field} should not exist`
        ? { field: error.field, message: `is not a field of ${row.list} rows (${FIELDS[row.list].join(', ')})` }
        : error,
    );
  return { value, problems };
}

/** Checks each row's fields; problems go to `report`, valid rows come back by list. */
export function checkRows(rows: readonly InventoryRow[], report: (position: RowPosition, field: string, message: string) => void): CheckedInventory {
  const checked: CheckedInventory = { sites: [], zones: [], spaces: [], assignments: [], rejected: { sites: new Set(), zones: new Set(), spaces: new Set() } };
  for (const row of rows) {
    const { value, problems } = row.problems.length > 0 ? { value: undefined, problems: row.problems } : checkRow(row);
    problems.forEach((p) => report(row.position, p.field, p.message));
    if (problems.length === 0) (checked[row.list] as Array<Checked<unknown>>).push({ position: row.position, row: value });
    else if (row.list !== 'assignments') {
      const key = row.body[row.list === 'spaces' ? 'code' : 'name'];
      if (typeof key === 'string') checked.rejected[row.list].add(key.trim());
    }
  }
  return checked;
}
