// What the chaos run reads in the database once the platform has caught up: when it has, and
// the ledger's checks against the rows (the pure comparisons are in verify.ts).
import { performance } from 'node:perf_hooks';
import { enqueuedFrames } from '../e2e/count-frames';
import type { countSigns, startFakeNetworkServer } from '../e2e/signage-setup';
import { outboxBacklog } from '../ingest/drain';
import type { RunningPlatform } from '../ingest/platform';
import { withClient } from '../ingest/resources';
import type { AnswerCounts, ChaosLedger } from './load';
import { bookingProblems, supersededFrames, transitionProblems, uplinkProblems, type StoredBooking, type Transition } from './verify';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface ScenarioResult {
  name: string;
  /** From the fault until what it hurt was back. */
  outMs: number;
  answers: AnswerCounts;
  /** From back until every webhook accepted so far was stored and consumed and every event committed so far published. */
  catchUpMs: number | undefined;
}

export interface Check {
  name: string;
  problems: string[];
}

/**
 * Polls until every webhook in `accepted` is stored, every uplink stored before `since` has
 * reached occupancy, and no outbox row committed before `since` is unpublished; answers how
 * long that took, or undefined after `limitMs`.
 */
export async function caughtUp(adminUrl: string, platform: RunningPlatform, accepted: string[], since: Date, limitMs: number): Promise<number | undefined> {
  const began = performance.now();
  while (performance.now() - began < limitMs) {
    const done = await withClient(adminUrl, async (sql) => {
      const stored = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ingest.uplinks WHERE tenant_id = $1 AND dev_eui || ':' || f_cnt = ANY ($2)`, [platform.tenantId, accepted]);
      if (stored.rows[0].n < accepted.length) return false;
      const consumed = await sql.query<{ behind: boolean }>(
        `SELECT (SELECT count(*) FROM ingest.uplinks WHERE tenant_id = $1 AND created_at < $2) >
                (SELECT count(*) FROM occupancy.inbox WHERE tenant_id = $1 AND subject LIKE '%uplink.received%') AS behind`,
        [platform.tenantId, since],
      );
      return !consumed.rows[0].behind;
    }).catch(() => false);
    if (done && (await outboxBacklog(adminUrl, since).catch(() => 1)) === 0) return performance.now() - began;
    await pause(250);
  }
  return undefined;
}

/** Waits until each sign's newest frame at ChirpStack shows its zone's free count; answers how long that took. */
export async function signsShowTheirZones(adminUrl: string, lns: Awaited<ReturnType<typeof startFakeNetworkServer>>, signs: ReturnType<typeof countSigns>, zoneIds: string[]): Promise<number | undefined> {
  const began = performance.now();
  while (performance.now() - began < 60_000) {
    const { rows } = await withClient(adminUrl, (sql) => sql.query<{ zone_id: string; free: number }>('SELECT zone_id::text, free FROM occupancy.zone_availability WHERE zone_id = ANY ($1)', [zoneIds]));
    const frames = enqueuedFrames(lns.fake.calls);
    const shows = signs.every((sign, zone) => {
      const newest = frames.filter((frame) => frame.devEui === sign.devEui).at(-1);
      return newest !== undefined && newest.count === rows.find((row) => row.zone_id === zoneIds[zone])?.free;
    });
    if (shows) return performance.now() - began;
    await pause(500);
  }
  return undefined;
}

export async function verify(adminUrl: string, platform: RunningPlatform, ledger: ChaosLedger, sensors: string[], results: ScenarioResult[], planned: number): Promise<Check[]> {
  return withClient(adminUrl, async (sql) => {
    const tenant = platform.tenantId;
    const stored = await sql.query<{ key: string }>(`SELECT dev_eui || ':' || f_cnt AS key FROM ingest.uplinks WHERE tenant_id = $1`, [tenant]);
    const consumed = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM occupancy.inbox WHERE tenant_id = $1 AND subject LIKE '%uplink.received%'`, [tenant]);
    const transitions: string[] = [];
    for (const devEui of sensors) {
      const { rows } = await sql.query<{ from_state: string; to_state: string; cause: string; f_cnt: number | null; state: string }>(
        `SELECT t.from_state, t.to_state, t.cause, (t.reading->>'fCnt')::int AS f_cnt, s.state
           FROM occupancy.space_sensors ss
           JOIN occupancy.space_state s ON s.space_id = ss.space_id
           LEFT JOIN occupancy.space_transitions t ON t.space_id = ss.space_id
          WHERE ss.dev_eui = $1 ORDER BY t.version`,
        [devEui],
      );
      const chain: Transition[] = rows.filter((row) => row.to_state !== null).map((row) => ({ fromState: row.from_state, toState: row.to_state, cause: row.cause, fCnt: row.f_cnt }));
      transitions.push(...transitionProblems(devEui, ledger.frames.filter((frame) => frame.devEui === devEui), chain, rows[0]?.state ?? 'no space'));
    }
    const zones = await sql.query<{ zone_id: string; counted: number; actual: number }>(
      `SELECT z.zone_id::text, z.free AS counted, count(s.id) FILTER (WHERE st.state = 'free')::int AS actual
         FROM occupancy.zone_availability z JOIN occupancy.spaces s ON s.zone_id = z.zone_id JOIN occupancy.space_state st ON st.space_id = s.id
        WHERE z.tenant_id = $1 GROUP BY z.zone_id, z.free`,
      [tenant],
    );
    const booked = await sql.query<{ id: string; space_id: string; start: Date; end: Date; state: string }>(
      `SELECT id::text, space_id::text, lower(period) AS start, upper(period) AS "end", state FROM reservations.reservations WHERE tenant_id = $1`,
      [tenant],
    );
    const storedBookings: StoredBooking[] = booked.rows.map((row) => ({ id: row.id, spaceId: row.space_id, start: row.start, end: row.end, state: row.state }));
    const refusedOtherwise = [...ledger.bookingsRefused].filter(([status]) => status !== 409);
    return [
      { name: 'every scenario ran and the platform caught up after each', problems: results.length === planned && results.every((r) => r.catchUpMs !== undefined) ? [] : [`${results.length} of ${planned} scenarios ran; ${results.filter((r) => r.catchUpMs === undefined).map((r) => r.name).join(', ')} did not catch up`] },
      { name: 'every webhook answered 2xx is stored exactly once', problems: uplinkProblems(ledger.webhooks, stored.rows.map((row) => row.key)) },
      { name: 'every stored uplink reached occupancy exactly once', problems: consumed.rows[0].n === stored.rows.length ? [] : [`occupancy consumed ${consumed.rows[0].n} uplink events for ${stored.rows.length} stored uplinks`] },
      { name: 'no space transition doubled or lost; every space in its newest frame’s state', problems: transitions },
      { name: 'every zone’s free count matches its spaces', problems: zones.rows.filter((z) => z.counted !== z.actual).map((z) => `zone ${z.zone_id} counts ${z.counted} free, ${z.actual} spaces are free`) },
      { name: 'no booking double-booked or lost', problems: bookingProblems(ledger.bookings, storedBookings, ledger.unansweredBookings) },
      { name: 'every outbox row published', problems: await outboxBacklog(adminUrl).then((n) => (n === 0 ? [] : [`${n} outbox rows unpublished`])) },
      {
        name: 'no 5xx but 503 (and 504 for a booking in flight when the reservations service was killed), no valid request refused, every request answered',
        problems: [
          ...ledger.serverErrors.filter((e) => !inFlightToTheKilled(e)).map((e) => `answered ${e.status} during ${e.during}: ${e.body}`),
          ...ledger.refusedWebhooks.map((e) => `webhook refused: ${e}`),
          ...refusedOtherwise.map(([status, n]) => `${n} bookings refused with ${status}`),
          ...(ledger.unansweredWebhooks + ledger.unansweredBookings > 0 ? [`${ledger.unansweredWebhooks} webhooks and ${ledger.unansweredBookings} bookings never answered`] : []),
        ],
      },
    ];
  });
}

/** A booking sent just before the service that answers it was killed: nothing is left to answer it, and the gateway times out. */
function inFlightToTheKilled(error: { status: number; during: string }): boolean {
  return error.status === 504 && error.during === 'SIGKILL reservations';
}

export async function countSuperseded(adminUrl: string, ledger: ChaosLedger): Promise<number> {
  const byDevice = new Map<string, typeof ledger.frames>();
  for (const frame of ledger.frames) byDevice.set(frame.devEui, [...(byDevice.get(frame.devEui) ?? []), frame]);
  return withClient(adminUrl, async (sql) => {
    let total = 0;
    for (const [devEui, frames] of byDevice) {
      const { rows } = await sql.query<{ from_state: string; to_state: string; cause: string; f_cnt: number | null }>(
        `SELECT t.from_state, t.to_state, t.cause, (t.reading->>'fCnt')::int AS f_cnt
           FROM occupancy.space_sensors ss JOIN occupancy.space_transitions t ON t.space_id = ss.space_id WHERE ss.dev_eui = $1 ORDER BY t.version`,
        [devEui],
      );
      total += supersededFrames(frames, rows.map((row) => ({ fromState: row.from_state, toState: row.to_state, cause: row.cause, fCnt: row.f_cnt })));
    }
    return total;
  });
}

