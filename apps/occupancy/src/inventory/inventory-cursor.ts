import { ValidationFailedError } from '@parking/problem-details';

/** Snapshot rows run site by site: the site itself, then its zones, then its spaces. */
export const INVENTORY_KINDS = { site: 0, zone: 1, space: 2 } as const;
export type InventoryKindOrder = (typeof INVENTORY_KINDS)[keyof typeof INVENTORY_KINDS];

/** The last row a page held: its site, its kind and its own id (a site's is its site id). */
export interface InventoryCursor {
  siteId: string;
  kind: InventoryKindOrder;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const KINDS: readonly number[] = Object.values(INVENTORY_KINDS);

/** Opaque to callers: base64url of `[siteId, kind, id]`. */
export function encodeInventoryCursor(cursor: InventoryCursor): string {
  return Buffer.from(JSON.stringify([cursor.siteId, cursor.kind, cursor.id])).toString('base64url');
}

export function decodeInventoryCursor(value: string | undefined): InventoryCursor | undefined {
  if (value === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 3 && UUID.test(String(parsed[0])) && KINDS.includes(parsed[1] as number) && UUID.test(String(parsed[2]))) {
      return { siteId: String(parsed[0]), kind: parsed[1] as InventoryKindOrder, id: String(parsed[2]) };
    }
  } catch {
    // Falls through to the validation error below.
  }
  throw new ValidationFailedError([{ field: 'cursor', message: 'must be a nextCursor this snapshot gave out' }]);
}
