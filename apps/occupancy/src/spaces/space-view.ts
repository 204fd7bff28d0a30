import { SiteCategory, SpaceState, SpaceType, SpaceView } from '@parking/contracts';
import { OccupancyTransaction, Prisma } from '@parking/occupancy/data-access';

/** One space joined with its state and sensor, as the views need it. */
export interface SpaceRow {
  id: string;
  site_id: string;
  zone_id: string | null;
  code: string;
  name: string | null;
  latitude: number | null;
  longitude: number | null;
  category: SiteCategory;
  type: SpaceType;
  tags: string[];
  price_zone: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  sensor_dev_eui: string | null;
  state: SpaceState;
  sensor_occupied: boolean | null;
  sensor_silent: boolean;
  maintenance: boolean;
  maintenance_reason: string | null;
  reservation_active: boolean;
  reading_dev_eui: string | null;
  reading_session: bigint | null;
  reading_f_cnt: bigint | null;
  reading_sensor_time: Date | null;
  reading_received_at: Date | null;
  reading_deduplication_id: string | null;
  last_reading_at: Date | null;
  changed_at: Date;
  state_version: bigint;
  key_id: string;
  key_micros: string;
}

export const SPACE_ROW_SELECT = Prisma.sql`
  SELECT sp.id::text, sp.site_id::text, sp.zone_id::text, sp.code, sp.name, sp.latitude, sp.longitude, sp.category, sp.type,
         sp.tags, sp.price_zone, sp.version, sp.created_at, sp.updated_at, ss.dev_eui AS sensor_dev_eui,
         st.state, st.sensor_occupied, st.sensor_silent, st.maintenance, st.maintenance_reason, st.reservation_active,
         st.reading_dev_eui, st.reading_session, st.reading_f_cnt, st.reading_sensor_time, st.reading_received_at,
         st.reading_deduplication_id, st.last_reading_at, st.changed_at, st.version AS state_version,
         sp.id::text AS key_id, (extract(epoch FROM sp.created_at) * 1000000)::bigint::text AS key_micros
    FROM occupancy.spaces sp
    JOIN occupancy.space_state st ON st.space_id = sp.id
    LEFT JOIN occupancy.space_sensors ss ON ss.space_id = sp.id`;

export function spaceView(row: SpaceRow): SpaceView {
  return {
    id: row.id,
    siteId: row.site_id,
    zoneId: row.zone_id,
    code: row.code,
    name: row.name,
    location: row.latitude === null || row.longitude === null ? null : { latitude: row.latitude, longitude: row.longitude },
    category: row.category,
    type: row.type,
    tags: row.tags,
    priceZone: row.price_zone,
    sensorDevEui: row.sensor_dev_eui,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    state: {
      state: row.state,
      sensorOccupied: row.sensor_occupied,
      sensorSilent: row.sensor_silent,
      maintenance: row.maintenance ? { reason: row.maintenance_reason } : null,
      reservationActive: row.reservation_active,
      reading:
        row.reading_dev_eui === null || row.reading_received_at === null
          ? null
          : {
              devEui: row.reading_dev_eui,
              session: row.reading_session === null ? null : Number(row.reading_session),
              fCnt: row.reading_f_cnt === null ? null : Number(row.reading_f_cnt),
              sensorTime: row.reading_sensor_time?.toISOString() ?? null,
              receivedAt: row.reading_received_at.toISOString(),
              deduplicationId: row.reading_deduplication_id,
            },
      lastReadingAt: row.last_reading_at?.toISOString() ?? null,
      changedAt: row.changed_at.toISOString(),
      version: Number(row.state_version),
    },
  };
}

export async function readSpace(tx: OccupancyTransaction, spaceId: string): Promise<SpaceView | null> {
  const rows = await tx.$queryRaw<SpaceRow[]>`${SPACE_ROW_SELECT} WHERE sp.id = ${spaceId}::uuid`;
  return rows[0] ? spaceView(rows[0]) : null;
}
