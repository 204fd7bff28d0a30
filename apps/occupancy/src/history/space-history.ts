import { Inject, Injectable } from '@nestjs/common';
import { Namespace, Page, Principal, SiteSpacesPage, SiteSpaceView, SpaceReading, STREAMS, SpaceState, SpaceTransitionView, TransitionCause } from '@parking/contracts';
import { OccupancyDatabase, Prisma } from '@parking/occupancy/data-access';
import { NotFoundError } from '@parking/problem-details';
import { afterCursor, toPage, TENANT_DATABASE } from '@parking/service-runtime';
import { findSite } from '../sites/sites.use-cases';
import { SPACE_ROW_SELECT, SpaceRow, spaceView } from '../spaces/space-view';
import { decodeTransitionCursor, encodeTransitionCursor } from './transition-cursor';

interface TransitionRow {
  id: string;
  from_state: SpaceState;
  to_state: SpaceState;
  cause: TransitionCause;
  reading: SpaceReading | null;
  version: bigint;
  at: Date;
}

export interface TransitionsQuery {
  cursor?: string;
  limit: number;
  from?: Date;
  to?: Date;
}

export interface SiteSpacesQuery {
  cursor?: string;
  limit: number;
  withState: boolean;
}

/** Read side of a space's history and of a site's snapshot; writes stay with SpaceStateStore. */
@Injectable()
export class SpaceHistory {
  private readonly occupancyStream: string;

  constructor(
    @Inject(TENANT_DATABASE) private readonly db: OccupancyDatabase,
    namespace: Namespace,
  ) {
    this.occupancyStream = namespace.stream(STREAMS.OCCUPANCY.name);
  }

  transitions(principal: Principal, spaceId: string, query: TransitionsQuery): Promise<Page<SpaceTransitionView>> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      // History outlives a deleted space (statistics), but the route answers for live spaces only.
      const [space] = await tx.$queryRaw<Array<{ id: string }>>`SELECT id::text FROM occupancy.spaces WHERE id = ${spaceId}::uuid`;
      if (!space) throw new NotFoundError('Space', spaceId);
      const before = decodeTransitionCursor(query.cursor);
      const where = [Prisma.sql`t.space_id = ${spaceId}::uuid`];
      if (before !== undefined) where.push(Prisma.sql`t.id < ${before}::bigint`);
      if (query.from) where.push(Prisma.sql`t.at >= ${query.from}::timestamptz`);
      if (query.to) where.push(Prisma.sql`t.at < ${query.to}::timestamptz`);
      // Newest first by id: ids follow commit order per space (the state row lock serialises writers).
      const rows = await tx.$queryRaw<TransitionRow[]>`
        SELECT t.id::text, t.from_state, t.to_state, t.cause, t.reading, t.version, t.at
          FROM occupancy.space_transitions t
         WHERE ${Prisma.join(where, ' AND ')}
         ORDER BY t.id DESC
         LIMIT ${query.limit + 1}`;
      const items = rows.slice(0, query.limit);
      const last = items.at(-1);
      return {
        items: items.map(transitionView),
        nextCursor: rows.length > query.limit && last ? encodeTransitionCursor(last.id) : null,
      };
    });
  }

  siteSpaces(principal: Principal, siteId: string, query: SiteSpacesQuery): Promise<SiteSpacesPage> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      await findSite(tx, siteId);
      // Read before the spaces: every event at or below the position committed its change
      // before the position was raised, so the spaces read next already show it.
      const [position] = await tx.$queryRaw<Array<{ seq: bigint }>>`
        SELECT seq FROM occupancy.stream_positions WHERE stream = ${this.occupancyStream}`;
      const where = [Prisma.sql`sp.site_id = ${siteId}::uuid`, ...afterCursor('sp', query.cursor)];
      const rows = await tx.$queryRaw<SpaceRow[]>`
        ${SPACE_ROW_SELECT} WHERE ${Prisma.join(where, ' AND ')} ORDER BY sp.created_at, sp.id LIMIT ${query.limit + 1}`;
      const page = toPage(rows, query.limit, (row): SiteSpaceView => {
        const view = spaceView(row);
        if (query.withState) return view;
        const { state: _state, ...withoutState } = view;
        return withoutState;
      });
      return { ...page, streamSequence: Number(position?.seq ?? 0) };
    });
  }
}

function transitionView(row: TransitionRow): SpaceTransitionView {
  return {
    id: row.id,
    from: row.from_state,
    to: row.to_state,
    cause: row.cause,
    reading: row.reading,
    version: Number(row.version),
    at: row.at.toISOString(),
  };
}
