import { AvailabilityCounts, SiteCategory, SpaceState, SpaceView } from '@parking/contracts';
import { SiteInventory } from './site-inventory';

export const AT = '2026-12-02T09:30:00.000Z';
export const LATER = '2026-12-02T10:15:00.000Z';
const SITE_ID = '0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d10';
const LEVEL_ID = '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
const ZONE_ID = '2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a';

export function counts(partial: Partial<AvailabilityCounts>): AvailabilityCounts {
  const base = { free: 0, occupied: 0, reserved: 0, maintenance: 0, unknown: 0, ...partial };
  return { ...base, total: base.free + base.occupied + base.reserved + base.maintenance + base.unknown };
}

export function space(index: number, state: SpaceState, overrides: Partial<SpaceView> = {}): SpaceView {
  return {
    id: `3e4f5a6b-7c8d-4e9f-8a1b-2c3d4e5f6a${String(index).padStart(2, '0')}`,
    siteId: SITE_ID,
    zoneId: ZONE_ID,
    code: `A-${index}`,
    name: null,
    location: null,
    category: 'off_street',
    type: 'standard',
    tags: [],
    priceZone: null,
    sensorDevEui: null,
    version: 1,
    createdAt: AT,
    updatedAt: AT,
    state: { state, sensorOccupied: null, sensorSilent: false, maintenance: null, reservationActive: state === 'reserved', reading: null, lastReadingAt: null, changedAt: LATER, version: 2 },
    ...overrides,
  };
}

/** A site with a level holding a zone, and one space in each state. */
export function inventory(category: SiteCategory = 'off_street', overrides: Partial<SiteInventory['site']> = {}): SiteInventory {
  const spaces = [
    space(1, 'free', { location: { latitude: 52.52, longitude: 13.41 }, sensorDevEui: '70b3d5e75e000001', name: 'Bay 1' }),
    space(2, 'occupied'),
    space(3, 'reserved'),
    space(4, 'maintenance', { zoneId: null }),
    space(5, 'unknown', { zoneId: null }),
  ];
  const zoneCounts = counts({ free: 1, occupied: 1, reserved: 1 });
  return {
    site: {
      id: SITE_ID,
      name: 'Alexa car park',
      address: 'Alexanderplatz 1',
      location: { latitude: 52.5219, longitude: 13.4132 },
      timeZone: 'Europe/Berlin',
      openingHours: null,
      category,
      heartbeatTimeoutSeconds: null,
      version: 3,
      createdAt: AT,
      updatedAt: AT,
      ...overrides,
    },
    siteCounts: { counts: counts({ free: 1, occupied: 1, reserved: 1, maintenance: 1, unknown: 1 }), updatedAt: LATER },
    zones: [
      { id: LEVEL_ID, parentZoneId: null, name: 'Level 1', kind: 'level', counts: zoneCounts, updatedAt: LATER },
      { id: ZONE_ID, parentZoneId: LEVEL_ID, name: 'North', kind: 'zone', counts: zoneCounts, updatedAt: LATER },
      { id: '4f5a6b7c-8d9e-4f0a-9b1c-2d3e4f5a6b7c', parentZoneId: null, name: 'Empty', kind: 'zone', counts: counts({}), updatedAt: AT },
    ],
    spaces,
  };
}
