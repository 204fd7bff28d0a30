import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { UuidField } from '../fields/identifiers';
import { PageOf } from '../fields/paging';
import { InstantField, RangeEndField } from '../fields/time-range';
import { defineRpc } from '../rpc-contract';
import { OccupancyPageQuery, OneOf } from './occupancy-fields';
import { SpaceStateView, SpaceView } from './space-payloads';
import { SPACE_STATES, SpaceReading, TRANSITION_CAUSES, type SpaceState, type TransitionCause } from './space-states';

export const SITE_SPACES_INCLUDES = ['state'] as const;
export type SiteSpacesInclude = (typeof SITE_SPACES_INCLUDES)[number];

// ---------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------

/**
 * Newest first, keyset-paginated (1..500 a page, 50 by default). `from` (inclusive) and `to`
 * (exclusive) are RFC 3339 instants bounding `at`, `to` after `from`. A space's history is
 * listed while the space exists (404 otherwise).
 */
export class ListTransitionsQuery extends OccupancyPageQuery {
  @InstantField({ example: '2026-12-01T00:00:00Z', description: 'Only transitions at or after this instant' }) from?: string;
  @RangeEndField({ ordered: true }, { example: '2026-12-02T00:00:00Z', description: 'Only transitions before this instant' }) to?: string;
}
export class ListSpaceTransitionsRequest extends ListTransitionsQuery {
  @UuidField() spaceId!: string;
}

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
export class ListSiteSpacesQuery extends OccupancyPageQuery {
  @OneOf(SITE_SPACES_INCLUDES, {
    presence: 'optional',
    doc: { example: 'state', description: "state: each space with its live state and the state's version" },
    message: `include must be one of ${SITE_SPACES_INCLUDES.join(', ')}`,
  })
  include?: SiteSpacesInclude;
}
export class ListSiteSpacesRequest extends ListSiteSpacesQuery {
  @UuidField() siteId!: string;
}

// ---------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------

/** One stored change of a space's state. */
export class SpaceTransitionView {
  /** Grows with every transition stored (across spaces); the newest has the largest. */
  @ApiProperty({ example: '48213', description: 'Grows with every transition stored; the newest has the largest' }) id!: string;
  @ApiProperty({ enum: SPACE_STATES, example: 'free' }) from!: SpaceState;
  @ApiProperty({ enum: SPACE_STATES, example: 'occupied' }) to!: SpaceState;
  @ApiProperty({ enum: TRANSITION_CAUSES, example: 'sensor' }) cause!: TransitionCause;
  /** The reading the space held after the change (null: none, e.g. an override before any reading). */
  @ApiProperty({ type: SpaceReading, nullable: true, description: 'The reading the space held after the change' }) reading!: SpaceReading | null;
  /** The space's state version after the change (as in `occupancy.space.state_changed.v1`). */
  @ApiProperty({ example: 7, description: "The space's state version after the change, as in occupancy.space.state_changed.v1" }) version!: number;
  @ApiProperty({ format: 'date-time', example: '2026-12-02T09:41:12.031Z' }) at!: string;
}

export class SpaceTransitionPage extends PageOf(SpaceTransitionView) {}

/** A space of a site snapshot: `state` only with `include: 'state'`. */
export class SiteSpaceView extends OmitType(SpaceView, ['state'] as const) {
  @ApiPropertyOptional({ type: SpaceStateView, description: 'With include=state only' }) state?: SpaceStateView;
}

/** A page of the site snapshot and the OCCUPANCY stream sequence it reflects (0: none published yet). */
export class SiteSpacesPage extends PageOf(SiteSpaceView) {
  @ApiProperty({
    example: 48213,
    description:
      'The OCCUPANCY stream sequence this page reflects. Follow GET /api/v1/sites/{id}/events with Last-Event-ID set to the first ' +
      "page's value and apply an event only when its version is greater than the space's state.version.",
  })
  streamSequence!: number;
}

/**
 * A space's history and a site's snapshot, over NATS request/reply like OCCUPANCY_RPC (both need
 * `spaces:read`; another tenant's id is 404).
 */
export const OCCUPANCY_HISTORY_RPC = {
  spaceTransitions: defineRpc('rpc.occupancy.v1.spaces.transitions', ListSpaceTransitionsRequest, SpaceTransitionPage),
  siteSpaces: defineRpc('rpc.occupancy.v1.sites.spaces', ListSiteSpacesRequest, SiteSpacesPage),
} as const;
