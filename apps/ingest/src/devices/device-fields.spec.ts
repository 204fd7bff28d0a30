import { readDeviceChanges, readNewDevice } from './device-fields';

describe('readNewDevice', () => {
  it('normalises a valid device and applies defaults', () => {
    expect(readNewDevice({ devEui: '70-B3-D5-47-50-10-0A-1B', kind: 'sensor', codec: 'bosch-tps110', name: ' Bay 3 ' })).toEqual({
      fields: {
        devEui: '70b3d54750100a1b',
        kind: 'sensor',
        codec: 'bosch-tps110',
        name: 'Bay 3',
        chirpstackApplicationId: null,
        chirpstackProfileId: null,
        heartbeatSeconds: null,
        tags: {},
      },
      errors: [],
    });
  });

  it('names every bad field, an unknown codec together with the valid ids', () => {
    const { errors } = readNewDevice({ devEui: 'x', kind: 'lamp', codec: 'nwave', name: '', heartbeatSeconds: 0, tags: { 'bad key': 'v' }, colour: 'red' });
    expect(errors.map((e) => e.field)).toEqual(['colour', 'devEui', 'kind', 'codec', 'name', 'heartbeatSeconds', 'tags']);
    expect(errors.find((e) => e.field === 'codec')?.message).toBe(
      '"nwave" is not a known codec; must be one of nwave-nps405, nwave-nps310, bosch-tps110, dingtek-do201, browan-tbdw100, chirpstack-object',
    );
  });
});

describe('readDeviceChanges', () => {
  it('reads only the fields given, null clearing an optional one', () => {
    expect(readDeviceChanges({ name: 'New', heartbeatSeconds: null, chirpstackProfileId: null })).toEqual({
      changes: { name: 'New', heartbeatSeconds: null, chirpstackProfileId: null },
      errors: [],
    });
  });
});
