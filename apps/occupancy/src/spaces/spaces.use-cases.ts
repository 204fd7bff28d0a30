import { InjectConfig } from '@parking/config';
import { Optional, Inject, Injectable } from '@nestjs/common';
import { type PlanId, Page, Principal, SiteCategory, SpaceFilters, SpaceInput, SpaceType, SpaceView } from '@parking/contracts';
import { OccupancyDatabase, OccupancyTransaction, Prisma } from '@parking/occupancy/data-access';
import { DomainError, NotFoundError } from '@parking/problem-details';
import { defaultTenantPlanOf, type DataServiceConfig, afterCursor, toPage, whereAll, TENANT_DATABASE } from '@parking/service-runtime';
import { InventoryEvents } from '../inventory/inventory-events';
import { assertWithinLimit } from '../rpc/plan-limits';
import { findSite } from '../sites/sites.use-cases';
import { AvailabilityCounter } from '../state/availability-counts';
import { LockedSpace, SpaceStateStore } from '../state/space-state-store';
import { findZone } from '../zones/zones.use-cases';
import { SensorAssignments } from './sensor-assignments';
import { readSpace, SPACE_ROW_SELECT, SpaceRow, spaceView } from './space-view';

export interface SpaceChanges extends Partial<SpaceInput> {
  version?: number;
}

export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; meta?: { code?: string; driverAdapterError?: { cause?: { originalCode?: string } } } };
  return e?.code === 'P2002' || e?.meta?.code === '23505' || e?.meta?.driverAdapterError?.cause?.originalCode === '23505';
}

function codeTaken(code: string): DomainError {
  return new DomainError('CONFLICT', `The site already has a space with the code "${code}"; choose another code.`, undefined, {
    errors: [{ field: 'code', message: 'already used in this site' }],
  });
}

@Injectable()
export class SpacesUseCases {
  /** DEFAULT_TENANT_PLAN: the limits of a tenant whose own this service has not heard yet. */
  private readonly defaultPlan: PlanId;

  constructor(
    @Inject(TENANT_DATABASE) private readonly db: OccupancyDatabase,
    private readonly states: SpaceStateStore,
    private readonly counter: AvailabilityCounter,
    private readonly sensors: SensorAssignments,
    private readonly events: InventoryEvents,
    @Optional() @InjectConfig() config?: DataServiceConfig,
  ) {
    this.defaultPlan = defaultTenantPlanOf(config);
  }

  create(principal: Principal, siteId: string, input: SpaceInput): Promise<SpaceView> {
    return this.db
      .withTenant(principal.tenantId, async (tx) => {
        const site = await findSite(tx, siteId);
        const zonePath = await this.zonePathIn(tx, siteId, input.zoneId ?? null);
        await assertWithinLimit(tx, principal.tenantId, 'spaces', 1, this.defaultPlan);
        const space = await tx.space.create({
          data: {
            tenantId: principal.tenantId,
            siteId,
            zoneId: input.zoneId ?? null,
            code: input.code,
            name: input.name ?? null,
            latitude: input.location?.latitude ?? null,
            longitude: input.location?.longitude ?? null,
            category: input.category ?? (site.category as SiteCategory),
            type: input.type ?? 'standard',
            tags: input.tags ?? [],
            priceZone: input.priceZone ?? null,
          },
        });
        await tx.spaceStateRow.create({ data: { spaceId: space.id, tenantId: principal.tenantId } });
        await this.events.spacesUpserted(tx, [space]);
        await this.counter.apply(tx, principal.tenantId, [{ siteId, from: null, to: 'unknown', leftZones: [], enteredZones: zonePath }], new Date());
        return this.view(tx, space.id);
      })
      .catch((error: unknown) => {
        throw isUniqueViolation(error) ? codeTaken(input.code) : error;
      });
  }

  list(principal: Principal, query: SpaceFilters & { cursor?: string; limit: number }): Promise<Page<SpaceView>> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      const where = afterCursor('sp', query.cursor);
      if (query.siteId) where.push(Prisma.sql`sp.site_id = ${query.siteId}::uuid`);
      if (query.zoneId) {
        // A zone lists its nested zones' spaces too, as its counts do.
        where.push(Prisma.sql`sp.zone_id IN (SELECT z.id FROM occupancy.zones z WHERE ${query.zoneId}::uuid = ANY (z.path))`);
      }
      if (query.state) where.push(Prisma.sql`st.state = ${query.state}`);
      if (query.type) where.push(Prisma.sql`sp.type = ${query.type}`);
      if (query.tag) where.push(Prisma.sql`sp.tags ? ${query.tag}`);
      const rows = await tx.$queryRaw<SpaceRow[]>`
        ${SPACE_ROW_SELECT} ${whereAll(where)} ORDER BY sp.created_at, sp.id LIMIT ${query.limit + 1}`;
      return toPage(rows, query.limit, spaceView);
    });
  }

  get(principal: Principal, spaceId: string): Promise<SpaceView> {
    return this.db.withTenant(principal.tenantId, (tx) => this.view(tx, spaceId));
  }

  update(principal: Principal, spaceId: string, changes: SpaceChanges): Promise<SpaceView> {
    return this.db
      .withTenant(principal.tenantId, async (tx) => {
        const locked = await this.lock(tx, spaceId);
        const space = await tx.space.findUniqueOrThrow({ where: { id: spaceId } });
        if (changes.version !== undefined && changes.version !== space.version) {
          throw new DomainError('CONFLICT', `The space is at version ${space.version}, not ${changes.version}; read it again and retry.`, { version: space.version });
        }
        const data: Prisma.SpaceUncheckedUpdateInput = { version: { increment: 1 }, updatedAt: new Date() };
        if (changes.code !== undefined) data.code = changes.code;
        if (changes.name !== undefined) data.name = changes.name;
        if (changes.location !== undefined) {
          data.latitude = changes.location?.latitude ?? null;
          data.longitude = changes.location?.longitude ?? null;
        }
        if (changes.category !== undefined) data.category = changes.category;
        if (changes.type !== undefined) data.type = changes.type as SpaceType;
        if (changes.tags !== undefined) data.tags = changes.tags;
        if (changes.priceZone !== undefined) data.priceZone = changes.priceZone;
        if (changes.zoneId !== undefined && changes.zoneId !== space.zoneId) {
          const newPath = await this.zonePathIn(tx, space.siteId, changes.zoneId);
          data.zoneId = changes.zoneId;
          // The space's count moves with it: out of the zones it leaves, into those it enters.
          const state = locked.machine.state;
          await this.counter.apply(tx, principal.tenantId, [{ siteId: space.siteId, from: state, to: state, leftZones: locked.zonePath, enteredZones: newPath }], new Date());
        }
        const updated = await tx.space.update({ where: { id: spaceId }, data });
        await this.events.spacesUpserted(tx, [updated]);
        return this.view(tx, spaceId);
      })
      .catch((error: unknown) => {
        throw isUniqueViolation(error) && changes.code ? codeTaken(changes.code) : error;
      });
  }

  remove(principal: Principal, spaceId: string): Promise<SpaceView> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      const locked = await this.lock(tx, spaceId);
      const view = await this.view(tx, spaceId);
      await this.counter.apply(
        tx,
        principal.tenantId,
        [{ siteId: locked.siteId, from: locked.machine.state, to: null, leftZones: locked.zonePath, enteredZones: [] }],
        new Date(),
      );
      const removed = await tx.space.delete({ where: { id: spaceId } });
      await this.events.spaceRemoved(tx, removed);
      return view;
    });
  }

  assignSensor(principal: Principal, spaceId: string, devEui: string): Promise<SpaceView> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      await this.sensors.assign(tx, await this.lock(tx, spaceId), devEui);
      return this.view(tx, spaceId);
    });
  }

  unassignSensor(principal: Principal, spaceId: string): Promise<SpaceView> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      await this.sensors.unassign(tx, await this.lock(tx, spaceId));
      return this.view(tx, spaceId);
    });
  }

  setMaintenance(principal: Principal, spaceId: string, reason: string | null): Promise<SpaceView> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      await this.states.apply(tx, await this.lock(tx, spaceId), { kind: 'maintenance-set', reason });
      return this.view(tx, spaceId);
    });
  }

  clearMaintenance(principal: Principal, spaceId: string): Promise<SpaceView> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      await this.states.apply(tx, await this.lock(tx, spaceId), { kind: 'maintenance-cleared' });
      return this.view(tx, spaceId);
    });
  }

  private async lock(tx: OccupancyTransaction, spaceId: string): Promise<LockedSpace> {
    const locked = await this.states.lock(tx, spaceId);
    if (!locked) throw new NotFoundError('Space', spaceId);
    return locked;
  }

  private async view(tx: OccupancyTransaction, spaceId: string): Promise<SpaceView> {
    const view = await readSpace(tx, spaceId);
    if (!view) throw new NotFoundError('Space', spaceId);
    return view;
  }

  /** The path of counted zones of a space in `zoneId` (which must belong to the site). */
  private async zonePathIn(tx: OccupancyTransaction, siteId: string, zoneId: string | null): Promise<string[]> {
    if (zoneId === null) return [];
    const zone = await findZone(tx, zoneId).catch(() => null);
    if (!zone || zone.siteId !== siteId) {
      throw new DomainError('VALIDATION_FAILED', `The zone ${zoneId} is not a zone of the space's site.`, undefined, {
        errors: [{ field: 'zoneId', message: 'must be a zone of the same site' }],
      });
    }
    return zone.path;
  }
}
