import { AvailabilityCounts, Datex2ParkingSiteStatus } from '@parking/contracts';

/** Share of known, usable spaces at or above which a site is `almostFull`. */
export const ALMOST_FULL_RATIO = 0.9;

/**
 * A site's status in the DATEX II ParkingSiteStatus vocabulary (which the FIWARE parking
 * models reuse): closed when every space is under maintenance, unknown when no space's state
 * is known, else by the free spaces among those known.
 */
export function siteStatus(counts: AvailabilityCounts): Datex2ParkingSiteStatus {
  if (counts.total > 0 && counts.maintenance === counts.total) return 'closed';
  const known = counts.free + counts.occupied + counts.reserved;
  if (known === 0) return 'unknown';
  if (counts.free === 0) return 'full';
  return (counts.occupied + counts.reserved) / known >= ALMOST_FULL_RATIO ? 'almostFull' : 'spacesAvailable';
}

/** The latest of some RFC 3339 instants. */
export function latest(...instants: string[]): string {
  return new Date(Math.max(...instants.map((instant) => Date.parse(instant)))).toISOString();
}
