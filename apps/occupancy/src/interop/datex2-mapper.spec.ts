import { SPACE_STATES } from '@parking/contracts';
import { datex2Occupancy, datex2SpaceStatus, toDatex2 } from './datex2-mapper';
import { counts, inventory, LATER } from './inventory.fixture';
import { siteStatus } from './site-status';

const NOW = new Date('2026-12-02T11:00:00.000Z');
const TENANT = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

describe('DATEX II mapping of a site', () => {
  it('maps every space state to a parking space status', () => {
    expect(Object.fromEntries(SPACE_STATES.map((state) => [state, datex2SpaceStatus(state)]))).toEqual({
      free: 'spaceAvailable',
      occupied: 'occupied',
      reserved: 'occupied',
      maintenance: 'closed',
      unknown: 'unknown',
    });
  });

  it('derives the site status from its counts', () => {
    expect(siteStatus(counts({}))).toBe('unknown');
    expect(siteStatus(counts({ unknown: 3 }))).toBe('unknown');
    expect(siteStatus(counts({ maintenance: 2 }))).toBe('closed');
    expect(siteStatus(counts({ occupied: 2, reserved: 1, unknown: 4 }))).toBe('full');
    expect(siteStatus(counts({ free: 1, occupied: 9 }))).toBe('almostFull');
    expect(siteStatus(counts({ free: 2, occupied: 8 }))).toBe('spacesAvailable');
  });

  it('gives occupancy in percent of the spaces counted', () => {
    expect(datex2Occupancy(0, 0)).toEqual({ parkingNumberOfVacantSpaces: 0, parkingNumberOfOccupiedSpaces: 0, parkingOccupancy: 0 });
    expect(datex2Occupancy(2, 1)).toEqual({ parkingNumberOfVacantSpaces: 2, parkingNumberOfOccupiedSpaces: 1, parkingOccupancy: 33.3 });
  });

  it('publishes the required elements, typed', () => {
    const document = toDatex2(inventory(), TENANT, NOW);
    const header = { lang: 'en', publicationTime: NOW.toISOString(), publicationCreator: { country: expect.stringMatching(/^[a-z]{2}$/), nationalIdentifier: TENANT } };
    expect(document.modelBaseVersion).toBe('3');
    expect(document.parkingTablePublication).toMatchObject(header);
    expect(document.parkingStatusPublication).toMatchObject(header);

    const [table] = document.parkingTablePublication.parkingTable;
    expect(table).toMatchObject({ id: expect.any(String), version: '3' });
    const [site] = table.parkingRecord;
    expect(site).toMatchObject({
      recordType: 'UrbanParkingSite',
      id: table.id,
      version: '3',
      parkingName: { values: [{ lang: 'en', value: 'Alexa car park' }] },
      parkingNumberOfSpaces: 5,
      urbanParkingSiteType: 'offStreetParking',
      parkingAddress: 'Alexanderplatz 1',
      parkingLocation: { pointByCoordinates: { pointCoordinates: { latitude: 52.5219, longitude: 13.4132 } } },
    });
    expect(site.parkingSpace).toHaveLength(5);
    for (const space of site.parkingSpace) {
      expect(space).toMatchObject({ recordType: 'SingleParkingSpace', id: expect.any(String), version: '1', parkingNumberOfSpaces: 1, parkingName: { values: [{ lang: 'en', value: expect.any(String) }] } });
    }

    const [siteStatusRecord, ...spaceStatuses] = document.parkingStatusPublication.parkingRecordStatus;
    expect(siteStatusRecord).toEqual({
      recordType: 'ParkingSiteStatus',
      parkingRecordReference: { targetClass: 'ParkingRecord', id: site.id, version: '3' },
      parkingStatusOriginTime: LATER,
      parkingOccupancy: { parkingNumberOfVacantSpaces: 1, parkingNumberOfOccupiedSpaces: 2, parkingOccupancy: 66.7 },
      parkingSiteStatus: 'spacesAvailable',
    });
    expect(spaceStatuses.map((status) => status.parkingRecordReference.id)).toEqual(site.parkingSpace.map((space) => space.id));
    for (const status of spaceStatuses) {
      expect(typeof status.parkingStatusOriginTime).toBe('string');
      expect(Number.isNaN(Date.parse(status.parkingStatusOriginTime))).toBe(false);
      expect(Number.isInteger(status.parkingOccupancy.parkingNumberOfVacantSpaces)).toBe(true);
      expect(Number.isInteger(status.parkingOccupancy.parkingNumberOfOccupiedSpaces)).toBe(true);
    }
    expect(spaceStatuses.map((status) => ('parkingSpaceStatus' in status ? [status.parkingSpaceStatus, status.reserved ?? false] : null))).toEqual([
      ['spaceAvailable', false],
      ['occupied', false],
      ['occupied', true],
      ['closed', false],
      ['unknown', false],
    ]);
    expect(JSON.parse(JSON.stringify(document))).toEqual(document);
  });

  it('marks an on-street site and leaves out an unknown address and location', () => {
    const [site] = toDatex2(inventory('on_street', { address: null, location: null }), TENANT, NOW).parkingTablePublication.parkingTable[0].parkingRecord;
    expect(site.urbanParkingSiteType).toBe('onStreetParking');
    expect(site).not.toHaveProperty('parkingAddress');
    expect(site).not.toHaveProperty('parkingLocation');
  });
});
