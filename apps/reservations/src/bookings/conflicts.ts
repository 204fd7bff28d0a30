import type { ReservationConflict } from '@parking/contracts';
import type { TemplateSqlClient } from '@parking/database';
import { DomainError } from '@parking/problem-details';

/** At most this many taken windows are named in a conflict. */
export const CONFLICTS_NAMED = 10;

/** The active bookings of a space overlapping [from, to): their windows only, never whose. */
export async function conflictsOf(tx: TemplateSqlClient, spaceId: string, from: Date, to: Date, exceptId?: string): Promise<ReservationConflict[]> {
  const rows = await tx.$queryRaw<Array<{ starts: Date; ends: Date }>>`
    SELECT starts, ends FROM reservations.booked_windows(${spaceId}::uuid, tstzrange(${from}::timestamptz, ${to}::timestamptz, '[)'),
                                                         ${exceptId ?? null}::uuid, ${CONFLICTS_NAMED}::int)`;
  return rows.map((row) => ({ startTime: row.starts.toISOString(), endTime: row.ends.toISOString() }));
}

export function overlapError(conflicts: ReservationConflict[]): DomainError {
  const named = conflicts.map((c) => `${c.startTime}–${c.endTime}`).join(', ');
  return new DomainError(
    'RESERVATION_OVERLAP',
    `The space is already booked ${named ? `from ${named}` : 'for part of this window'}; choose another window or space (GET /api/v1/availability).`,
    { conflicts },
  );
}
