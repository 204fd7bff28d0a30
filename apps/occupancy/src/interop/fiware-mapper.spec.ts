import { SPACE_STATES } from '@parking/contracts';
import { FIWARE_CONTEXT, parkingSpotStatus, spotNumbers, toFiware } from './fiware-mapper';
import { counts, inventory, LATER } from './inventory.fixture';
import { fiwareProblems, fiwareValidators } from '@parking/testing';

describe('FIWARE mapping of a site', () => {
  const validators = fiwareValidators();

  it('maps every space state to a ParkingSpot status: maintenance is closed, reserved is occupied', () => {
    expect(Object.fromEntries(SPACE_STATES.map((state) => [state, parkingSpotStatus(state)]))).toEqual({
      free: 'free',
      occupied: 'occupied',
      reserved: 'occupied',
      maintenance: 'closed',
      unknown: 'unknown',
    });
  });

  it('counts reserved spaces as occupied and keeps the others apart', () => {
    expect(spotNumbers(counts({ free: 4, occupied: 3, reserved: 2, maintenance: 1, unknown: 5 }))).toEqual({
      availableSpotNumber: 4,
      occupiedSpotNumber: 5,
      reservedSpotNumber: 2,
      outOfServiceSlotNumber: 1,
      unknownSpotNumber: 5,
    });
  });

  it('emits the site, its zones and its spaces as URN-named entities with the Smart Data Models context', () => {
    const entities = toFiware(inventory());
    expect(entities.map((entity) => entity.type)).toEqual(['OffStreetParking', 'ParkingGroup', 'ParkingGroup', 'ParkingGroup', 'ParkingSpot', 'ParkingSpot', 'ParkingSpot', 'ParkingSpot', 'ParkingSpot']);
    for (const entity of entities) {
      expect(entity.id).toMatch(new RegExp(`^urn:ngsi-ld:${entity.type}:[0-9a-f-]{36}$`));
      expect(entity['@context']).toEqual(FIWARE_CONTEXT);
    }
    const [site, level, zone, empty, free, occupied, reserved, maintenance, unknown] = entities;
    expect(site).toMatchObject({
      name: 'Alexa car park',
      address: { streetAddress: 'Alexanderplatz 1' },
      location: { type: 'Point', coordinates: [13.4132, 52.5219] },
      availableSpotNumber: 1,
      occupiedSpotNumber: 2,
      totalSpotNumber: 5,
      status: ['spacesAvailable'],
      dateModified: LATER,
    });
    expect(level).toMatchObject({ name: 'Level 1', category: ['offStreet', 'completeFloor'], refParkingSite: site.id, availableSpotNumber: 1, occupiedSpotNumber: 2, totalSpotNumber: 3 });
    expect(level).not.toHaveProperty('refParentParkingGroup');
    expect(zone).toMatchObject({ category: ['offStreet'], refParentParkingGroup: level.id });
    expect(empty).not.toHaveProperty('totalSpotNumber');
    expect(free).toMatchObject({
      name: 'Bay 1',
      status: 'free',
      reserved: false,
      category: ['offStreet'],
      refParkingSite: site.id,
      refParkingGroup: zone.id,
      refDevice: ['urn:ngsi-ld:Device:70b3d5e75e000001'],
      location: { type: 'Point', coordinates: [13.41, 52.52] },
      dateModified: LATER,
    });
    expect(occupied).toMatchObject({ name: 'A-2', status: 'occupied', reserved: false, location: site.location });
    expect(reserved).toMatchObject({ status: 'occupied', reserved: true });
    expect(maintenance).toMatchObject({ status: 'closed' });
    expect(maintenance).not.toHaveProperty('refParkingGroup');
    expect(unknown).toMatchObject({ status: 'unknown' });
  });

  it('uses OnStreetParking for an on-street site and leaves out what is not known', () => {
    const [site, , , , spot] = toFiware(inventory('on_street', { address: null, location: null }));
    expect(site.type).toBe('OnStreetParking');
    expect(site).not.toHaveProperty('address');
    expect(site).not.toHaveProperty('location');
    expect(spot.refParkingSite).toBe(site.id);
    expect(spot.location).toEqual({ type: 'Point', coordinates: [13.41, 52.52] });
  });

  it('validates against the Smart Data Models JSON Schemas', () => {
    for (const category of ['off_street', 'on_street'] as const) {
      const entities = toFiware(inventory(category));
      expect(entities.flatMap((entity) => fiwareProblems(validators, entity))).toEqual([]);
    }
  });

  it('is caught by the schemas when a value leaves the model', () => {
    const [site, , , , spot] = toFiware(inventory());
    expect(fiwareProblems(validators, { ...spot, status: 'reserved' })).toEqual([expect.stringContaining('/status')]);
    expect(fiwareProblems(validators, { ...site, location: { type: 'Point' } }).length).toBeGreaterThan(0);
    const { refParkingSite: _site, ...orphan } = spot;
    expect(fiwareProblems(validators, orphan)).toEqual([expect.stringContaining('refParkingSite')]);
  });
});
