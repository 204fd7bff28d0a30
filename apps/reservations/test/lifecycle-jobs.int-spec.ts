// The lifecycle jobs against a real PostgreSQL, driven with the clock they are given: what
// falls due while the service is down is settled as it happened once it ticks again.
import { randomUUID } from 'node:crypto';
import { bookingAccess } from '../src/bookings/booking-access';
import { LifecycleJobs } from '../src/lifecycle/lifecycle-jobs';
import type { SensorBacklog } from '../src/lifecycle/sensor-backlog';
import { SensorArrivals } from '../src/lifecycle/sensor-arrivals';
import { bookingFixture, type BookingFixture } from './booking-fixture';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Bookings start on the hour two hours ahead; the jobs are told the time. */
const START = Math.ceil((Date.now() + 2 * HOUR) / HOUR) * HOUR;
const at = (minutes: number) => new Date(START + minutes * MINUTE);

// 2.00 an hour all week in 15-minute increments: the 60-minute booking costs 200.
const TARIFF = { name: 'Flat', currency: 'EUR', effectiveFrom: '2020-01-01', priceZone: null, bands: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], time: '00:00-24:00', incrementMinutes: 15, tiers: [{ ratePerHour: 200 }] }] };

describe('lifecycle jobs', () => {
  let f: BookingFixture;
  let jobs: LifecycleJobs;
  let caughtUp = true;
  const backlog = { caughtUp: async () => caughtUp } as SensorBacklog;
  beforeAll(async () => {
    f = await bookingFixture();
    jobs = new LifecycleJobs(f.db, f.transitions, { intervalMs: 60_000, autoStart: false }, backlog);
  });
  afterAll(() => f.close());

  async function booking() {
    const t = await f.tenant({ timeZone: 'UTC' });
    await f.sql(`INSERT INTO reservations.tariffs (id, tenant_id, site_id, effective_from, name, currency, definition) VALUES ($1, $2, $3, '2020-01-01', 'Flat', 'EUR', $4)`, [randomUUID(), t.tenantId, t.siteId, JSON.stringify(TARIFF)]);
    const access = bookingAccess({ issuer: 'gateway', principal: t.principal }, 'write');
    const { reservation } = await f.booking.create(access, randomUUID(), { spaceId: t.spaceIds[0], startTime: at(0).toISOString(), endTime: at(60).toISOString() });
    const get = () => f.queries.get(access, reservation.id);
    const sensor = (from: 'free' | 'occupied' | 'reserved', to: 'free' | 'occupied' | 'reserved', when: Date, version: number) =>
      f.db.withTenant(t.tenantId, async (tx) => {
        await tx.$executeRaw`UPDATE reservations.spaces SET state = ${to}, state_version = ${version}::int, state_changed_at = ${when} WHERE id = ${t.spaceIds[0]}::uuid`;
        await new SensorArrivals(f.transitions).apply(tx, { tenantId: t.tenantId, spaceId: t.spaceIds[0], siteId: t.siteId, zoneId: null, from, to, cause: 'sensor', reading: null, changedAt: when.toISOString(), version });
      });
    const events = async () =>
      (await f.sql<{ subject: string; envelope: { data: { reason?: string } } }>(`SELECT subject, envelope FROM reservations.outbox WHERE aggregate_id = $1 ORDER BY seq`, [reservation.id])).map(
        (row) => row.subject.split('.')[2] + (row.envelope.data.reason ? `:${row.envelope.data.reason}` : ''),
      );
    return { ...t, reservation, get, sensor, events };
  }

  it('holds the space when the check-in window opens, once', async () => {
    const b = await booking();
    await jobs.tick(at(-20));
    expect((await b.get()).startedAt).toBeNull();
    await jobs.tick(at(-14));
    await jobs.tick(at(-13));
    expect((await b.get()).startedAt).toBe(at(-14).toISOString());
    expect(await b.events()).toEqual(['created', 'started']);
  });

  it('after downtime across the start and the end with no arrival: a no-show dated when the window closed, the price forfeited', async () => {
    const b = await booking();
    await jobs.tick(at(120));
    expect(await b.get()).toMatchObject({ state: 'no_show', endedAt: at(15).toISOString(), charged: { amount: 200, currency: 'EUR' } });
    expect(await b.events()).toEqual(['created', 'ended:no_show']);
  });

  it('waits a few seconds past the close for an arrival still on its way from the webhook', async () => {
    const b = await booking();
    await jobs.tick(new Date(at(15).getTime() + 2_000));
    expect((await b.get()).state).toBe('confirmed');
    await jobs.tick(new Date(at(15).getTime() + 6_000));
    expect(await b.get()).toMatchObject({ state: 'no_show', endedAt: at(15).toISOString() });
  });

  it('after downtime across the start with the car arriving meanwhile: checked in from the backlog, not a no-show', async () => {
    const b = await booking();
    // The backlog is not read yet: the window has closed, but no-shows wait.
    caughtUp = false;
    await jobs.tick(at(30));
    expect((await b.get()).state).toBe('confirmed');
    await b.sensor('free', 'occupied', at(5), 2);
    caughtUp = true;
    await jobs.tick(at(30));
    expect(await b.get()).toMatchObject({ state: 'checked_in', checkedInAt: at(5).toISOString() });
  });

  it('at the end of a checked-in booking: completes when the space is free, or says overstayed once and charges until the car leaves', async () => {
    const free = await booking();
    await free.sensor('free', 'occupied', at(1), 2);
    await free.sensor('occupied', 'free', at(50), 3);
    expect(await free.get()).toMatchObject({ state: 'completed', leftAt: at(50).toISOString(), charged: { amount: 200 } });

    const stays = await booking();
    await stays.sensor('free', 'occupied', at(-5), 2);
    await jobs.tick(at(61));
    await jobs.tick(at(62));
    expect(await stays.get()).toMatchObject({ state: 'checked_in', overstayedAt: at(61).toISOString() });
    // Left 40 minutes late (during a downtime, read from the backlog): 3 started increments of 15 min at 2.00/h = 150 more.
    await stays.sensor('occupied', 'free', at(100), 3);
    expect(await stays.get()).toMatchObject({ state: 'completed', charged: { amount: 350 } });
    // Checked in before any job held the space: it was never shown reserved, so no `started`.
    expect(await stays.events()).toEqual(['created', 'checked_in', 'overstayed', 'ended:completed']);
  });

  it('completes at its end a checked-in booking whose space is free then', async () => {
    const b = await booking();
    await b.sensor('free', 'occupied', at(0), 2);
    await b.sensor('occupied', 'unknown' as 'free', at(30), 3); // silent sensor: neither arrival nor departure
    await f.sql(`UPDATE reservations.spaces SET state = 'free' WHERE id = $1`, [b.spaceIds[0]]);
    await jobs.tick(at(61));
    expect(await b.get()).toMatchObject({ state: 'completed', endedAt: at(60).toISOString(), charged: { amount: 200 } });
  });

  it('runs on one replica at a time: another holder of the lease skips its turn', async () => {
    const other = new LifecycleJobs(f.db, f.transitions, { intervalMs: 60_000, autoStart: false }, backlog);
    expect(await jobs.tick(at(0))).not.toBeNull();
    expect(await other.tick(at(0))).toBeNull();
  });
});
