import type { Page, PageRequest } from '../identity/identity-rpc';
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
 * Snapshot rule for subscribers: each page names `streamSequence`, the OCCUPANCY stream
 * sequence it reflects (every event at or below it is already in the page). Load the pages,
 * then follow `occupancy.space.state_changed.v1` from the first page's sequence + 1 (the SSE
 * stream's Last-Event-ID, or a JetStream consumer's start sequence) and apply an event only
 * when its `version` is greater than the space's `state.version`: events just above the
 * sequence may already be reflected too.
 */
export type ListSiteSpacesRequest = SiteRef & PageRequest & { include?: SiteSpacesInclude };

/** A space of a site snapshot: `state` only with `include: 'state'`. */
export type SiteSpaceView = Omit<SpaceView, 'state'> & { state?: SpaceView['state'] };

/** A page of the site snapshot and the OCCUPANCY stream sequence it reflects (0: none published yet). */
export type SiteSpacesPage = Page<SiteSpaceView> & { streamSequence: number };
