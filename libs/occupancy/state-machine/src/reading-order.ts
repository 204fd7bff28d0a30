/** What the state machine needs to know of one sensor uplink. */
export interface SensorReading {
  devEui: string;
  /** Frame-counter session (grows with every join or counter reset); null when unknown. */
  session: number | null;
  fCnt: number | null;
  /** ChirpStack's `time` (RFC 3339), when the uplink had one. */
  sensorTime: string | null;
  /** When the gateway accepted the webhook (RFC 3339). */
  receivedAt: string;
  deduplicationId: string | null;
  /** null: the frame says nothing about the bay (a heartbeat), yet proves the sensor alive. */
  occupied: boolean | null;
}

type Ordered = Pick<SensorReading, 'session' | 'fCnt' | 'sensorTime' | 'receivedAt'>;

function millis(value: string | null): number | null {
  if (value === null) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * Positive when `a` is newer than `b`, negative when older, 0 when neither is (the same
 * frame, or nothing to tell them apart). A later session wins, then a higher fCnt within the
 * session; readings without session data compare ChirpStack's time, and only when that is
 * missing too the time the gateway received them.
 */
export function compareReadings(a: Ordered, b: Ordered): number {
  if (a.session !== null && b.session !== null && a.fCnt !== null && b.fCnt !== null) {
    return a.session !== b.session ? a.session - b.session : a.fCnt - b.fCnt;
  }
  const [ta, tb] = [millis(a.sensorTime), millis(b.sensorTime)];
  if (ta !== null && tb !== null) return ta - tb;
  return (millis(a.receivedAt) ?? 0) - (millis(b.receivedAt) ?? 0);
}

/** A reading applies only if it is newer than the one the space holds (or the space holds none). */
export function isNewerReading(candidate: Ordered, held: Ordered | null): boolean {
  return held === null || compareReadings(candidate, held) > 0;
}
