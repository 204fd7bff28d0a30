import { UpdateDeviceBody } from '@parking/contracts';
import { validatePayload } from '@parking/problem-details';
import { checkNewDevice, deviceChanges } from './device-fields';

describe('checkNewDevice (one import row, or a registration)', () => {
  it('normalises a valid device and applies defaults', () => {
    expect(checkNewDevice({ devEui: '70-B3-D5-47-50-10-0A-1B', kind: 'sensor', codec: 'bosch-tps110', name: ' Bay 3 ' })).toEqual({
      fields: {
        devEui: '70b3d54750100a1b',
        kind: 'sensor',
        codec: 'bosch-tps110',
        name: 'Bay 3',
        chirpstackApplicationId: null,
        chirpstackProfileId: null,
        heartbeatSeconds: null,
        tags: {},
        description: null,
        joinEui: null,
      },
      devEui: '70b3d54750100a1b',
      errors: [],
    });
  });

  it('normalises a JoinEUI like a devEUI, and refuses one that is not 16 hex digits', () => {
    const row = { devEui: '70b3d54750100a1b', kind: 'sensor', codec: 'bosch-tps110', name: 'Bay 3' };
    expect(checkNewDevice({ ...row, joinEui: '70:B3:D5:7E:D0:00:00:01', description: 'north row' }).fields).toMatchObject({ joinEui: '70b3d57ed0000001', description: 'north row' });
    expect(checkNewDevice({ ...row, joinEui: '70b3d57ed00000' }).errors.map((e) => e.field)).toEqual(['joinEui']);
  });

  it('names every bad field, an unknown codec together with the valid ids', () => {
    const { errors, fields, devEui } = checkNewDevice({ devEui: 'x', kind: 'lamp', codec: 'nwave', name: '', heartbeatSeconds: 0, tags: { 'bad key': 'v' }, colour: 'red' });
    expect([...new Set(errors.map((e) => e.field))].sort()).toEqual(['codec', 'colour', 'devEui', 'heartbeatSeconds', 'kind', 'name', 'tags']);
    expect(errors.find((e) => e.field === 'codec')?.message).toBe(
      '"nwave" is not a known codec; must be one of nwave-nps405, nwave-nps310, bosch-tps110, dingtek-do201, browan-tbdw100, kuando-busylight, count-display, chirpstack-object',
    );
    expect(fields).toBeUndefined();
    expect(devEui).toBeUndefined();
  });

  it('reads an empty ChirpStack id as none', () => {
    const { fields } = checkNewDevice({ devEui: '70b3d54750100a1b', kind: 'sensor', codec: 'bosch-tps110', name: 'Bay', chirpstackApplicationId: '' });
    expect(fields?.chirpstackApplicationId).toBeNull();
  });
});

describe('deviceChanges', () => {
  it('takes only the fields given, null clearing an optional one', () => {
    const body = validatePayload(UpdateDeviceBody, { name: 'New', heartbeatSeconds: null, chirpstackProfileId: null });
    expect(deviceChanges(body)).toEqual({ name: 'New', heartbeatSeconds: null, chirpstackProfileId: null });
  });
});
