import type { DisplayTarget, DisplayView, DisplayWish } from '@parking/contracts';
import { Prisma, type DownlinkTransaction } from '@parking/downlink/data-access';
import { NotFoundError } from '@parking/problem-details';

export interface DisplayRow {
  id: string;
  dev_eui: string;
  codec: string;
  name: string;
  target_kind: DisplayView['target'];
  target_id: string;
  site_id: string;
  arrow: DisplayView['arrow'];
  override_wish: DisplayWish | null;
  override_reason: string | null;
  override_expires_at: Date | null;
  override_by: string | null;
  shows_port: number | null;
  shows_frame: string | null;
  shows_at: Date | null;
  gateway_id: string | null;
  faulty_at: Date | null;
  faulty_reason: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

/** The columns of a DisplayRow from `downlink.displays d`. */
export const DISPLAY_COLUMNS = Prisma.raw(
  `d.id, d.dev_eui, d.codec, d.name, d.target_kind, d.target_id, d.site_id, d.arrow, d.override_wish, d.override_reason, d.override_expires_at,
   d.override_by, d.shows_port, encode(d.shows_frame, 'hex') AS shows_frame, d.shows_at, d.gateway_id, d.faulty_at, d.faulty_reason, d.version,
   d.created_at, d.updated_at`,
);

export function displayView(row: DisplayRow): DisplayView {
  return {
    id: row.id,
    devEui: row.dev_eui,
    codec: row.codec,
    name: row.name,
    target: row.target_kind,
    targetId: row.target_id,
    siteId: row.site_id,
    arrow: row.arrow,
    override:
      row.override_wish && row.override_expires_at
        ? { wish: row.override_wish, reason: row.override_reason ?? '', expiresAt: row.override_expires_at.toISOString(), setBy: row.override_by }
        : null,
    shows: row.shows_port !== null && row.shows_frame !== null && row.shows_at ? { fPort: row.shows_port, frame: row.shows_frame, since: row.shows_at.toISOString() } : null,
    gatewayId: row.gateway_id,
    faultyAt: row.faulty_at?.toISOString() ?? null,
    faultyReason: row.faulty_reason,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** The tenant's display, or 404 (another tenant's is not found either). */
export async function findDisplay(tx: DownlinkTransaction, id: string, forUpdate = false): Promise<DisplayRow> {
  const lock = forUpdate ? Prisma.sql`FOR UPDATE` : Prisma.empty;
  const [row] = await tx.$queryRaw<DisplayRow[]>`SELECT ${DISPLAY_COLUMNS} FROM downlink.displays d WHERE d.id = ${id}::uuid ${lock}`;
  if (!row) throw new NotFoundError('Display', id);
  return row;
}

const PLACE_ENTITY: Record<DisplayTarget, string> = { space: 'Space', zone: 'Zone', site: 'Site' };

/** The site of one of the tenant's spaces, zones or sites (a site's own id), or 404 naming it. */
export async function siteOfPlace(tx: DownlinkTransaction, kind: DisplayTarget, id: string): Promise<string> {
  const table = Prisma.raw(kind === 'space' ? 'downlink.spaces' : kind === 'zone' ? 'downlink.zones' : 'downlink.sites');
  const column = Prisma.raw(kind === 'site' ? 'id' : 'site_id');
  const [place] = await tx.$queryRaw<Array<{ site_id: string }>>`SELECT ${column} AS site_id FROM ${table} WHERE id = ${id}::uuid AND NOT removed`;
  if (!place) throw new NotFoundError(PLACE_ENTITY[kind], id);
  return place.site_id;
}
