import { CODECS } from '@parking/ingest/codecs';
import { Device, IngestTransaction, Prisma } from '@parking/ingest/data-access';
import { DeviceKind, ONLINE_HEARTBEATS, Page } from '@parking/contracts';
import { decodeCursor, encodeCursor } from '@parking/service-runtime';
import { FALLBACK_HEARTBEAT_SECONDS } from './device-view';

export interface DeviceQuery {
  /** Narrows to one tenant (RLS narrows a tenant's own queries anyway; this lets the index serve). */
  tenantId?: string;
  kind?: DeviceKind;
  codec?: string;
  tag?: { key: string; value: string };
  status?: 'online' | 'offline';
  /** Last known battery below this percentage. */
  batteryBelow?: number;
  /** Prefix of the name (case-insensitive) or of the devEUI. */
  q?: string;
  cursor?: string;
  limit: number;
}

/** `COALESCE(override, the codec's default)` in SQL, from the codec registry. */
function effectiveHeartbeatSql(): Prisma.Sql {
  const cases = Object.values(CODECS).map((codec) => Prisma.sql`WHEN ${codec.id} THEN ${codec.defaultHeartbeatSeconds}::int`);
  return Prisma.sql`COALESCE(d.heartbeat_seconds, CASE d.codec ${Prisma.join(cases, ' ')} ELSE ${FALLBACK_HEARTBEAT_SECONDS}::int END)`;
}

/** Heard within ONLINE_HEARTBEATS heartbeats; a device never heard is not online. */
export function onlineSql(): Prisma.Sql {
  return Prisma.sql`(d.last_seen_at IS NOT NULL AND d.last_seen_at >= now() - (${ONLINE_HEARTBEATS}::int * ${effectiveHeartbeatSql()}) * interval '1 second')`;
}

function likePrefix(value: string): string {
  return `${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function conditions(query: DeviceQuery): Prisma.Sql[] {
  const where: Prisma.Sql[] = [];
  if (query.tenantId) where.push(Prisma.sql`d.tenant_id = ${query.tenantId}::uuid`);
  if (query.kind) where.push(Prisma.sql`d.kind = ${query.kind}`);
  if (query.codec) where.push(Prisma.sql`d.codec = ${query.codec}`);
  if (query.tag) where.push(Prisma.sql`d.tags @> ${JSON.stringify({ [query.tag.key]: query.tag.value })}::jsonb`);
  if (query.status === 'online') where.push(onlineSql());
  if (query.status === 'offline') where.push(Prisma.sql`NOT ${onlineSql()}`);
  if (query.batteryBelow !== undefined) where.push(Prisma.sql`d.battery_percent < ${query.batteryBelow}::real`);
  if (query.q) {
    const eui = query.q.replace(/[-:]/g, '').toLowerCase();
    where.push(Prisma.sql`(lower(d.name) LIKE ${likePrefix(query.q.toLowerCase())} OR d.dev_eui LIKE ${likePrefix(eui)})`);
  }
  const cursor = decodeCursor(query.cursor);
  if (cursor) {
    where.push(
      Prisma.sql`(d.created_at, d.id) > (timestamptz 'epoch' + ${cursor.createdAtMicros}::bigint * interval '1 microsecond', ${cursor.id}::uuid)`,
    );
  }
  return where;
}

/**
 * One page in (created_at, id) order: a keyset, so pages stay stable while devices are
 * added or removed. The filter runs in SQL, then the page's rows are read through Prisma.
 */
export async function queryDevices(tx: IngestTransaction, query: DeviceQuery): Promise<Page<Device>> {
  const where = conditions(query);
  const keys = await tx.$queryRaw<Array<{ id: string; micros: string }>>(Prisma.sql`
    SELECT d.id::text AS id, (extract(epoch FROM d.created_at) * 1000000)::bigint::text AS micros
      FROM ingest.devices d
     ${where.length > 0 ? Prisma.sql`WHERE ${Prisma.join(where, ' AND ')}` : Prisma.empty}
     ORDER BY d.created_at, d.id
     LIMIT ${query.limit + 1}`);
  const page = keys.slice(0, query.limit);
  const rows = await tx.device.findMany({ where: { id: { in: page.map((key) => key.id) } } });
  const byId = new Map(rows.map((row) => [row.id, row]));
  const last = page.at(-1);
  return {
    items: page.flatMap((key) => byId.get(key.id) ?? []),
    nextCursor: keys.length > query.limit && last ? encodeCursor({ createdAtMicros: last.micros, id: last.id }) : null,
  };
}
