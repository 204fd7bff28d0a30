// Bookings against a real PostgreSQL: the no-overlap constraint under contention, a model
// test of bookings and cancellations, and the Idempotency-Key rules.
import type { CreateReservationBody } from '@parking/contracts';
import { DomainError } from '@parking/problem-details';
import { expectEventually } from '@parking/testing';
import fc from 'fast-check';
import { Client } from 'pg';
import { randomUUID } from 'node:crypto';
import { bookingAccess } from '../src/bookings/booking-access';
import { settled } from '../src/idempotency/idempotency-keys';
import { bookingFixture, refusalOf, type BookingFixture } from './booking-fixture';

const HOUR = 3_600_000;
/** A day far enough ahead that no rule of time gets in the way, on the hour. */
const BASE = Math.ceil((Date.now() + 10 * 24 * HOUR) / HOUR) * HOUR;
const at = (hours: number) => new Date(BASE + hours * HOUR).toISOString();


describe('bookings', () => {
  let f: BookingFixture;
  beforeAll(async () => {
    f = await bookingFixture({ poolMax: 12 });
  });
  afterAll(() => f.close());

  const accessOf = (principal: Awaited<ReturnType<BookingFixture['tenant']>>['principal']) => bookingAccess({ issuer: 'gateway', principal }, 'write');

  it('lets exactly one of 50 concurrent overlapping bookings of one space through; the rest get 409 RESERVATION_OVERLAP', async () => {
    const { principal, spaceIds } = await f.tenant();
    const attempts = Array.from({ length: 50 }, (_, i) =>
      f.booking.create(accessOf(principal), `key-${i}`, { spaceId: spaceIds[0], startTime: at(i % 3), endTime: at(3 + (i % 2)) }).then(
        () => 'booked',
        (error: unknown) => (error instanceof DomainError ? error.code : `unexpected: ${String(error)}`),
      ),
    );
    const outcomes = await Promise.all(attempts);
    expect(outcomes.filter((o) => o === 'booked')).toHaveLength(1);
    expect(outcomes.filter((o) => o !== 'booked')).toEqual(Array(49).fill('RESERVATION_OVERLAP'));
    const [{ active }] = await f.sql<{ active: number }>(`SELECT count(*)::int AS active FROM reservations.reservations WHERE space_id = $1 AND state IN ('confirmed', 'checked_in')`, [spaceIds[0]]);
    expect(active).toBe(1);
  });

  it('names the conflicting window, never its owner, and allows back-to-back bookings', async () => {
    const { principal, spaceIds } = await f.tenant();
    await f.booking.create(accessOf(principal), randomUUID(), { spaceId: spaceIds[0], startTime: at(1), endTime: at(2), userEmail: 'first@example.com' });
    const refused = await refusalOf(f.booking.create(accessOf(principal), randomUUID(), { spaceId: spaceIds[0], startTime: at(1.5), endTime: at(3) }));
    expect(refused.code).toBe('RESERVATION_OVERLAP');
    expect(refused.extras).toEqual({ conflicts: [{ startTime: at(1), endTime: at(2) }] });
    expect(JSON.stringify(refused.toRpcPayload())).not.toContain('first@example.com');
    const before = await f.booking.create(accessOf(principal), randomUUID(), { spaceId: spaceIds[0], startTime: at(0), endTime: at(1) });
    const after = await f.booking.create(accessOf(principal), randomUUID(), { spaceId: spaceIds[0], startTime: at(2), endTime: at(3) });
    expect([before.reservation.state, after.reservation.state]).toEqual(['confirmed', 'confirmed']);
  });

  it('books any free space of a zone, trying the next one when the first is taken', async () => {
    const { principal, zoneId, spaceIds } = await f.tenant({ spaces: 3 });
    const booked = await Promise.all(Array.from({ length: 4 }, (_, i) => f.booking.create(accessOf(principal), `zone-${i}`, { zoneId, startTime: at(5), endTime: at(6) }).catch((e: DomainError) => e.code)));
    const spaces = booked.filter((b): b is Exclude<typeof b, string> => typeof b !== 'string').map((b) => b.reservation.spaceId);
    expect(new Set(spaces)).toEqual(new Set(spaceIds));
    expect(booked.filter((b) => typeof b === 'string')).toEqual(['NO_SPACE_AVAILABLE']);
  });

  describe('a window taken between the read and the insert', () => {
    /** Another session's booking of `spaceId`, inserted and held uncommitted until `commit()`. */
    async function heldBooking(tenantId: string, siteId: string, spaceId: string, from: string, to: string): Promise<{ commit(): Promise<void> }> {
      const other = new Client({ connectionString: f.database.adminUrl });
      await other.connect();
      await other.query('BEGIN');
      await other.query(
        `INSERT INTO reservations.reservations (id, tenant_id, site_id, space_id, period, state, created_by, check_in_opens_at, check_in_closes_at)
         VALUES ($1, $2, $3, $4, tstzrange($5::timestamptz, $6::timestamptz, '[)'), 'confirmed', 'test', $5::timestamptz, $6::timestamptz)`,
        [randomUUID(), tenantId, siteId, spaceId, from, to],
      );
      return {
        async commit() {
          await other.query('COMMIT');
          await other.end();
        },
      };
    }
    /** Until a booking's insert waits for the held one to end (the only session of the test's database that can wait on a lock). */
    const waitingOnLock = () =>
      expectEventually(async () => {
        const [{ n }] = await f.sql<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
        expect(n).toBeGreaterThan(0);
      });

    it('refuses a space booking with 409 naming the window, and keeps that refusal as the key\'s answer', async () => {
      const { principal, siteId, spaceIds } = await f.tenant();
      const held = await heldBooking(principal.tenantId, siteId, spaceIds[0], at(1), at(2));
      const body: CreateReservationBody = { spaceId: spaceIds[0], startTime: at(1.5), endTime: at(3) };
      const booking = refusalOf(f.booking.create(accessOf(principal), 'raced', body));
      await waitingOnLock();
      await held.commit();
      const refused = await booking;
      expect(refused.code).toBe('RESERVATION_OVERLAP');
      expect(refused.extras).toEqual({ conflicts: [{ startTime: at(1), endTime: at(2) }] });
      const replayed = await refusalOf(f.booking.create(accessOf(principal), 'raced', body));
      expect(replayed.toRpcPayload()).toEqual(refused.toRpcPayload());
      const [{ n }] = await f.sql<{ n: number }>(`SELECT count(*)::int AS n FROM reservations.idempotency_keys WHERE caller = $1 AND key = 'raced' AND status = 409`, [principal.actor]);
      expect(n).toBe(1);
    });

    it('reads a zone\'s free spaces again, and refuses once none is left', async () => {
      const { principal, siteId, zoneId, spaceIds } = await f.tenant({ spaces: 1 });
      const held = await heldBooking(principal.tenantId, siteId, spaceIds[0], at(1), at(2));
      const booking = refusalOf(f.booking.create(accessOf(principal), 'zone-raced', { zoneId, startTime: at(1), endTime: at(2) }));
      await waitingOnLock();
      await held.commit();
      expect((await booking).code).toBe('NO_SPACE_AVAILABLE');
      const [{ n }] = await f.sql<{ n: number }>(`SELECT count(*)::int AS n FROM reservations.reservations WHERE space_id = $1`, [spaceIds[0]]);
      expect(n).toBe(1);
    });
  });

  it('agrees with a reference model over random bookings and cancellations, interleaved', async () => {
    const { principal, spaceIds } = await f.tenant({ spaces: 2 });
    const slot = fc.record({ space: fc.integer({ min: 0, max: 1 }), start: fc.integer({ min: 0, max: 20 }), length: fc.integer({ min: 1, max: 4 }) });
    const command = fc.oneof(slot.map((s) => ({ kind: 'book' as const, ...s })), fc.nat().map((n) => ({ kind: 'cancel' as const, pick: n })));
    let round = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 25 }), async (commands) => {
        round += 1;
        const offset = 1000 * round; // each run its own stretch of time
        const model: Array<{ id: string; space: number; start: number; end: number }> = [];
        for (const c of commands) {
          if (c.kind === 'book') {
            const start = offset + c.start;
            const end = start + c.length;
            const expectedFree = !model.some((m) => m.space === c.space && m.start < end && start < m.end);
            const outcome = await f.booking
              .create(accessOf(principal), randomUUID(), { spaceId: spaceIds[c.space], startTime: at(start), endTime: at(end) })
              .then((a) => a.reservation.id, (e: DomainError) => e.code);
            if (expectedFree) {
              expect(outcome).toMatch(/^[0-9a-f-]{36}$/);
              model.push({ id: outcome, space: c.space, start, end });
            } else {
              expect(outcome).toBe('RESERVATION_OVERLAP');
            }
          } else if (model.length > 0) {
            const [cancelled] = model.splice(c.pick % model.length, 1);
            const view = await f.commands.cancel(accessOf(principal), cancelled.id, { reason: 'model' });
            expect(view.state).toBe('cancelled');
          }
        }
        const active = await f.sql<{ id: string }>(
          `SELECT id FROM reservations.reservations WHERE tenant_id = $1 AND state = 'confirmed' AND lower(period) >= $2::timestamptz AND lower(period) < $3::timestamptz`,
          [principal.tenantId, at(offset), at(offset + 100)],
        );
        expect(active.map((r) => r.id).sort()).toEqual(model.map((m) => m.id).sort());
      }),
      { numRuns: 25 },
    );
  });

  describe('Idempotency-Key', () => {
    it('answers the same key with the same body with the first answer, a refusal included', async () => {
      const { principal, spaceIds } = await f.tenant();
      const body: CreateReservationBody = { spaceId: spaceIds[0], startTime: at(1), endTime: at(2) };
      const first = await f.booking.create(accessOf(principal), 'same-key', body);
      const again = await f.booking.create(accessOf(principal), 'same-key', { endTime: at(2), startTime: at(1), spaceId: spaceIds[0] });
      expect(again).toEqual({ reservation: first.reservation, replayed: true });
      expect(first.replayed).toBe(false);
      const [{ n }] = await f.sql<{ n: number }>(`SELECT count(*)::int AS n FROM reservations.reservations WHERE space_id = $1`, [spaceIds[0]]);
      expect(n).toBe(1);
      // A refusal is the key's answer too, even once the space is free again.
      const refused = await refusalOf(f.booking.create(accessOf(principal), 'refused-key', { ...body, startTime: at(1.5) }));
      expect(refused.code).toBe('RESERVATION_OVERLAP');
      await f.commands.cancel(accessOf(principal), first.reservation.id, {});
      const replayed = await refusalOf(f.booking.create(accessOf(principal), 'refused-key', { ...body, startTime: at(1.5) }));
      expect(replayed.toRpcPayload()).toEqual(refused.toRpcPayload());
    });

    it('refuses the same key with another body with 422 IDEMPOTENCY_KEY_REUSED, and scopes keys to the caller', async () => {
      const { principal, spaceIds } = await f.tenant({ spaces: 2 });
      await f.booking.create(accessOf(principal), 'k', { spaceId: spaceIds[0], startTime: at(1), endTime: at(2) });
      const reused = await refusalOf(f.booking.create(accessOf(principal), 'k', { spaceId: spaceIds[1], startTime: at(1), endTime: at(2) }));
      expect(reused.code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(reused.status).toBe(422);
      // Another caller of the same tenant has keys of its own.
      const other = { ...principal, actor: `api-key:${randomUUID()}` };
      const theirs = await f.booking.create(accessOf(other), 'k', { spaceId: spaceIds[1], startTime: at(1), endTime: at(2) });
      expect(theirs.replayed).toBe(false);
    });

    it('answers 409 IDEMPOTENCY_KEY_IN_FLIGHT while the first request with the key still runs', async () => {
      const { principal, spaceIds } = await f.tenant();
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let entered!: () => void;
      const inside = new Promise<void>((resolve) => (entered = resolve));
      const first = f.db.withTenant(principal.tenantId, (tx) =>
        f.idempotency.run(tx, { tenantId: principal.tenantId, caller: principal.actor, key: 'slow', operation: 'create', body: { a: 1 } }, async () => {
          entered();
          await held;
          return { done: true };
        }),
      ).then(settled);
      await inside;
      const second = await refusalOf(f.booking.create(accessOf(principal), 'slow', { spaceId: spaceIds[0], startTime: at(1), endTime: at(2) }));
      expect(second.code).toBe('IDEMPOTENCY_KEY_IN_FLIGHT');
      expect(second.status).toBe(409);
      release();
      await expect(first).resolves.toEqual({ value: { done: true }, replayed: false });
    });

    it('stores nothing for a 5xx (its outcome is unknown): the next try runs again', async () => {
      const { principal } = await f.tenant();
      const request = { tenantId: principal.tenantId, caller: principal.actor, key: 'flaky', operation: 'create', body: { b: 2 } };
      await expect(f.db.withTenant(principal.tenantId, (tx) => f.idempotency.run(tx, request, () => Promise.reject(new Error('connection reset')))).then(settled)).rejects.toThrow('connection reset');
      await expect(
        f.db.withTenant(principal.tenantId, (tx) => f.idempotency.run(tx, request, () => Promise.reject(new DomainError('UNAVAILABLE', 'try later')))).then(settled),
      ).rejects.toMatchObject({ code: 'UNAVAILABLE' });
      const stored = await f.sql(`SELECT 1 FROM reservations.idempotency_keys WHERE caller = $1`, [principal.actor]);
      expect(stored).toEqual([]);
      await expect(f.db.withTenant(principal.tenantId, (tx) => f.idempotency.run(tx, request, async () => 'ran')).then(settled)).resolves.toEqual({ value: 'ran', replayed: false });
    });

    it('runs a request again once its key has expired', async () => {
      const { principal, spaceIds } = await f.tenant();
      const first = await f.booking.create(accessOf(principal), 'old-key', { spaceId: spaceIds[0], startTime: at(1), endTime: at(2) });
      await f.sql(`UPDATE reservations.idempotency_keys SET expires_at = now() - interval '1 second' WHERE caller = $1`, [principal.actor]);
      const again = await refusalOf(f.booking.create(accessOf(principal), 'old-key', { spaceId: spaceIds[0], startTime: at(1), endTime: at(2) }));
      // Run again, the same booking now overlaps the first: a fresh answer, not the replay.
      expect(again.code).toBe('RESERVATION_OVERLAP');
      expect(first.replayed).toBe(false);
    });
  });
});
