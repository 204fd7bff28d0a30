// What the chaos run checks once the platform has caught up: pure functions over what the
// driver's ledger says was accepted and what the database holds.

export type SpaceState = 'occupied' | 'free';

/** A sensor frame the gateway answered 2xx. */
export interface AcceptedFrame {
  devEui: string;
  fCnt: number;
  state: SpaceState;
}

/** One row of occupancy.space_transitions, in version order. */
export interface Transition {
  fromState: string;
  toState: string;
  cause: string;
  /** The reading's fCnt for a sensor transition. */
  fCnt: number | null;
}

/** Whether a space in `state` follows a frame that said `frame`: a free space whose booking has started is reserved. */
const follows = (frame: SpaceState, state: string) => state === frame || (frame === 'free' && state === 'reserved');

/**
 * The transitions of one space against its sensor's accepted frames. A space follows the newest
 * reading: a frame that arrives after a newer one of its sensor (as a spooled webhook can)
 * changes nothing. So, in version order: each transition starts where the one before ended
 * (a change applied without its transition, or a lost one, breaks the chain), never "changes"
 * to the state it is in (a doubled one), sensor transitions follow strictly increasing
 * counters and each is an accepted frame with its state, and the space ends in the state of
 * its sensor's newest frame.
 */
export function transitionProblems(devEui: string, frames: readonly AcceptedFrame[], transitions: readonly Transition[], finalState: string): string[] {
  const problems: string[] = [];
  const stateOf = new Map(frames.map((frame) => [frame.fCnt, frame.state]));
  let lastCounter = -1;
  transitions.forEach((t, i) => {
    const previous = transitions[i - 1];
    if (previous && t.fromState !== previous.toState) problems.push(`${devEui}: transition ${i} starts in ${t.fromState}, the one before ended in ${previous.toState}`);
    if (t.fromState === t.toState) problems.push(`${devEui}: transition ${i} changes ${t.fromState} to itself`);
    if (t.cause !== 'sensor') return;
    if (t.fCnt === null) {
      problems.push(`${devEui}: sensor transition ${i} names no fCnt`);
      return;
    }
    if (t.fCnt <= lastCounter) problems.push(`${devEui}: transition ${i} (fCnt ${t.fCnt}) does not follow fCnt ${lastCounter}: applied twice or out of order`);
    lastCounter = Math.max(lastCounter, t.fCnt);
    const accepted = stateOf.get(t.fCnt);
    if (accepted === undefined) problems.push(`${devEui}: transition ${i} comes from fCnt ${t.fCnt}, which was never accepted`);
    else if (!follows(accepted, t.toState)) problems.push(`${devEui}: transition ${i} sets ${t.toState} from fCnt ${t.fCnt}, whose frame said ${accepted}`);
  });
  const newest = frames.reduce<AcceptedFrame | undefined>((best, frame) => (!best || frame.fCnt > best.fCnt ? frame : best), undefined);
  if (newest && !follows(newest.state, finalState)) problems.push(`${devEui}: ends ${finalState}, its newest frame (fCnt ${newest.fCnt}) said ${newest.state}`);
  const last = transitions.at(-1);
  if (last && last.toState !== finalState) problems.push(`${devEui}: the last transition ends in ${last.toState}, the space is ${finalState}`);
  return problems;
}

/**
 * Accepted frames that changed nothing because a newer frame of their sensor was applied first:
 * those without a transition whose state differs from the state the space had at their counter
 * (after the last sensor transition of a lower fCnt). Applied in order, each would have changed it.
 */
export function supersededFrames(frames: readonly AcceptedFrame[], transitions: readonly Transition[]): number {
  const applied = transitions.filter((t): t is Transition & { fCnt: number } => t.cause === 'sensor' && t.fCnt !== null).sort((a, b) => a.fCnt - b.fCnt);
  const changed = new Set(applied.map((t) => t.fCnt));
  const stateAt = (fCnt: number) => [...applied].reverse().find((t) => t.fCnt < fCnt)?.toState ?? applied[0]?.fromState ?? 'unknown';
  return frames.filter((frame) => !changed.has(frame.fCnt) && !follows(frame.state, stateAt(frame.fCnt))).length;
}

/** A booking the platform answered 201, as the ledger holds it. */
export interface AcceptedBooking {
  id: string;
  spaceId: string;
  start: string;
  end: string;
}

/** One row of reservations.reservations. */
export interface StoredBooking {
  id: string;
  spaceId: string;
  start: Date;
  end: Date;
  state: string;
}

const HOLDS_THE_SPACE = new Set(['confirmed', 'checked_in']);

/** Every accepted booking stored as answered, nothing stored that was not answered, and no two holding one space at once. */
export function bookingProblems(accepted: readonly AcceptedBooking[], stored: readonly StoredBooking[], unanswered: number): string[] {
  const problems: string[] = [];
  const byId = new Map(stored.map((booking) => [booking.id, booking]));
  for (const booking of accepted) {
    const row = byId.get(booking.id);
    if (!row) problems.push(`booking ${booking.id} was answered 201 and is not stored`);
    else if (row.spaceId !== booking.spaceId || row.start.getTime() !== Date.parse(booking.start) || row.end.getTime() !== Date.parse(booking.end)) {
      problems.push(`booking ${booking.id} is stored for ${row.spaceId} ${row.start.toISOString()}–${row.end.toISOString()}, answered for ${booking.spaceId} ${booking.start}–${booking.end}`);
    }
  }
  const acceptedIds = new Set(accepted.map((booking) => booking.id));
  const extra = stored.filter((booking) => !acceptedIds.has(booking.id));
  // A request never answered may have been stored before its answer was lost: at most one each.
  if (extra.length > unanswered) problems.push(`${extra.length} bookings stored that no 201 answered (${unanswered} requests went unanswered): ${extra.slice(0, 5).map((b) => b.id).join(', ')}`);
  const holding = stored.filter((booking) => HOLDS_THE_SPACE.has(booking.state)).sort((a, b) => a.spaceId.localeCompare(b.spaceId) || a.start.getTime() - b.start.getTime());
  for (let i = 1; i < holding.length; i++) {
    const [before, after] = [holding[i - 1], holding[i]];
    if (before.spaceId === after.spaceId && after.start < before.end) problems.push(`space ${after.spaceId} is double-booked: ${before.id} and ${after.id} overlap`);
  }
  return problems;
}

/** Frames accepted (by `devEui:fCnt`) against the uplinks stored: each stored once, none missing. */
export function uplinkProblems(accepted: readonly string[], stored: readonly string[]): string[] {
  const problems: string[] = [];
  const counts = new Map<string, number>();
  for (const key of stored) counts.set(key, (counts.get(key) ?? 0) + 1);
  const missing = accepted.filter((key) => !counts.has(key));
  if (missing.length) problems.push(`${missing.length} accepted uplinks are not stored: ${missing.slice(0, 5).join(', ')}`);
  const doubled = [...counts].filter(([, n]) => n > 1);
  if (doubled.length) problems.push(`${doubled.length} uplinks are stored more than once: ${doubled.slice(0, 5).map(([key]) => key).join(', ')}`);
  return problems;
}
