/**
 * What the reservations service settles after it was down, end to end through the compiled
 * processes: while it is stopped, bookings start and end and sensors keep reporting through
 * the ChirpStack webhook to occupancy; once it is back, each booking ends up as if the service
 * had never stopped, judged by the times of the readings it missed, not by when it read them.
 *
 * One outage covers three bookings of their own bays, as a real outage would:
 * - (a) its start and the close of its check-in window fall in the outage, and so does the arrival;
 * - (b) its start and end fall in the outage, and nobody comes;
 * - (c) checked in before the outage; its end and the departure fall in the outage.
 */
import { expectEventually } from '@parking/testing';
import { eventNames, PRICE_PER_MINUTE, SLOW, startLifecycleStack, untilPast, type LifecycleStack, type SensorBay } from './lifecycle-stack';

interface Booking {
  id: string;
  startTime: string;
  endTime: string;
  checkInWindow: { opensAt: string; closesAt: string };
}

describe('the booking lifecycle after the reservations service was down', () => {
  let stack: LifecycleStack;
  const bays = {} as Record<'a' | 'b' | 'c', SensorBay>;
  const booked = {} as Record<'a' | 'b' | 'c', Booking>;
  /** When occupancy saw (a)'s car arrive and (c)'s leave, both during the outage. */
  let arrivedAt: string;
  let leftAt: string;
  let restartedAt: number;

  beforeAll(async () => {
    stack = await startLifecycleStack('after-downtime');
    [bays.a, bays.b, bays.c] = await Promise.all((['a', 'b', 'c'] as const).map((name) => stack.sensorBay(`Outage ${name}`)));

    // (c) lasts a minute so that leaving after its end costs another started minute.
    booked.c = await stack.book(bays.c, 3_000, 60_000);
    // (a) and (b) start once the service is down: (a) runs past the close of its window (a minute after the start), (b) ends soon.
    booked.a = await stack.book(bays.a, 15_000, 120_000);
    booked.b = await stack.book(bays.b, 15_000, 10_000);
    expect(Date.parse(booked.a.checkInWindow.closesAt)).toBe(Date.parse(booked.a.startTime) + 60_000);
    expect(booked.b.checkInWindow.closesAt).toBe(booked.b.endTime);

    await stack.expectOccupancy(bays.c, 'reserved');
    await stack.uplink(bays.c, true);
    await expectEventually(async () => expect((await stack.reservation(booked.c.id)).state).toBe('checked_in'), SLOW);
    // The service's read model must hold (c)'s space occupied before it stops, as it would after any arrival.
    await expectEventually(async () => expect(await stack.sql('SELECT state FROM reservations.spaces WHERE id = $1', [bays.c.spaceId])).toEqual([{ state: 'occupied' }]), SLOW);

    const exit = await stack.stopService('reservations');
    // Stopped as a deployment stops it (it may end by re-raising the signal), not killed by the launcher.
    expect(exit.code === 0 || exit.signal === 'SIGTERM').toBe(true);
    // Neither (a) nor (b) may have started before the service stopped, or the outage would not cover their start.
    expect(await stack.sql('SELECT started_at FROM reservations.reservations WHERE id = ANY ($1::uuid[])', [[booked.a.id, booked.b.id]])).toEqual([{ started_at: null }, { started_at: null }]);

    await untilPast(booked.a.startTime, 1_000);
    await stack.uplink(bays.a, true);
    await stack.expectOccupancy(bays.a, 'occupied');
    arrivedAt = (await stack.lastTransitionTo(bays.a, 'occupied')).at;

    await untilPast(booked.c.endTime, 1_000);
    await stack.uplink(bays.c, false);
    // The booking has not ended for occupancy (nobody told it): the space shows reserved, not free.
    await stack.expectOccupancy(bays.c, 'reserved');
    leftAt = (await stack.lastTransitionTo(bays.c, 'reserved')).at;

    await untilPast(booked.a.checkInWindow.closesAt, 1_000);
    restartedAt = Date.now();
    await stack.startService('reservations');
  }, 240_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('(a) checks in a car that arrived during the outage, though the window closed before the restart', async () => {
    const reservation = await expectEventually(async () => {
      const current = await stack.reservation(booked.a.id);
      expect(current).toMatchObject({ state: 'checked_in', checkedInAt: arrivedAt });
      return current;
    }, SLOW);
    expect(Date.parse(arrivedAt)).toBeLessThan(Date.parse(booked.a.checkInWindow.closesAt));
    expect(reservation).toMatchObject({ overstayedAt: null, endedAt: null, charged: { amount: 0, currency: 'EUR' } });
    await stack.expectOccupancy(bays.a, 'occupied');
    await expectEventually(async () => {
      const names = eventNames(await stack.reservationEvents(booked.a.id));
      expect(names).toContain('checked_in');
      expect(names).not.toContain('ended');
    }, SLOW);
  });

  it('(b) declares a no-show dated at the close of the window when nobody came during the outage', async () => {
    await expectEventually(
      async () =>
        expect(await stack.reservation(booked.b.id)).toMatchObject({
          state: 'no_show',
          checkedInAt: null,
          endedAt: booked.b.checkInWindow.closesAt,
          charged: { amount: PRICE_PER_MINUTE, currency: 'EUR' },
        }),
      SLOW,
    );
    const events = await expectEventually(async () => {
      const envelopes = await stack.reservationEvents(booked.b.id);
      expect(eventNames(envelopes).at(-1)).toBe('ended');
      return envelopes;
    }, SLOW);
    expect(eventNames(events)).not.toContain('checked_in');
    expect(events.at(-1)?.data).toMatchObject({ reason: 'no_show', endedAt: booked.b.checkInWindow.closesAt });
    await stack.expectOccupancy(bays.b, 'free');
  });

  it('(c) completes a booking whose car left during the outage after its end, charging the overstay until it left', async () => {
    const reservation = await expectEventually(async () => {
      const current = await stack.reservation(booked.c.id);
      expect(current).toMatchObject({ state: 'completed', leftAt, endedAt: leftAt });
      return current;
    }, SLOW);
    expect(Date.parse(leftAt)).toBeGreaterThan(Date.parse(booked.c.endTime));
    expect(Date.parse(leftAt)).toBeLessThan(restartedAt);
    // The booked minute, and one more started minute until the car left.
    expect(reservation.charged).toEqual({ amount: 2 * PRICE_PER_MINUTE, currency: 'EUR' });
    // The departure was read before the end was judged: the car had already left, so it is not said to stay.
    expect(reservation.overstayedAt).toBeNull();
    const events = await expectEventually(async () => {
      const envelopes = await stack.reservationEvents(booked.c.id);
      expect(eventNames(envelopes)).toEqual(['created', 'started', 'checked_in', 'ended']);
      return envelopes;
    }, SLOW);
    expect(events[3].data).toMatchObject({ reason: 'completed', endedAt: leftAt });
    await stack.expectOccupancy(bays.c, 'free');
  });
});
