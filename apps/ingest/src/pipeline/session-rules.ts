/**
 * Frame-counter sessions. LoRaWAN frame counters restart at 0 after an OTAA join or a device
 * reset, and wrap; ChirpStack reports the same frame under several deduplicationIds when it is
 * retransmitted. So a frame is identified by (devEUI, session, fCnt), where the session is
 * ours: a counter per device that starts the next session on
 *
 *   1. a `join` event (OTAA: counters restart),
 *   2. a `log` event with code UPLINK_F_CNT_RESET (ChirpStack saw the counter reset),
 *   3. an uplink from a devAddr other than the stored one (the device joined again and we
 *      missed the join, or was re-provisioned),
 *   4. an uplink whose fCnt lies more than FCNT_RESET_THRESHOLD below the highest fCnt of the
 *      session (a reset under relaxed frame counters, or the counter wrapping).
 *
 * A smaller step back is a late arrival within the session: it is kept unless that
 * (session, fCnt) is already stored, and lastFCnt only ever moves forward.
 */

/** How far fCnt may fall below the session's highest before it counts as a reset. */
export const FCNT_RESET_THRESHOLD = 1_000;

export interface SessionState {
  session: number;
  /** Highest fCnt seen in the session; null right after it started. */
  lastFCnt: number | null;
  devAddr: string | null;
}

export type SessionChange = 'join' | 'f_cnt_reset_log' | 'new_dev_addr' | 'f_cnt_jump' | null;

export interface UplinkPlacement {
  /** The session the frame belongs to. */
  session: number;
  /** What made a new session start with this frame, if anything. */
  started: SessionChange;
  /** The device's state after the frame. */
  next: SessionState;
}

function nextSession(state: SessionState, devAddr: string | null): SessionState {
  return { session: state.session + 1, lastFCnt: null, devAddr };
}

/** A join: the next session, counters from 0, the new devAddr. */
export function afterJoin(state: SessionState, devAddr: string | undefined): SessionState {
  return nextSession(state, devAddr ?? state.devAddr);
}

/** ChirpStack logged UPLINK_F_CNT_RESET: the next session, same devAddr. */
export function afterFCntReset(state: SessionState): SessionState {
  return nextSession(state, state.devAddr);
}

/** Where an uplink with this fCnt (and devAddr, when known) belongs. */
export function placeUplink(state: SessionState, fCnt: number, devAddr: string | undefined): UplinkPlacement {
  let current = state;
  let started: SessionChange = null;
  if (devAddr && state.devAddr && devAddr !== state.devAddr) {
    current = nextSession(state, devAddr);
    started = 'new_dev_addr';
  } else if (state.lastFCnt !== null && state.lastFCnt - fCnt > FCNT_RESET_THRESHOLD) {
    current = nextSession(state, devAddr ?? state.devAddr);
    started = 'f_cnt_jump';
  }
  const lastFCnt = current.lastFCnt === null ? fCnt : Math.max(current.lastFCnt, fCnt);
  return { session: current.session, started, next: { session: current.session, lastFCnt, devAddr: devAddr ?? current.devAddr } };
}
