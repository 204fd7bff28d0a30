import type { PageRequest } from '../identity/identity-rpc';
import type { SiteRef, SpaceRef, SpaceView } from './occupancy-rpc';
import type { SpaceReading, SpaceState, TransitionCause } from './space-states';

/**
 * A space's history and a site's snapshot, over NATS request/reply like OCCUPANCY_RPC (both need
 * `spaces:read`; another tenant's id is 404).
 */
export const OCCUPANCY_HISTORY_RPC = {
  spaceTransitions: 'rpc.occupancy.v1.spaces.transitions',
  siteSpaces: 'rpc.occupancy.v1.sites.spaces',
} as const;

export type OccupancyHistoryRpcSubject = (typeof OCCUPANCY_HISTORY_RPC)[keyof typeof OCCUPANCY_HISTORY_RPC];

/** One stored change of a space's state. */
export interface SpaceTransitionView {
  /** Grows with every transition stored (across spaces); the newest has the largest. */
  id: string;
  from: SpaceState;
  to: SpaceState;
  cause: TransitionCause;
  /** The reading the space held after the change (null: none, e.g. an override before any reading). */
  reading: SpaceReading | null;
  /** The space's state version after the change (as in `occupancy.space.state_changed.v1`). */
  version: number;
  /** RFC 3339. */
  at: string;
}

/**
 * Newest first, keyset-paginated (1..500 a page, 50 by default). `from` (inclusive) and `to`
 * (exclusive) are RFC 3339 instants bounding `at`. A space's history is listed while the
 * space exists (404 otherwise).
 */
export type ListSpaceTransitionsRequest = SpaceRef & PageRequest & { from?: string; to?: string };

export const SITE_SPACES_INCLUDES = ['state'] as const;
export type SiteSpacesInclude = (typeof SITE_SPACES_INCLUDES)[number];

/**
 * Every space of the site, oldest first, keyset-paginated (1..500 a page, 50 by default).
 * With `include: 'state'` each carries its live state (and the reading it rests on).
 *
 * Snapshot rule for subscribers: load the pages, then apply `occupancy.space.state_changed.v1`
 * events only when their `version` is greater than the space's `state.version` in the
 * snapshot; older or equal ones are already reflected. (The state stores no OCCUPANCY stream
 * sequence, so the per-space version is the position.)
 */
export type ListSiteSpacesRequest = SiteRef & PageRequest & { include?: SiteSpacesInclude };

/** A space of a site snapshot: `state` only with `include: 'state'`. */
export type SiteSpaceView = Omit<SpaceView, 'state'> & { state?: SpaceView['state'] };
