import { Injectable } from '@nestjs/common';
import { AvailabilityCounts, OccupancyEvents, SPACE_STATES, SpaceState } from '@parking/contracts';
import { OutboxWriter } from '@parking/messaging';
import { OccupancySql, Prisma } from '@parking/occupancy/data-access';

/** How a change moves spaces between states: per state, how many more (or fewer). */
export type CountDelta = Partial<Record<SpaceState, number>>;

/** One space counted differently: it left `from` in the zones `leftZones` for `to` in `enteredZones`. */
export interface CountChange {
  siteId: string;
  from: SpaceState | null;
  to: SpaceState | null;
  /** The zones (with ancestors) the space counted in before; empty outside any zone. */
  leftZones: readonly string[];
  /** The zones it counts in after (the same as before unless it moved). */
  enteredZones: readonly string[];
}

interface CountRow extends Omit<AvailabilityCounts, 'total'> {
  id: string;
  total: number;
  version: bigint;
}

function add(target: Map<string, CountDelta>, key: string, state: SpaceState | null, by: number): void {
  if (state === null) return;
  const delta = target.get(key) ?? {};
  delta[state] = (delta[state] ?? 0) + by;
  target.set(key, delta);
}

function assignments(delta: CountDelta): Prisma.Sql[] {
  return SPACE_STATES.flatMap((state) => {
    const by = delta[state] ?? 0;
    // State names come from the closed list SPACE_STATES, never from input.
    return by === 0 ? [] : [Prisma.sql`${Prisma.raw(state)} = ${Prisma.raw(state)} + ${by}::int`];
  });
}

interface Announcement {
  siteId: string;
  zoneId: string | null;
  row: CountRow;
}

function countsOf(row: CountRow): AvailabilityCounts {
  return { free: row.free, occupied: row.occupied, reserved: row.reserved, maintenance: row.maintenance, unknown: row.unknown, total: row.total };
}

/**
 * Changes the counts of sites and zones in the caller's transaction and announces each new
 * count once with `occupancy.zone.availability_changed.v1`. Rows are locked zones first, in id
 * order, then sites in id order: every writer takes them in that order, after the spaces, so
 * two changes never wait on each other in a cycle.
 */
@Injectable()
export class AvailabilityCounter {
  constructor(private readonly outbox: OutboxWriter) {}

  async apply(tx: OccupancySql, tenantId: string, changes: readonly CountChange[], at: Date): Promise<void> {
    const zones = new Map<string, CountDelta>();
    const zoneSite = new Map<string, string>();
    const sites = new Map<string, CountDelta>();
    for (const change of changes) {
      for (const zoneId of change.leftZones) add(zones, zoneId, change.from, -1);
      for (const zoneId of change.enteredZones) add(zones, zoneId, change.to, 1);
      for (const zoneId of [...change.leftZones, ...change.enteredZones]) zoneSite.set(zoneId, change.siteId);
      add(sites, change.siteId, change.from, -1);
      add(sites, change.siteId, change.to, 1);
    }
    const announcements: Announcement[] = [];
    for (const zoneId of [...zones.keys()].sort()) {
      const sets = assignments(zones.get(zoneId) as CountDelta);
      if (sets.length === 0) continue;
      const [row] = await tx.$queryRaw<CountRow[]>`
        UPDATE occupancy.zone_availability
           SET ${Prisma.join(sets, ', ')}, version = version + 1, updated_at = ${at}::timestamptz
         WHERE zone_id = ${zoneId}::uuid
        RETURNING zone_id::text AS id, free, occupied, reserved, maintenance, unknown, total, version`;
      if (row) announcements.push({ siteId: zoneSite.get(zoneId) as string, zoneId, row });
    }
    for (const siteId of [...sites.keys()].sort()) {
      const sets = assignments(sites.get(siteId) as CountDelta);
      if (sets.length === 0) continue;
      const [row] = await tx.$queryRaw<CountRow[]>`
        UPDATE occupancy.site_availability
           SET ${Prisma.join(sets, ', ')}, version = version + 1, updated_at = ${at}::timestamptz
         WHERE site_id = ${siteId}::uuid
        RETURNING site_id::text AS id, free, occupied, reserved, maintenance, unknown, total, version`;
      if (row) announcements.push({ siteId, zoneId: null, row });
    }
    await this.announce(tx, tenantId, announcements, at);
  }

  /** One availability_changed event per zone and site that changed, in one outbox statement. */
  private async announce(tx: OccupancySql, tenantId: string, announcements: readonly Announcement[], at: Date): Promise<void> {
    if (announcements.length === 0) return;
    await this.outbox.appendMany(
      tx,
      OccupancyEvents.ZoneAvailabilityChangedV1,
      announcements.map(({ siteId, zoneId, row }) => ({
        tenantId,
        aggregateId: zoneId ?? siteId,
        time: at,
        data: { tenantId, siteId, zoneId, counts: countsOf(row), version: Number(row.version), changedAt: at.toISOString() },
      })),
    );
  }
}
