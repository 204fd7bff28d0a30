import fc from 'fast-check';
import { CodecError } from '../types';
import { reasonOf } from '../fixtures/check-vectors';
import { chirpstackObject, toOccupancy } from './chirpstack-object';

const decode = (object?: Record<string, unknown>) => chirpstackObject.decode({ fPort: 1, bytes: new Uint8Array(), object });

describe('chirpstack-object', () => {
  it.each([
    [{ occupied: true }, true],
    [{ occupancy: 0 }, false],
    [{ status: 'occupied' }, true],
    [{ parkingStatus: 'free' }, false],
    [{ p_status: 1 }, true],
    [{ state: 'VACANT' }, false],
    [{ car_presence: 'false' }, false],
    [{ status: 'weird' }, 'unknown'],
    [{ foo: 1 }, 'unknown'],
    [{ status: 'weird', occupied: true }, true],
  ])('%j => occupied %s', (object, occupied) => {
    expect(decode(object).occupied).toBe(occupied);
  });

  it('maps battery and temperature names', () => {
    expect(decode({ batteryVoltage: 3.6, temp: 21.5 })).toMatchObject({ batteryVoltage: 3.6, temperatureC: 21.5 });
    expect(decode({ battery_level: 87, temperature: -3 })).toMatchObject({ batteryPercent: 87, temperatureC: -3 });
    expect(decode({ battery: 3.1 })).toMatchObject({ batteryVoltage: 3.1 });
    expect(decode({ battery: 90 })).toMatchObject({ batteryPercent: 90 });
  });

  it('keeps the whole object as vendor output', () => {
    const object = { occupied: 1, type: 'heartbeat', nested: { a: 1 } };
    const r = decode(object);
    expect(r.vendor).toEqual(object);
    expect(r.frameType).toBe('heartbeat');
  });

  it('no object => CodecError missing_object', () => {
    expect(reasonOf(() => decode(undefined))).toBe('missing_object');
  });

  it('decode never throws anything but CodecError on random objects/ports', () => {
    fc.assert(
      fc.property(fc.integer({ min: -5, max: 300 }), fc.option(fc.dictionary(fc.string(), fc.jsonValue())), (fPort, object) => {
        try {
          const r = chirpstackObject.decode({ fPort, bytes: new Uint8Array(), object: object ?? undefined });
          expect([true, false, 'unknown']).toContain(r.occupied);
        } catch (e) {
          if (!(e instanceof CodecError)) throw e;
        }
      }),
    );
    expect(toOccupancy(null)).toBe('unknown');
  });
});
