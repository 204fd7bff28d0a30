import { checkPayload } from '../payload-check';
import { AuditReasonField } from './audit';
import { DevEuiField, normaliseDevEui, UuidField } from './identifiers';
import { PageQueryOf } from './paging';
import { TextField } from './text';
import { InstantField, RangeEndField } from './time-range';

describe('normaliseDevEui', () => {
  it.each([
    ['70b3d54750100a1b', '70b3d54750100a1b'],
    ['70B3D54750100A1B', '70b3d54750100a1b'],
    ['70-B3-D5-47-50-10-0A-1B', '70b3d54750100a1b'],
    ['70:b3:d5:47:50:10:0a:1b', '70b3d54750100a1b'],
    [' 70b3d54750100a1b ', '70b3d54750100a1b'],
  ])('reads %j as %s', (input, expected) => {
    expect(normaliseDevEui(input)).toBe(expected);
  });

  it.each(['70b3d54750100a1', '70b3d54750100a1bc', '70b3d54750100a1g', '70--b3d54750100a1b', '0x70b3d54750100a', '', 42, null])('refuses %j', (input) => {
    expect(normaliseDevEui(input)).toBeUndefined();
  });
});

class Probe {
  @UuidField() siteId!: string;
  @UuidField({ presence: 'nullable' }) zoneId?: string | null;
  @DevEuiField({ presence: 'optional' }) devEui?: string;
  @TextField({ max: 10 }) name!: string;
  @AuditReasonField() reason!: string;
}

/** The checked instance; fails the test when the payload has problems. */
function validatePayload<T extends object>(payloadClass: new () => T, plain: unknown): T {
  const { value, errors } = checkPayload(payloadClass, plain);
  expect(errors).toEqual([]);
  return value;
}

/** The problems of a payload that must have some. */
function failures(run: () => { errors: unknown[] }): unknown[] {
  const { errors } = run();
  expect(errors.length).toBeGreaterThan(0);
  return errors;
}

describe('the common field rules', () => {
  it('normalise what they accept: UUIDs lower case, devEUIs to 16 hex digits, text trimmed', () => {
    const probe = validatePayload(Probe, { siteId: '5B1E7C2A-3D4F-4A6B-8C9D-0E1F2A3B4C5D', zoneId: null, devEui: '70-B3-D5-47-50-10-0A-1B', name: '  Bay 1 ', reason: ' why not ' });
    expect(probe).toEqual(
      Object.assign(new Probe(), { siteId: '5b1e7c2a-3d4f-4a6b-8c9d-0e1f2a3b4c5d', zoneId: null, devEui: '70b3d54750100a1b', name: 'Bay 1', reason: 'why not' }),
    );
  });

  it('name each bad field with a message that says what to send', () => {
    expect(failures(() => checkPayload(Probe, { siteId: 'x', zoneId: 7, devEui: 'zz', name: '   ', reason: ' a ', extra: 1 }))).toEqual([
      { field: 'extra', message: 'property extra should not exist' },
      { field: 'siteId', message: 'siteId must be a UUID' },
      { field: 'zoneId', message: 'zoneId must be a UUID' },
      { field: 'devEui', message: 'devEui must be 16 hex digits (upper or lower case, optionally separated by "-" or ":")' },
      { field: 'name', message: 'name must be longer than or equal to 1 characters' },
      { field: 'reason', message: 'reason must say why, in 3 to 500 characters (it goes to the audit trail)' },
    ]);
  });

  it('take an optional field left out, and refuse it sent as null (only a nullable one clears with null)', () => {
    expect(validatePayload(Probe, { siteId: '5b1e7c2a-3d4f-4a6b-8c9d-0e1f2a3b4c5d', name: 'Bay', reason: 'why not' }).devEui).toBeUndefined();
    expect(failures(() => checkPayload(Probe, { siteId: '5b1e7c2a-3d4f-4a6b-8c9d-0e1f2a3b4c5d', zoneId: null, devEui: null, name: 'Bay', reason: 'why not' }))).toEqual([
      { field: 'devEui', message: 'devEui must be 16 hex digits (upper or lower case, optionally separated by "-" or ":")' },
    ]);
  });

  it('refuse a payload that is no object', () => {
    expect(failures(() => checkPayload(Probe, 'text'))).toEqual([{ field: 'payload', message: 'must be a JSON object' }]);
  });
});

class PageProbe extends PageQueryOf(200) {}

describe('paging', () => {
  it('takes limit from a query string and bounds it', () => {
    expect(validatePayload(PageProbe, { limit: '25' }).limit).toBe(25);
    expect(failures(() => checkPayload(PageProbe, { limit: 201 }))).toEqual([{ field: 'limit', message: 'limit must not be greater than 200' }]);
    expect(failures(() => checkPayload(PageProbe, { cursor: 'x'.repeat(513) }))).toEqual([{ field: 'cursor', message: 'cursor must be shorter than or equal to 512 characters' }]);
  });
});

class RangeProbe {
  @InstantField({ example: '2026-12-01T00:00:00Z', description: 'start' }) from?: string;
  @RangeEndField({ maxDays: 92 }, { example: '2026-12-02T00:00:00Z', description: 'end' }) to?: string;
}

describe('time ranges', () => {
  it('accept RFC 3339 instants with a zone, to after from, within the span', () => {
    expect(validatePayload(RangeProbe, { from: '2026-12-01T00:00:00Z', to: '2026-12-02T00:00:00+01:00' })).toMatchObject({ from: '2026-12-01T00:00:00Z' });
    expect(validatePayload(RangeProbe, {})).toEqual(new RangeProbe());
  });

  it('refuse an instant without a zone, an end before the start, and a span over the maximum', () => {
    expect(failures(() => checkPayload(RangeProbe, { from: '2026-12-01T00:00:00' }))).toEqual([
      { field: 'from', message: 'from must be an RFC 3339 date-time with a time zone, e.g. 2026-12-01T00:00:00Z' },
    ]);
    expect(failures(() => checkPayload(RangeProbe, { from: '2026-12-02T00:00:00Z', to: '2026-12-01T00:00:00Z' }))).toEqual([
      { field: 'to', message: 'to must be later than from' },
    ]);
    expect(failures(() => checkPayload(RangeProbe, { from: '2026-01-01T00:00:00Z', to: '2026-12-01T00:00:00Z' }))).toEqual([
      { field: 'to', message: 'to must be at most 92 days after from; ask for a longer period in several requests' },
    ]);
    expect(failures(() => checkPayload(RangeProbe, { from: '2020-01-01T00:00:00Z' }))).toEqual([
      { field: 'to', message: 'to must be at most 92 days after from; ask for a longer period in several requests' },
    ]);
  });
});
