import { legacyOccupancyStats, occupancyRate } from './legacy-occupancy-stats';

const counts = (free: number, occupied: number, other = 0) => ({ counts: { free, occupied, reserved: other, maintenance: 0, unknown: 0, total: free + occupied + other } });

describe('legacy occupancy statistics', () => {
  it('is the share of all spaces that is occupied, rounded to 4 decimals, and 0 without spaces', () => {
    expect(occupancyRate(1, 3)).toBe(0.3333);
    expect(occupancyRate(2, 2)).toBe(1);
    expect(occupancyRate(0, 0)).toBe(0);
  });

  it('reports every site and the sum over them, counting reserved, maintenance and unknown spaces in the total only', () => {
    const stats = legacyOccupancyStats([
      { site: { id: 'a', name: 'North' }, availability: counts(3, 1) },
      { site: { id: 'b', name: 'South' }, availability: counts(0, 2, 2) },
      { site: { id: 'c', name: 'Empty' }, availability: counts(0, 0) },
    ]);
    expect(stats).toEqual({
      sites: [
        { siteId: 'a', name: 'North', free: 3, occupied: 1, total: 4, occupancyRate: 0.25 },
        { siteId: 'b', name: 'South', free: 0, occupied: 2, total: 4, occupancyRate: 0.5 },
        { siteId: 'c', name: 'Empty', free: 0, occupied: 0, total: 0, occupancyRate: 0 },
      ],
      free: 3,
      occupied: 3,
      total: 8,
      occupancyRate: 0.375,
    });
  });

  it('answers zeros for a tenant without sites', () => {
    expect(legacyOccupancyStats([])).toEqual({ sites: [], free: 0, occupied: 0, total: 0, occupancyRate: 0 });
  });
});
