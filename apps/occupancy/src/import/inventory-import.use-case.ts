import { InjectConfig } from '@parking/config';
import { Optional, Inject, Injectable } from '@nestjs/common';
import { type PlanId, ImportInventoryResponse, InventoryImportRowProblem, OccupancyImportList, Principal } from '@parking/contracts';
import { OccupancyDatabase } from '@parking/occupancy/data-access';
import { DomainError } from '@parking/problem-details';
import { defaultTenantPlanOf, type DataServiceConfig, requirePermission, TENANT_DATABASE } from '@parking/service-runtime';
import { InventoryEvents } from '../inventory/inventory-events';
import { assertWithinLimit } from '../rpc/plan-limits';
import { isUniqueViolation } from '../spaces/spaces.use-cases';
import { AvailabilityCounter } from '../state/availability-counts';
import { checkRows } from './inventory-fields';
import { InventoryPlanner, order } from './inventory-plan';
import { csvRows, InventoryRow, InventoryShapeError, jsonRows, RowPosition, whereIs } from './inventory-rows';
import { loadExisting, writePlan } from './inventory-store';

/** A 422 lists at most this many problems (and says how many there are). */
const PROBLEMS_LISTED = 1_000;

export type InventorySource = { format: 'csv'; text: string } | ({ format: 'json' } & Partial<Record<OccupancyImportList, unknown>>);

function rejected(problems: InventoryImportRowProblem[], detail: string): DomainError {
  const listed = problems.slice(0, PROBLEMS_LISTED);
  return new DomainError(
    'IMPORT_REJECTED',
    detail,
    { rows: listed, ...(problems.length > listed.length ? { moreProblems: problems.length - listed.length } : {}) },
    { errors: listed.map((p) => ({ field: `${whereIs(p as RowPosition)}.${p.field}`, message: p.message })) },
  );
}

/** CSV problems by line; JSON problems by list (sites, zones, spaces, assignments), then index. */
function inFileOrder(a: InventoryImportRowProblem, b: InventoryImportRowProblem): number {
  return order(a as RowPosition) - order(b as RowPosition);
}

/**
 * Imports sites, zones, spaces and sensor assignments all or nothing: every row is checked
 * (fields as the single requests check them, then references, duplicates, names and codes
 * taken, sensors unregistered or taken), and one bad row rejects the whole import with each
 * problem by line or list index. Otherwise everything is created in one transaction, within
 * the plan's site and space limits, with bulk statements; each new site, zone and space is
 * announced (one outbox statement per kind), the new spaces start `unknown` and the counts of
 * their zones and sites change with them, announced once per zone and site.
 */
@Injectable()
export class InventoryImportUseCase {
  /** DEFAULT_TENANT_PLAN: the limits of a tenant whose own this service has not heard yet. */
  private readonly defaultPlan: PlanId;

  constructor(
    @Inject(TENANT_DATABASE) private readonly db: OccupancyDatabase,
    private readonly counter: AvailabilityCounter,
    private readonly events: InventoryEvents,
    @Optional() @InjectConfig() config?: DataServiceConfig,
  ) {
    this.defaultPlan = defaultTenantPlanOf(config);
  }

  async execute(principal: Principal, source: InventorySource): Promise<ImportInventoryResponse> {
    requirePermission(principal, 'sites:write');
    requirePermission(principal, 'spaces:write');
    let rows: InventoryRow[];
    try {
      rows = source.format === 'csv' ? csvRows(source.text) : jsonRows(source);
    } catch (error) {
      if (error instanceof InventoryShapeError) throw rejected(error.problems, 'The file cannot be read as an inventory import, so nothing was imported: fix the problems listed in "rows".');
      throw error;
    }
    const problems: InventoryImportRowProblem[] = [];
    const report = (position: RowPosition, field: string, message: string) => problems.push({ ...position, field, message });
    const checked = checkRows(rows, report);
    const tenantId = principal.tenantId;
    return this.db
      .withTenant(tenantId, async (tx) => {
        // One import per tenant at a time: names an import checks cannot be taken by another meanwhile.
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`occupancy.import:${tenantId}`}, 0))`;
        const plan = new InventoryPlanner(await loadExisting(tx, checked), report).build(checked);
        if (problems.length > 0) {
          problems.sort(inFileOrder);
          const badRows = new Set(problems.map((p) => whereIs(p as RowPosition))).size;
          throw rejected(problems, `${badRows} of ${rows.length} rows cannot be imported, so none was: fix the rows listed in "rows" and send the whole import again.`);
        }
        if (plan.sites.length > 0) await assertWithinLimit(tx, tenantId, 'sites', plan.sites.length, this.defaultPlan);
        if (plan.spaces.length > 0) await assertWithinLimit(tx, tenantId, 'spaces', plan.spaces.length, this.defaultPlan);
        const written = await writePlan(tx, tenantId, plan);
        const at = new Date();
        await this.events.sitesUpserted(tx, written.sites, at);
        await this.events.zonesUpserted(tx, written.zones, at);
        await this.events.spacesUpserted(tx, written.spaces, at);
        const changes = plan.spaces.map((space) => ({ siteId: space.siteId, from: null, to: 'unknown' as const, leftZones: [], enteredZones: space.zonePath }));
        await this.counter.apply(tx, tenantId, changes, at);
        return {
          created: { sites: plan.sites.length, zones: plan.zones.length, spaces: plan.spaces.length, assignments: plan.assignments.length },
          sites: plan.sites.map((s) => ({ id: s.id, name: s.row.name })),
          zones: plan.zones.map((z) => ({ id: z.id, siteId: z.siteId, name: z.name })),
        };
      })
      .catch((error: unknown) => {
        if (!isUniqueViolation(error)) throw error;
        throw new DomainError(
          'CONFLICT',
          'Another change created one of the same space codes or sensor assignments while this import ran, so nothing was imported; send the import again to see which rows.',
        );
      });
  }
}
