import { Inject, Injectable } from '@nestjs/common';
import { Page, Principal, ZONE_MAX_DEPTH, CreateZoneBody, ZoneKind, ZoneView } from '@parking/contracts';
import { OccupancyDatabase, OccupancyTransaction, Prisma, Zone } from '@parking/occupancy/data-access';
import { DomainError, NotFoundError } from '@parking/problem-details';
import { afterCursor, keysetColumns, toPage, whereAll, TENANT_DATABASE } from '@parking/service-runtime';
import { randomUUID } from 'node:crypto';
import { InventoryEvents } from '../inventory/inventory-events';
import { findSite } from '../sites/sites.use-cases';
import { zoneView } from '../sites/site-view';

export async function findZone(tx: OccupancyTransaction, zoneId: string): Promise<Zone> {
  const zone = await tx.zone.findUnique({ where: { id: zoneId } });
  if (!zone) throw new NotFoundError('Zone', zoneId);
  return zone;
}

@Injectable()
export class ZonesUseCases {
  constructor(
    @Inject(TENANT_DATABASE) private readonly db: OccupancyDatabase,
    private readonly events: InventoryEvents,
  ) {}

  create(principal: Principal, siteId: string, input: CreateZoneBody): Promise<ZoneView> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      await findSite(tx, siteId);
      let path: string[] = [];
      if (input.parentZoneId) {
        const parent = await tx.zone.findUnique({ where: { id: input.parentZoneId } });
        if (!parent || parent.siteId !== siteId) {
          throw new DomainError('VALIDATION_FAILED', `The parent zone ${input.parentZoneId} is not a zone of this site.`, undefined, {
            errors: [{ field: 'parentZoneId', message: 'must be a zone of the same site' }],
          });
        }
        if (parent.path.length >= ZONE_MAX_DEPTH) {
          throw new DomainError('VALIDATION_FAILED', `Zones nest at most ${ZONE_MAX_DEPTH} deep; choose a parent higher up.`, undefined, {
            errors: [{ field: 'parentZoneId', message: `nesting deeper than ${ZONE_MAX_DEPTH}` }],
          });
        }
        path = parent.path;
      }
      const id = randomUUID();
      const zone = await tx.zone.create({
        data: { id, tenantId: principal.tenantId, siteId, parentZoneId: input.parentZoneId ?? null, name: input.name, kind: input.kind ?? 'zone', path: [...path, id] },
      });
      await tx.zoneAvailability.create({ data: { zoneId: id, siteId, tenantId: principal.tenantId } });
      await this.events.zonesUpserted(tx, [zone]);
      return zoneView(zone);
    });
  }

  list(principal: Principal, siteId: string, query: { cursor?: string; limit: number; parentZoneId?: string; kind?: ZoneKind }): Promise<Page<ZoneView>> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      await findSite(tx, siteId);
      const where = [Prisma.sql`z.site_id = ${siteId}::uuid`, ...afterCursor('z', query.cursor)];
      if (query.parentZoneId) where.push(Prisma.sql`z.parent_zone_id = ${query.parentZoneId}::uuid`);
      if (query.kind) where.push(Prisma.sql`z.kind = ${query.kind}`);
      const keys = await tx.$queryRaw<Array<{ key_id: string; key_micros: string }>>`
        SELECT ${keysetColumns('z')} FROM occupancy.zones z ${whereAll(where)} ORDER BY z.created_at, z.id LIMIT ${query.limit + 1}`;
      const rows = await tx.zone.findMany({ where: { id: { in: keys.slice(0, query.limit).map((k) => k.key_id) } } });
      const byId = new Map(rows.map((row) => [row.id, row]));
      return toPage(keys, query.limit, (key) => zoneView(byId.get(key.key_id) as Zone));
    });
  }

  get(principal: Principal, zoneId: string): Promise<ZoneView> {
    return this.db.withTenant(principal.tenantId, async (tx) => zoneView(await findZone(tx, zoneId)));
  }

  update(principal: Principal, zoneId: string, changes: { name?: string; kind?: ZoneKind; version?: number }): Promise<ZoneView> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      const zone = await findZone(tx, zoneId);
      if (changes.version !== undefined && changes.version !== zone.version) {
        throw new DomainError('CONFLICT', `The zone is at version ${zone.version}, not ${changes.version}; read it again and retry.`, { version: zone.version });
      }
      const updated = await tx.zone.update({
        where: { id: zoneId },
        data: { name: changes.name, kind: changes.kind, version: { increment: 1 }, updatedAt: new Date() },
      });
      await this.events.zonesUpserted(tx, [updated]);
      return zoneView(updated);
    });
  }

  /** 409 while the zone holds spaces or nested zones. */
  remove(principal: Principal, zoneId: string): Promise<ZoneView> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      // Locked first: a zone nested in it meanwhile waits, so none goes with it unannounced (the cascade).
      await tx.$queryRaw`SELECT 1 FROM occupancy.zones WHERE id = ${zoneId}::uuid FOR UPDATE`;
      const zone = await findZone(tx, zoneId);
      const spaces = await tx.space.count({ where: { zoneId } });
      if (spaces > 0) {
        throw new DomainError('CONFLICT', `The zone still holds ${spaces} space${spaces === 1 ? '' : 's'}; move or delete them first.`, { spaces });
      }
      const nested = await tx.zone.count({ where: { parentZoneId: zoneId } });
      if (nested > 0) {
        throw new DomainError('CONFLICT', `The zone still holds ${nested} nested zone${nested === 1 ? '' : 's'}; delete them first.`, { zones: nested });
      }
      await tx.zone.delete({ where: { id: zoneId } });
      await this.events.zonesRemoved(tx, [zone]);
      return zoneView(zone);
    });
  }
}
