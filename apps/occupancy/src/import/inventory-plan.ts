import { ImportSiteRow, ImportSpaceRow, OCCUPANCY_IMPORT_LISTS, OCCUPANCY_IMPORT_MAX_ROWS, SiteCategory, ZONE_MAX_DEPTH, ZoneKind } from '@parking/contracts';
import { randomUUID } from 'node:crypto';
import { CheckedInventory } from './inventory-fields';
import { RowPosition, whereIs } from './inventory-rows';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What the tenant has already, as far as the import's rows refer to it. */
export interface ExistingInventory {
  sites: ReadonlyArray<{ id: string; name: string; category: SiteCategory }>;
  /** The zones of the existing sites the rows name. */
  zones: ReadonlyArray<{ id: string; siteId: string; name: string; path: string[] }>;
  /** The spaces of those sites whose codes the rows name, with the sensor each has. */
  spaces: ReadonlyArray<{ id: string; siteId: string; code: string; devEui: string | null }>;
  /** The live devices of the devEUIs the rows name. */
  sensors: ReadonlyMap<string, { kind: string }>;
  /** Where those devEUIs lie already. */
  assignedSpaceOf: ReadonlyMap<string, { spaceId: string; code: string }>;
}

export interface PlannedSite {
  id: string;
  row: ImportSiteRow;
}
export interface PlannedZone {
  id: string;
  siteId: string;
  parentZoneId: string | null;
  name: string;
  kind: ZoneKind;
  /** Ancestors from the top, then the zone itself. */
  path: string[];
}
export interface PlannedSpace {
  id: string;
  siteId: string;
  zoneId: string | null;
  /** The zones whose counts include the space. */
  zonePath: string[];
  category: SiteCategory;
  row: ImportSpaceRow;
}

/** What the import creates; zones parents first. */
export interface InventoryPlan {
  sites: PlannedSite[];
  zones: PlannedZone[];
  spaces: PlannedSpace[];
  assignments: Array<{ spaceId: string; devEui: string }>;
}

export type Report = (position: RowPosition, field: string, message: string) => void;

interface SiteRef {
  id: string;
  category: SiteCategory;
}

interface ZoneNode extends PlannedZone {
  position: RowPosition;
  parentRef: string | null;
  /** Resolved parent within the import; `path` is filled from it. */
  parent?: ZoneNode;
  resolved: boolean;
  failed: boolean;
}

interface AssignmentCandidate {
  position: RowPosition;
  /** The row field that names the space (`code`). */
  spaceId: string;
  devEui: string;
  currentDevEui: string | null;
}

/** The one entry of `items`, or a message saying why there is not exactly one. */
function single<T>(items: readonly T[] | undefined, what: string, name: string, within: string): T | string {
  if (!items || items.length === 0) return `names no ${what} of this import or of ${within}`;
  if (items.length > 1) return `${items.length} ${what}s are named "${name}"; refer to it by its id`;
  return items[0];
}

/** A row's place in its file: its line, or its list's place then its index. */
export function order(position: RowPosition): number {
  return 'line' in position ? position.line : OCCUPANCY_IMPORT_LISTS.indexOf(position.list) * OCCUPANCY_IMPORT_MAX_ROWS + position.index;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

/**
 * Resolves the rows' references (sites by name or id, zones by name within their site, spaces
 * by code within theirs) against each other and what exists, and reports every row that cannot
 * be created: duplicates within the import, names and codes taken already (the import creates,
 * never updates), unknown references, zone cycles, unregistered or taken sensors.
 */
export class InventoryPlanner {
  private readonly plan: InventoryPlan = { sites: [], zones: [], spaces: [], assignments: [] };
  private readonly newSites = new Map<string, PlannedSite & { position: RowPosition }>();
  private readonly existingSitesById: Map<string, SiteRef>;
  private readonly existingSitesByName: Map<string, Array<SiteRef & { name: string }>>;
  /** Zones of the import by site, then name. */
  private readonly newZones = new Map<string, Map<string, ZoneNode>>();
  private readonly existingZones: Map<string, Array<ExistingInventory['zones'][number]>>;
  private readonly newSpaces = new Map<string, PlannedSpace & { position: RowPosition }>();
  private readonly existingSpaces: Map<string, ExistingInventory['spaces'][number]>;
  private rejected: CheckedInventory['rejected'] = { sites: new Set(), zones: new Set(), spaces: new Set() };

  constructor(
    private readonly existing: ExistingInventory,
    private readonly report: Report,
    private readonly newId: () => string = randomUUID,
  ) {
    this.existingSitesById = new Map(existing.sites.map((s) => [s.id, s]));
    this.existingSitesByName = groupBy(existing.sites, (s) => s.name);
    this.existingZones = groupBy(existing.zones, (z) => z.siteId);
    this.existingSpaces = new Map(existing.spaces.map((s) => [`${s.siteId}/${s.code}`, s]));
  }

  build(checked: CheckedInventory): InventoryPlan {
    this.rejected = checked.rejected;
    this.addSites(checked);
    this.addZones(checked);
    const candidates = this.addSpaces(checked);
    this.addAssignments(checked, candidates);
    return this.plan;
  }

  private addSites(checked: CheckedInventory): void {
    for (const { position, row } of checked.sites) {
      const earlier = this.newSites.get(row.name);
      const taken = this.existingSitesByName.get(row.name);
      if (earlier) this.report(position, 'name', `appears twice in this import (first at ${whereIs(earlier.position)})`);
      else if (taken) this.report(position, 'name', `a site named "${row.name}" exists already (${taken[0].id}); leave this row out and refer to the site by its name or id`);
      else {
        const site = { id: this.newId(), row, position };
        this.newSites.set(row.name, site);
        this.plan.sites.push({ id: site.id, row });
      }
    }
  }

  private site(position: RowPosition, ref: string): SiteRef | undefined {
    const fresh = this.newSites.get(ref);
    if (fresh) return { id: fresh.id, category: fresh.row.category };
    const byId = UUID.test(ref) ? this.existingSitesById.get(ref.toLowerCase()) : undefined;
    if (byId) return byId;
    const found = single(this.existingSitesByName.get(ref), 'site', ref, 'the tenant');
    if (typeof found !== 'string') return found;
    if (!this.rejected.sites.has(ref)) this.report(position, 'site', found);
    return undefined;
  }

  /** A zone of the site by name (import first) or id; undefined when not found (reported) or when its own row failed (reported there). */
  private zone(position: RowPosition, field: string, siteId: string, ref: string): { id: string; path: string[] } | undefined {
    const fresh = this.newZones.get(siteId)?.get(ref);
    if (fresh) return fresh.failed ? undefined : fresh;
    const zones = this.existingZones.get(siteId) ?? [];
    const byId = UUID.test(ref) ? zones.find((z) => z.id === ref.toLowerCase()) : undefined;
    if (byId) return byId;
    const found = single(
      zones.filter((z) => z.name === ref),
      'zone',
      ref,
      'the site',
    );
    if (typeof found !== 'string') return found;
    if (!this.rejected.zones.has(ref)) this.report(position, field, found);
    return undefined;
  }

  private addZones(checked: CheckedInventory): void {
    const nodes: ZoneNode[] = [];
    for (const { position, row } of checked.zones) {
      const site = this.site(position, row.site);
      if (!site) continue;
      const inSite = this.newZones.get(site.id) ?? new Map<string, ZoneNode>();
      this.newZones.set(site.id, inSite);
      const earlier = inSite.get(row.name);
      const taken = (this.existingZones.get(site.id) ?? []).find((z) => z.name === row.name);
      if (earlier) this.report(position, 'name', `appears twice in this site's zones in this import (first at ${whereIs(earlier.position)})`);
      else if (taken) this.report(position, 'name', `the site has a zone named "${row.name}" already (${taken.id}); leave this row out and refer to the zone by its name or id`);
      else {
        const node: ZoneNode = { id: this.newId(), siteId: site.id, parentZoneId: null, name: row.name, kind: row.kind ?? 'zone', path: [], position, parentRef: row.parent ?? null, resolved: false, failed: false };
        inSite.set(row.name, node);
        nodes.push(node);
      }
    }
    // Parents may come after their children in the file: resolve once every zone row is known.
    for (const node of nodes) {
      if (node.parentRef === null) continue;
      const fresh = this.newZones.get(node.siteId)?.get(node.parentRef);
      if (fresh) node.parent = fresh;
      else {
        const parent = this.zone(node.position, 'parent', node.siteId, node.parentRef);
        if (parent) {
          node.parentZoneId = parent.id;
          node.path = parent.path;
        } else node.failed = true;
      }
    }
    for (const node of nodes) this.pathOf(node, []);
    const valid = nodes.filter((node) => !node.failed);
    valid.sort((a, b) => a.path.length - b.path.length);
    this.plan.zones.push(...valid.map(({ id, siteId, parentZoneId, name, kind, path }) => ({ id, siteId, parentZoneId, name, kind, path })));
  }

  /** Fills `path` from the parent chain within the import; marks cycles and nesting too deep. */
  private pathOf(node: ZoneNode, chain: ZoneNode[]): void {
    if (node.resolved || node.failed) return;
    if (chain.includes(node)) {
      this.report(node.position, 'parent', `forms a cycle: ${[...chain.slice(chain.indexOf(node)), node].map((z) => `"${z.name}"`).join(' → ')}`);
      chain.slice(chain.indexOf(node)).forEach((z) => (z.failed = true));
      return;
    }
    let base = node.path;
    if (node.parent) {
      this.pathOf(node.parent, [...chain, node]);
      if (node.parent.failed) {
        node.failed = true;
        return;
      }
      node.parentZoneId = node.parent.id;
      base = node.parent.path;
    }
    if (base.length >= ZONE_MAX_DEPTH) {
      this.report(node.position, 'parent', `nests deeper than ${ZONE_MAX_DEPTH} zones; choose a parent higher up`);
      node.failed = true;
      return;
    }
    node.path = [...base, node.id];
    node.resolved = true;
  }

  private addSpaces(checked: CheckedInventory): AssignmentCandidate[] {
    const candidates: AssignmentCandidate[] = [];
    for (const { position, row } of checked.spaces) {
      const site = this.site(position, row.site);
      if (!site) continue;
      const key = `${site.id}/${row.code}`;
      const earlier = this.newSpaces.get(key);
      if (earlier) {
        this.report(position, 'code', `appears twice in this site in this import (first at ${whereIs(earlier.position)})`);
        continue;
      }
      if (this.existingSpaces.has(key)) {
        this.report(position, 'code', `the site has a space with the code "${row.code}" already; leave this row out or choose another code`);
        continue;
      }
      const zone = row.zone ? this.zone(position, 'zone', site.id, row.zone) : null;
      if (zone === undefined) continue;
      const { devEui, site: _site, zone: _zone, ...fields } = row;
      const space = { id: this.newId(), siteId: site.id, zoneId: zone?.id ?? null, zonePath: zone?.path ?? [], category: row.category ?? site.category, row: fields as ImportSpaceRow, position };
      this.newSpaces.set(key, space);
      this.plan.spaces.push(space);
      if (devEui) candidates.push({ position, spaceId: space.id, devEui, currentDevEui: null });
    }
    return candidates;
  }

  private addAssignments(checked: CheckedInventory, candidates: AssignmentCandidate[]): void {
    for (const { position, row } of checked.assignments) {
      const site = this.site(position, row.site);
      if (!site) continue;
      const key = `${site.id}/${row.code}`;
      const space = this.newSpaces.get(key) ?? this.existingSpaces.get(key);
      if (!space) {
        if (!this.rejected.spaces.has(row.code)) this.report(position, 'code', 'names no space of this site in this import or the tenant');
        continue;
      }
      candidates.push({ position, spaceId: space.id, devEui: row.devEui, currentDevEui: 'devEui' in space ? space.devEui : null });
    }
    const firstOfDevice = new Map<string, RowPosition>();
    const firstOfSpace = new Map<string, RowPosition>();
    // In file order, so "first at" points to an earlier row.
    candidates.sort((a, b) => order(a.position) - order(b.position));
    for (const candidate of candidates) this.assign(candidate, firstOfDevice, firstOfSpace);
  }

  private assign({ position, spaceId, devEui, currentDevEui }: AssignmentCandidate, firstOfDevice: Map<string, RowPosition>, firstOfSpace: Map<string, RowPosition>): void {
    const sensor = this.existing.sensors.get(devEui);
    const elsewhere = this.existing.assignedSpaceOf.get(devEui);
    const problems: Array<[string, string]> = [];
    if (!sensor) problems.push(['devEui', `no device with devEUI ${devEui} is registered in this tenant; register it in the device registry first`]);
    else if (sensor.kind !== 'sensor') problems.push(['devEui', `the device ${devEui} is a ${sensor.kind}, not a sensor; only sensors lie under spaces`]);
    const deviceFirst = firstOfDevice.get(devEui);
    if (deviceFirst) problems.push(['devEui', `appears twice in this import (first at ${whereIs(deviceFirst)})`]);
    const spaceFirst = firstOfSpace.get(spaceId);
    if (spaceFirst) problems.push(['code', `the space gets a second sensor in this import (the first at ${whereIs(spaceFirst)})`]);
    if (elsewhere && elsewhere.spaceId !== spaceId) problems.push(['devEui', `the sensor ${devEui} already lies under the space "${elsewhere.code}" (${elsewhere.spaceId}); unassign it there first`]);
    if (currentDevEui && currentDevEui !== devEui) problems.push(['code', `the space has the sensor ${currentDevEui} already; unassign it first`]);
    problems.forEach(([field, message]) => this.report(position, field, message));
    if (problems.length > 0) return;
    // Only a valid row claims the sensor and the space: a later row naming them again is the duplicate.
    firstOfDevice.set(devEui, position);
    firstOfSpace.set(spaceId, position);
    // Already under this very space: nothing to do, as with a single assignment.
    if (elsewhere?.spaceId !== spaceId) this.plan.assignments.push({ spaceId, devEui });
  }
}
