import { checkPayload } from '../payload-check';
import { ListSpaceTransitionsRequest } from './history-rpc';
import { ImportInventoryRequest, ImportSpaceRow } from './import-rpc';
import { isIanaTimeZone } from './occupancy-fields';
import { CreateSiteRequest } from './site-payloads';
import { CreateSpaceRequest, UpdateSpaceRequest } from './space-payloads';
import { SiteTurnoverStatsRequest } from './stats-rpc';

const SITE = '0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d10';
const DAY_MS = 24 * 3600 * 1000;

/** The instance and `field: message` problems, as both sides of a hop check them. */
function check<T extends object>(payloadClass: new () => T, plain: object): { value: T; problems: string[] } {
  const { value, errors } = checkPayload(payloadClass, plain);
  return { value, problems: errors.map((e) => `${e.field}: ${e.message}`) };
}

describe('occupancy payloads', () => {
  it('stores what occupancy always stored: trimmed codes and names, lower-case ids, each tag once', () => {
    const { value, problems } = check(CreateSpaceRequest, { siteId: SITE.toUpperCase(), code: ' L2-017 ', name: ' Bay 17 ', tags: ['covered', 'ev', 'covered'] });
    expect(problems).toEqual([]);
    expect(value).toMatchObject({ siteId: SITE, code: 'L2-017', name: 'Bay 17', tags: ['covered', 'ev'] });
    expect(check(CreateSpaceRequest, { siteId: SITE, code: 'A', name: '   ' }).problems).toEqual(['name: name must be longer than or equal to 1 characters']);
  });

  it('names each coordinate of a bad location, and refuses a field the class lacks', () => {
    expect(check(UpdateSpaceRequest, { spaceId: SITE, location: { latitude: 91, longitude: 0 }, siteId: SITE }).problems).toEqual([
      'siteId: property siteId should not exist',
      'location.latitude: latitude must not be greater than 90',
    ]);
  });

  it('wants the transitions range in order and with a time zone, of any length', () => {
    const request = (range: object) => check(ListSpaceTransitionsRequest, { spaceId: SITE, ...range }).problems;
    expect(request({ from: '2026-11-02T00:00:00Z', to: '2026-11-01T00:00:00Z' })).toEqual(['to: to must be later than from']);
    expect(request({ from: '2026-11-01T00:00:00' })).toEqual(['from: from must be an RFC 3339 date-time with a time zone, e.g. 2026-12-01T00:00:00Z']);
    expect(request({ from: '2020-01-01T00:00:00Z', to: '2026-01-01T00:00:00+01:00' })).toEqual([]);
  });

  it('holds statistics to 92 days, with now standing in for a missing to', () => {
    const request = (range: object) => check(SiteTurnoverStatsRequest, { siteId: SITE, ...range }).problems;
    expect(request({ from: '2026-01-01T00:00:00Z', to: '2026-06-01T00:00:00Z' })).toEqual([
      'to: to must be at most 92 days after from; ask for a longer period in several requests',
    ]);
    expect(request({ from: new Date(Date.now() + DAY_MS).toISOString() })).toEqual(['to: to must be later than from (to defaults to now)']);
    expect(request({ from: new Date(Date.now() - 93 * DAY_MS).toISOString() })).toEqual([
      'to: to must be at most 92 days after from; ask for a longer period in several requests',
    ]);
    expect(request({ from: new Date(Date.now() - 7 * DAY_MS).toISOString() })).toEqual([]);
  });

  it('takes the lists of a JSON import and the text of a CSV one, each only with its format', () => {
    expect(check(ImportInventoryRequest, { format: 'csv', text: 'kind\n', spaces: [] }).problems).toEqual(['spaces: spaces is not part of a csv import']);
    expect(check(ImportInventoryRequest, { format: 'json', text: 'kind\n', zones: {} }).problems).toEqual([
      'text: text is not part of a json import',
      'zones: zones must be a list of zones',
    ]);
    expect(check(ImportInventoryRequest, { format: 'csv' }).problems).toEqual(['text: text must be the CSV file as a string']);
    expect(check(ImportInventoryRequest, { format: 'json', sites: [], assignments: [] }).problems).toEqual([]);
  });

  it('reads an import row as the single requests read their fields', () => {
    const { value, problems } = check(ImportSpaceRow, { site: ' Depot ', code: 'A-1', zone: 'North', devEui: '70-B3-D5-47-50-10-0A-1B', tags: ['a', 'a'] });
    expect(problems).toEqual([]);
    expect(value).toMatchObject({ site: 'Depot', devEui: '70b3d54750100a1b', tags: ['a'] });
  });

  it('knows an IANA time zone from a made-up one, the second time from memory as the first', () => {
    for (let round = 0; round < 2; round++) {
      expect([isIanaTimeZone('Europe/Berlin'), isIanaTimeZone('UTC'), isIanaTimeZone('America/Argentina/Buenos_Aires')]).toEqual([true, true, true]);
      expect([isIanaTimeZone('Mars/Olympus'), isIanaTimeZone(''), isIanaTimeZone(42), isIanaTimeZone('x'.repeat(65))]).toEqual([false, false, false, false]);
    }
    expect(check(CreateSiteRequest, { name: 'Depot', category: 'off_street', timeZone: 'Mars/Olympus' }).problems).toEqual([
      'timeZone: timeZone must be an IANA time zone such as Europe/Berlin',
    ]);
  });
});
