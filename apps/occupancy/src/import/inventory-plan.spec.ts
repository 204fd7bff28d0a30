import { ZONE_MAX_DEPTH } from '@parking/contracts';
import { checkRows } from './inventory-fields';
import { ExistingInventory, InventoryPlanner } from './inventory-plan';
import { jsonRows, RowPosition, whereIs } from './inventory-rows';

const NOTHING: ExistingInventory = { sites: [], zones: [], spaces: [], sensors: new Map(), assignedSpaceOf: new Map() };

function plan(lists: Record<string, unknown[]>, existing: ExistingInventory = NOTHING) {
  const problems: string[] = [];
  const report = (position: RowPosition, field: string, message: string) => problems.push(`${whereIs(position)}.${field}: ${message}`);
  const checked = checkRows(jsonRows(lists), report);
  let n = 0;
  const result = new InventoryPlanner(existing, report, () => `id-${++n}`).build(checked);
  // The use case puts problems in file order; here the text order serves.
  return { result, problems: problems.sort() };
}

describe('inventory plan', () => {
  it('nests zones given in any order, parents first, and gives each space the path of its zone', () => {
    const { result, problems } = plan({
      sites: [{ name: 'Depot', category: 'on_street' }],
      zones: [
        { site: 'Depot', name: 'North', parent: 'Level 1' },
        { site: 'Depot', name: 'Level 1', kind: 'level' },
      ],
      spaces: [{ site: 'Depot', code: 'A-1', zone: 'North' }],
    });
    expect(problems).toEqual([]);
    expect(result.zones.map((z) => [z.name, z.parentZoneId, z.path])).toEqual([
      ['Level 1', null, ['id-3']],
      ['North', 'id-3', ['id-3', 'id-2']],
    ]);
    expect(result.spaces).toEqual([expect.objectContaining({ siteId: 'id-1', zoneId: 'id-2', zonePath: ['id-3', 'id-2'], category: 'on_street' })]);
  });

  it('nests under existing zones by name or id, and refuses nesting deeper than the limit', () => {
    const deep = Array.from({ length: ZONE_MAX_DEPTH }, (_, i) => `z${i}`);
    const existing: ExistingInventory = {
      ...NOTHING,
      sites: [{ id: '0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d10', name: 'Depot', category: 'off_street' }],
      zones: [
        { id: 'a1b2c3d4-0000-4000-8000-000000000001', siteId: '0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d10', name: 'Level 1', path: ['a1b2c3d4-0000-4000-8000-000000000001'] },
        { id: 'a1b2c3d4-0000-4000-8000-000000000002', siteId: '0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d10', name: 'Bottom', path: deep },
      ],
    };
    const { result, problems } = plan(
      {
        zones: [
          { site: 'Depot', name: 'East', parent: 'Level 1' },
          { site: '0B8F3A52-8A44-4D8F-9A51-3F7F2C1E5D10', name: 'West', parent: 'a1b2c3d4-0000-4000-8000-000000000001' },
          { site: 'Depot', name: 'Too deep', parent: 'Bottom' },
          { site: 'Depot', name: 'Level 1' },
        ],
      },
      existing,
    );
    expect(result.zones.map((z) => [z.name, z.path])).toEqual([
      ['East', ['a1b2c3d4-0000-4000-8000-000000000001', 'id-1']],
      ['West', ['a1b2c3d4-0000-4000-8000-000000000001', 'id-2']],
    ]);
    expect(problems).toEqual([
      `zones[2].parent: nests deeper than ${ZONE_MAX_DEPTH} zones; choose a parent higher up`,
      'zones[3].name: the site has a zone named "Level 1" already (a1b2c3d4-0000-4000-8000-000000000001); leave this row out and refer to the zone by its name or id',
    ]);
  });

  it('reports a cycle of zones once, and nothing more for the rows that depend on it', () => {
    const { result, problems } = plan({
      sites: [{ name: 'Depot', category: 'off_street' }],
      zones: [
        { site: 'Depot', name: 'Leaf', parent: 'A' },
        { site: 'Depot', name: 'A', parent: 'B' },
        { site: 'Depot', name: 'B', parent: 'A' },
      ],
      spaces: [{ site: 'Depot', code: 'A-1', zone: 'Leaf' }],
    });
    expect(problems).toEqual(['zones[1].parent: forms a cycle: "A" → "B" → "A"']);
    expect(result.zones).toEqual([]);
    expect(result.spaces).toEqual([]);
  });

  it('names an ambiguous site and asks for its id', () => {
    const twins: ExistingInventory = {
      ...NOTHING,
      sites: [
        { id: '0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d10', name: 'Depot', category: 'off_street' },
        { id: '0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d11', name: 'Depot', category: 'off_street' },
      ],
    };
    const { problems } = plan({ spaces: [{ site: 'Depot', code: 'A-1' }, { site: '0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d11', code: 'A-1' }] }, twins);
    expect(problems).toEqual(['spaces[0].site: 2 sites are named "Depot"; refer to it by its id']);
  });

  it('leaves out an assignment the space already has, and refuses a second sensor for a space of the import', () => {
    const existing: ExistingInventory = {
      ...NOTHING,
      sites: [{ id: '0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d10', name: 'Depot', category: 'off_street' }],
      spaces: [{ id: 'c0ffee00-0000-4000-8000-000000000001', siteId: '0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d10', code: 'OLD', devEui: '00000000000000aa' }],
      sensors: new Map(['00000000000000aa', '00000000000000bb', '00000000000000cc'].map((eui) => [eui, { kind: 'sensor' }])),
      assignedSpaceOf: new Map([['00000000000000aa', { spaceId: 'c0ffee00-0000-4000-8000-000000000001', code: 'OLD' }]]),
    };
    const { result, problems } = plan(
      {
        spaces: [{ site: 'Depot', code: 'NEW', devEui: '00000000000000bb' }],
        assignments: [
          { site: 'Depot', code: 'OLD', devEui: '00-00-00-00-00-00-00-AA' },
          { site: 'Depot', code: 'NEW', devEui: '00000000000000cc' },
        ],
      },
      existing,
    );
    expect(problems).toEqual(['assignments[1].code: the space gets a second sensor in this import (the first at spaces[0])']);
    expect(result.assignments).toEqual([{ spaceId: 'id-1', devEui: '00000000000000bb' }]);
  });
});
