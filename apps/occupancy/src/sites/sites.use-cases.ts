import { InjectConfig } from '@parking/config';
import { Optional, Inject, Injectable } from '@nestjs/common';
import { type PlanId, AvailabilityCounts, Page, Principal, SiteAvailabilityResponse, SiteCategory, SiteInput, SiteView, ZoneKind } from '@parking/contracts';
import { OccupancyDatabase, OccupancyTransaction, Prisma, Site } from '@parking/occupancy/data-access';
import { DomainError, NotFoundError } from '@parking/problem-details';
import { defaultTenantPlanOf, type DataServiceConfig, afterCursor, keysetColumns, toPage, whereAll, TENANT_DATABASE } from '@parking/service-runtime';
import { InventoryEvents } from '../inventory/inventory-events';
import { assertWithinLimit } from '../rpc/plan-limits';
import { siteView } from './site-view';

export interface SiteChanges extends Partial<SiteInput> {
  version?: number;
}

interface CountRow extends Omit<AvailabilityCounts, 'total'> {
  total: number | null;
  version: bigint;
}

function counts(row: CountRow): AvailabilityCounts {
  return { free: row.free, occupied: row.occupied, reserved: row.reserved, maintenance: row.maintenance, unknown: row.unknown, total: row.total ?? 0 };
}

/** A site of the caller's tenant, or 404 (another tenant's site is not there for it). */
export async function findSite(tx: OccupancyTransaction, siteId: string): Promise<Site> {
  const site = await tx.site.findUnique({ where: { id: siteId } });
  if (!site) throw new NotFoundError('Site', siteId);
  return site;
}

function siteColumns(input: Partial<SiteInput>): Prisma.SiteUncheckedUpdateInput {
  const data: Prisma.SiteUncheckedUpdateInput = {};
  if (input.name !== undefined) data.name = input.name;
  if (input.address !== undefined) data.address = input.address;
  if (input.location !== undefined) {
    data.latitude = input.location?.latitude ?? null;
    data.longitude = input.location?.longitude ?? null;
  }
  if (input.timeZone !== undefined) data.timeZone = input.timeZone;
  if (input.openingHours !== undefined) data.openingHours = input.openingHours === null ? Prisma.DbNull : (input.openingHours as Prisma.InputJsonValue);
  if (input.category !== undefined) data.category = input.category;
  if (input.heartbeatTimeoutSeconds !== undefined) data.heartbeatTimeoutSeconds = input.heartbeatTimeoutSeconds;
  return data;
}

/** Deepest zones first, as a removal of nested zones reads. */
function nestedFirst<Z extends { id: string; path: string[] }>(zones: Z[]): Z[] {
  return [...zones].sort((a, b) => b.path.length - a.path.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

@Injectable()
export class SitesUseCases {
  /** DEFAULT_TENANT_PLAN: the limits of a tenant whose own this service has not heard yet. */
  private readonly defaultPlan: PlanId;

  constructor(
    @Inject(TENANT_DATABASE) private readonly db: OccupancyDatabase,
    private readonly events: InventoryEvents,
    @Optional() @InjectConfig() config?: DataServiceConfig,
  ) {
    this.defaultPlan = defaultTenantPlanOf(config);
  }

  create(principal: Principal, input: SiteInput): Promise<SiteView> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      await assertWithinLimit(tx, principal.tenantId, 'sites', 1, this.defaultPlan);
      const site = await tx.site.create({
        data: { ...(siteColumns(input) as Prisma.SiteUncheckedCreateInput), tenantId: principal.tenantId, name: input.name, category: input.category },
      });
      await tx.siteAvailability.create({ data: { siteId: site.id, tenantId: principal.tenantId } });
      await this.events.sitesUpserted(tx, [site]);
      return siteView(site);
    });
  }

  list(principal: Principal, query: { cursor?: string; limit: number; category?: SiteCategory }): Promise<Page<SiteView>> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      const where = [...afterCursor('s', query.cursor)];
      if (query.category) where.push(Prisma.sql`s.category = ${query.category}`);
      const keys = await tx.$queryRaw<Array<{ key_id: string; key_micros: string }>>`
        SELECT ${keysetColumns('s')} FROM occupancy.sites s ${whereAll(where)} ORDER BY s.created_at, s.id LIMIT ${query.limit + 1}`;
      const rows = await tx.site.findMany({ where: { id: { in: keys.slice(0, query.limit).map((k) => k.key_id) } } });
      const byId = new Map(rows.map((row) => [row.id, row]));
      return toPage(keys, query.limit, (key) => siteView(byId.get(key.key_id) as Site));
    });
  }

  get(principal: Principal, siteId: string): Promise<SiteView> {
    return this.db.withTenant(principal.tenantId, async (tx) => siteView(await findSite(tx, siteId)));
  }

  update(principal: Principal, siteId: string, changes: SiteChanges): Promise<SiteView> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      const site = await findSite(tx, siteId);
      if (changes.version !== undefined && changes.version !== site.version) {
        throw new DomainError('CONFLICT', `The site is at version ${site.version}, not ${changes.version}; read it again and retry.`, { version: site.version });
      }
      const updated = await tx.site.update({
        where: { id: siteId },
        data: { ...siteColumns(changes), version: { increment: 1 }, updatedAt: new Date() },
      });
      await this.events.sitesUpserted(tx, [updated]);
      return siteView(updated);
    });
  }

  /** 409 while the site has spaces; its zones and counts go with it, each zone announced as removed. */
  remove(principal: Principal, siteId: string): Promise<SiteView> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      // Locked first: a space or zone created meanwhile waits, so the zones listed are all the cascade takes.
      await tx.$queryRaw`SELECT 1 FROM occupancy.sites WHERE id = ${siteId}::uuid FOR UPDATE`;
      const site = await findSite(tx, siteId);
      const spaces = await tx.space.count({ where: { siteId } });
      if (spaces > 0) {
        throw new DomainError(
          'CONFLICT',
          `The site still has ${spaces} space${spaces === 1 ? '' : 's'}; delete them first, then the site.`,
          { spaces },
        );
      }
      const zones = await tx.zone.findMany({ where: { siteId }, select: { id: true, tenantId: true, siteId: true, path: true } });
      await tx.site.delete({ where: { id: siteId } });
      await this.events.siteRemoved(tx, site, nestedFirst(zones));
      return siteView(site);
    });
  }

  /** From the counts kept with every change: no space is read. */
  availability(principal: Principal, siteId: string): Promise<SiteAvailabilityResponse> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      const [site] = await tx.$queryRaw<Array<CountRow & { updated_at: Date }>>`
        SELECT free, occupied, reserved, maintenance, unknown, total, version, updated_at
          FROM occupancy.site_availability WHERE site_id = ${siteId}::uuid`;
      if (!site) throw new NotFoundError('Site', siteId);
      const zones = await tx.$queryRaw<Array<CountRow & { zone_id: string; parent_zone_id: string | null; name: string; kind: ZoneKind }>>`
        SELECT a.zone_id::text, z.parent_zone_id::text, z.name, z.kind, a.free, a.occupied, a.reserved, a.maintenance, a.unknown, a.total, a.version
          FROM occupancy.zone_availability a JOIN occupancy.zones z ON z.id = a.zone_id
         WHERE a.site_id = ${siteId}::uuid
         ORDER BY array_length(z.path, 1), z.created_at, z.id`;
      return {
        siteId,
        counts: counts(site),
        version: Number(site.version),
        updatedAt: site.updated_at.toISOString(),
        zones: zones.map((z) => ({ zoneId: z.zone_id, parentZoneId: z.parent_zone_id, name: z.name, kind: z.kind, counts: counts(z), version: Number(z.version) })),
      };
    });
  }
}
