/**
 * A booking's life driven by its sensor, end to end: ChirpStack uplinks to the gateway's
 * webhook, decoded by ingest, turned into space states by occupancy, and judged by the
 * reservations service's consumer and its lifecycle jobs (every second here), all compiled
 * processes over PostgreSQL and NATS. The REST API, occupancy's counts and the RESERVATIONS
 * stream show each step.
 */
import type { ReservationsEvents } from '@parking/contracts';
import { expectEventually } from '@parking/testing';
import { eventNames, PRICE_PER_MINUTE, SLOW, startLifecycleStack, untilPast, type LifecycleStack, type SensorBay } from './lifecycle-stack';

describe('the booking lifecycle through the ChirpStack webhook', () => {
  let stack: LifecycleStack;
  let arrivalBay: SensorBay;
  let noShowBay: SensorBay;
  /** Booked in the first test, overstayed in the last: an overstay is charged only a started minute after the start. */
  let stay: { id: string; startTime: string; endTime: string };

  beforeAll(async () => {
    stack = await startLifecycleStack('lifecycle-webhook');
    [arrivalBay, noShowBay] = await Promise.all([stack.sensorBay('Arrivals'), stack.sensorBay('No-shows')]);
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('holds the space from the start, and an occupied uplink inside the check-in window checks the booking in', async () => {
    const booked = await stack.book(arrivalBay, 4_000, 60_000);
    stay = booked;
    expect(booked).toMatchObject({
      state: 'confirmed',
      price: { amount: PRICE_PER_MINUTE, currency: 'EUR' },
      checkInWindow: { opensAt: booked.startTime, closesAt: booked.endTime },
      startedAt: null,
    });

    // The window opens at the start: the jobs hold the space and occupancy shows it reserved.
    const held = await stack.expectOccupancy(arrivalBay, 'reserved');
    expect(held).toMatchObject({ sensorOccupied: false, reservationActive: true });
    const started = await stack.reservation(booked.id);
    expect(started).toMatchObject({ state: 'confirmed', checkedInAt: null });
    expect(Date.parse(started.startedAt)).toBeGreaterThanOrEqual(Date.parse(booked.startTime));

    await stack.uplink(arrivalBay, true);
    await stack.expectOccupancy(arrivalBay, 'occupied');
    const arrival = await stack.lastTransitionTo(arrivalBay, 'occupied');
    expect(arrival).toMatchObject({ from: 'reserved', cause: 'sensor' });
    // Checked in at the time occupancy saw the car, as the sensor's change said.
    await expectEventually(async () => expect(await stack.reservation(booked.id)).toMatchObject({ state: 'checked_in', checkedInAt: arrival.at }), SLOW);

    const events = await expectEventually(async () => {
      const envelopes = await stack.reservationEvents(booked.id);
      expect(eventNames(envelopes)).toEqual(['created', 'started', 'checked_in']);
      return envelopes;
    }, SLOW);
    expect(events[0].data).toMatchObject({ reservationId: booked.id, spaceId: arrivalBay.spaceId, from: booked.startTime, to: booked.endTime, price: PRICE_PER_MINUTE, currency: 'EUR' });
    expect(events[1].data).toMatchObject({ spaceId: arrivalBay.spaceId, from: booked.startTime, to: booked.endTime, startedAt: started.startedAt });
    expect(events[2].data).toEqual<ReservationsEvents.ReservationCheckedInV1Data>({
      tenantId: stack.tenantId,
      reservationId: booked.id,
      spaceId: arrivalBay.spaceId,
      siteId: arrivalBay.siteId,
      checkedInAt: arrival.at,
      by: 'sensor',
    });
  }, 60_000);

  it('declares a no-show when the window closes without an arrival, forfeits the price and frees the space', async () => {
    const booked = await stack.book(noShowBay, 3_000, 10_000);
    // Shorter than the minute after the start: arrivals count until the end.
    expect(booked.checkInWindow).toEqual({ opensAt: booked.startTime, closesAt: booked.endTime });
    await stack.expectOccupancy(noShowBay, 'reserved');

    await untilPast(booked.endTime);
    await expectEventually(
      async () =>
        expect(await stack.reservation(booked.id)).toMatchObject({
          state: 'no_show',
          checkedInAt: null,
          // Dated when the window closed, whenever the jobs noticed.
          endedAt: booked.checkInWindow.closesAt,
          charged: { amount: PRICE_PER_MINUTE, currency: 'EUR' },
        }),
      SLOW,
    );
    const freed = await stack.expectOccupancy(noShowBay, 'free');
    expect(freed).toMatchObject({ sensorOccupied: false, reservationActive: false });
    expect(await stack.lastTransitionTo(noShowBay, 'free')).toMatchObject({ from: 'reserved', cause: 'reservation' });

    const events = await expectEventually(async () => {
      const envelopes = await stack.reservationEvents(booked.id);
      expect(eventNames(envelopes)).toEqual(['created', 'started', 'ended']);
      return envelopes;
    }, SLOW);
    expect(events[2].data).toEqual<ReservationsEvents.ReservationEndedV1Data>({
      tenantId: stack.tenantId,
      reservationId: booked.id,
      spaceId: noShowBay.spaceId,
      siteId: noShowBay.siteId,
      reason: 'no_show',
      endedAt: booked.checkInWindow.closesAt,
    });
  }, 60_000);

  it('says once that a car stayed past the end, and charges the overstay when a free uplink says it left', async () => {
    expect(stay).toBeDefined();
    await untilPast(stay.endTime);
    const overstayed = await expectEventually(async () => {
      const reservation = await stack.reservation(stay.id);
      expect(reservation).toMatchObject({ state: 'checked_in', leftAt: null, endedAt: null, overstayedAt: expect.any(String) });
      return reservation;
    }, SLOW);
    expect(Date.parse(overstayed.overstayedAt)).toBeGreaterThanOrEqual(Date.parse(stay.endTime));
    // Still booked and still there: the space stays occupied.
    await stack.expectOccupancy(arrivalBay, 'occupied');
    const said = await expectEventually(async () => {
      const envelopes = await stack.reservationEvents(stay.id);
      expect(eventNames(envelopes)).toEqual(['created', 'started', 'checked_in', 'overstayed']);
      return envelopes;
    }, SLOW);
    expect(said[3].data).toEqual<ReservationsEvents.ReservationOverstayedV1Data>({
      tenantId: stack.tenantId,
      reservationId: stay.id,
      spaceId: arrivalBay.spaceId,
      siteId: arrivalBay.siteId,
      to: stay.endTime,
      overstayedAt: overstayed.overstayedAt,
    });

    await stack.uplink(arrivalBay, false);
    // The booking ends once the reservations service hears of the departure; until then the space shows reserved.
    await stack.expectOccupancy(arrivalBay, 'free');
    const departure = await stack.lastTransitionTo(arrivalBay, 'reserved');
    expect(departure).toMatchObject({ from: 'occupied', cause: 'sensor' });
    const completed = await expectEventually(async () => {
      const reservation = await stack.reservation(stay.id);
      expect(reservation).toMatchObject({ state: 'completed', leftAt: departure.at, endedAt: departure.at, overstayedAt: overstayed.overstayedAt });
      return reservation;
    }, SLOW);
    // The booked minute, and one more started minute until the car left.
    expect(completed.price).toEqual({ amount: PRICE_PER_MINUTE, currency: 'EUR' });
    expect(completed.charged).toEqual({ amount: 2 * PRICE_PER_MINUTE, currency: 'EUR' });

    const events = await expectEventually(async () => {
      const envelopes = await stack.reservationEvents(stay.id);
      expect(eventNames(envelopes)).toEqual(['created', 'started', 'checked_in', 'overstayed', 'ended']);
      return envelopes;
    }, SLOW);
    expect(events[4].data).toMatchObject({ reservationId: stay.id, reason: 'completed', endedAt: departure.at });
  }, 120_000);
});
