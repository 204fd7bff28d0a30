import { OCCUPANCY_IMPORT_MAX_ROWS } from '@parking/contracts';
import { DomainError } from '@parking/problem-details';
import { csvRows, InventoryShapeError, jsonRows } from './inventory-rows';

describe('inventory import rows', () => {
  it('reads each CSV row into the shape of its JSON list, by the kind column, with header names in any case', () => {
    const rows = csvRows(
      [
        'KIND,Site,name,code,zone,parent,category,type,tags,latitude,longitude,heartbeatTimeoutSeconds,devEui',
        'site,,Depot,,,,off_street,,,52.5,13.4,1800,',
        'Level,Depot,Level 1,,,,,,,,,,',
        'zone,Depot,North,,,Level 1,,,,,,,',
        'space,Depot, Bay 1 ,A-1,North,,,ev,covered; charger ;,52.51,13.41,,70-b3-d5-47-50-10-0a-1b',
        'assignment,Depot,,A-1,,,,,,,,,70b3d54750100a1c',
      ].join('\n'),
    );
    expect(rows.map((r) => [r.list, r.position, r.body, r.problems])).toEqual([
      ['sites', { line: 2 }, { name: 'Depot', category: 'off_street', location: { latitude: 52.5, longitude: 13.4 }, heartbeatTimeoutSeconds: 1800 }, []],
      ['zones', { line: 3 }, { site: 'Depot', name: 'Level 1', kind: 'level' }, []],
      ['zones', { line: 4 }, { site: 'Depot', name: 'North', parent: 'Level 1', kind: 'zone' }, []],
      [
        'spaces',
        { line: 5 },
        { site: 'Depot', name: 'Bay 1', code: 'A-1', zone: 'North', type: 'ev', tags: ['covered', 'charger'], location: { latitude: 52.51, longitude: 13.41 }, devEui: '70-b3-d5-47-50-10-0a-1b' },
        [],
      ],
      ['assignments', { line: 6 }, { site: 'Depot', code: 'A-1', devEui: '70b3d54750100a1c' }, []],
    ]);
  });

  it('flags cells a kind does not use, half a position, unknown kinds and short rows, row by row', () => {
    const rows = csvRows(['kind,site,name,code,latitude,longitude', 'zone,Depot,North,Z-1,,', 'space,Depot,,A-1,52.5,', 'garage,Depot,,,,', 'site,,Lot'].join('\n'));
    expect(rows[0].problems).toEqual([{ field: 'code', message: expect.stringContaining('is not used by zone rows') }]);
    expect(rows[1].body.location).toBe('52.5,');
    expect(rows[2].problems).toEqual([{ field: 'kind', message: 'must be one of site, zone, level, space, assignment' }]);
    expect(rows[3].problems).toEqual([{ field: 'csv', message: 'has 3 fields where the header has 6' }]);
  });

  it('refuses a header without kind or with unknown or repeated columns, listing each', () => {
    const error = (() => {
      try {
        csvRows('site,Name,name,colour\n');
      } catch (e) {
        return e;
      }
    })() as InventoryShapeError;
    expect(error).toBeInstanceOf(InventoryShapeError);
    expect(error.problems.map((p) => `${p.line}:${p.field}`)).toEqual(['1:name', '1:colour', '1:kind']);
  });

  it('numbers JSON rows by list and index, and refuses imports with no rows or too many', () => {
    const rows = jsonRows({ spaces: [{ site: 'Depot', code: 'A-1' }, null], sites: [{ name: 'Depot' }] });
    expect(rows.map((r) => [r.list, r.position, r.problems.length])).toEqual([
      ['sites', { list: 'sites', index: 0 }, 0],
      ['spaces', { list: 'spaces', index: 0 }, 0],
      ['spaces', { list: 'spaces', index: 1 }, 1],
    ]);
    expect(() => jsonRows({})).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    expect(() => jsonRows({ zones: {} })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', errors: [{ field: 'zones', message: 'must be a list of zones' }] }));
    const tooMany = () => jsonRows({ spaces: Array.from({ length: OCCUPANCY_IMPORT_MAX_ROWS + 1 }, () => ({})) });
    expect(tooMany).toThrow(DomainError);
    expect(tooMany).toThrow(expect.objectContaining({ code: 'PAYLOAD_TOO_LARGE' }));
  });
});
