import type { LegacyOccupancyStats, LegacySiteOccupancyStats, SiteAvailabilityResponse, SiteView } from '@parking/contracts';

/** occupied / total, rounded to 4 decimals; 0 for no spaces. */
export function occupancyRate(occupied: number, total: number): number {
  return total === 0 ? 0 : Math.round((occupied / total) * 10_000) / 10_000;
}

/**
 * The previous platform's occupancy statistics, answered from each site's live counts: per
 * site and over all of them, free, occupied, total and the share occupied right now.
 */
export function legacyOccupancyStats(sites: ReadonlyArray<{ site: Pick<SiteView, 'id' | 'name'>; availability: Pick<SiteAvailabilityResponse, 'counts'> }>): LegacyOccupancyStats {
  const perSite: LegacySiteOccupancyStats[] = sites.map(({ site, availability: { counts } }) => ({
    siteId: site.id,
    name: site.name,
    free: counts.free,
    occupied: counts.occupied,
    total: counts.total,
    occupancyRate: occupancyRate(counts.occupied, counts.total),
  }));
  const sum = (field: 'free' | 'occupied' | 'total') => perSite.reduce((total, site) => total + site[field], 0);
  const [free, occupied, total] = [sum('free'), sum('occupied'), sum('total')];
  return { sites: perSite, free, occupied, total, occupancyRate: occupancyRate(occupied, total) };
}
