import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { PlatformUnavailable } from '../ingest/platform';
import { inParallel, waitFor } from './seed';

/** How long each booking lasts from the moment it is made: longer than any run of the stack phase. */
export const BOOKING_HOURS = 3;

export interface BookedShare {
  booked: number;
  seconds: number;
}

/**
 * Every `1 / share`-th space of the site (by code) booked from now for BOOKING_HOURS through
 * `POST /api/v1/reservations`, as a driver's app would: its sensor's next occupied reading falls
 * in the check-in window, so the reservations service checks the booking in, and the next free
 * one completes it. Waits first until the reservations service knows every space (by event).
 */
export async function bookShare(options: { baseUrl: string; accessToken: string; adminUrl: string; siteId: string; spaces: number; share: number; concurrency: number }): Promise<BookedShare> {
  const began = performance.now();
  await waitFor('the reservations service learning every space', options.adminUrl, 'SELECT count(*)::int AS n FROM reservations.spaces WHERE site_id = $1 AND removed_at IS NULL', [options.siteId], (rows) => rows[0].n === options.spaces);
  const sql = new Client({ connectionString: options.adminUrl });
  await sql.connect();
  let spaceIds: string[];
  try {
    const { rows } = await sql.query<{ id: string }>('SELECT id::text FROM reservations.spaces WHERE site_id = $1 AND removed_at IS NULL ORDER BY code', [options.siteId]);
    const every = Math.max(1, Math.round(1 / options.share));
    spaceIds = rows.filter((_, i) => i % every === 0).map((row) => row.id);
  } finally {
    await sql.end();
  }
  const startTime = new Date().toISOString();
  const endTime = new Date(Date.now() + BOOKING_HOURS * 3_600_000).toISOString();
  await inParallel(spaceIds, options.concurrency, async (spaceId) => {
    const response = await fetch(`${options.baseUrl}/api/v1/reservations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${options.accessToken}`, 'idempotency-key': randomUUID() },
      body: JSON.stringify({ spaceId, startTime, endTime }),
    });
    if (response.status !== 201) throw new PlatformUnavailable(`booking space ${spaceId} answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
    await response.arrayBuffer();
  });
  return { booked: spaceIds.length, seconds: (performance.now() - began) / 1000 };
}

/** How many bookings of the tenant are in each state now (confirmed, checked_in, completed, …). */
export async function bookingStates(adminUrl: string): Promise<Record<string, number>> {
  const sql = new Client({ connectionString: adminUrl });
  await sql.connect();
  try {
    const { rows } = await sql.query<{ state: string; n: number }>('SELECT state, count(*)::int AS n FROM reservations.reservations GROUP BY state ORDER BY state');
    return Object.fromEntries(rows.map((row) => [row.state, row.n]));
  } finally {
    await sql.end();
  }
}
