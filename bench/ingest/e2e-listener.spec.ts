import { deduplicationIdOf, EventArrivals } from './e2e-listener';

describe('EventArrivals', () => {
  it('measures each awaited uplink from its send time to its first event', () => {
    const arrivals = new EventArrivals();
    arrivals.expect('a', 100);
    arrivals.expect('b', 200);
    arrivals.arrived('a', 130);
    arrivals.arrived('a', 500);
    arrivals.arrived('b', 260);
    const result = arrivals.result();
    expect(result).toMatchObject({ expected: 2, received: 2 });
    expect(result.latency?.p50).toBeCloseTo(30, 0);
    expect(result.latency?.max).toBeCloseTo(60, 0);
  });

  it('counts a resent deduplicationId once, from its first send', () => {
    const arrivals = new EventArrivals();
    arrivals.expect('a', 100);
    arrivals.expect('a', 150);
    arrivals.arrived('a', 200);
    expect(arrivals.result()).toMatchObject({ expected: 1, received: 1, latency: { max: 100 } });
  });

  it('ignores events nobody awaits and reports what is still missing', async () => {
    const arrivals = new EventArrivals();
    arrivals.expect('a', 0);
    arrivals.arrived('someone else', 10);
    expect(arrivals.pending).toBe(1);
    expect(await arrivals.settle(60)).toEqual({ expected: 1, received: 0 });
  });
});

describe('EventArrivals.quantileOfExpected', () => {
  it('counts events not seen as infinitely late', () => {
    const arrivals = new EventArrivals();
    for (let i = 0; i < 200; i++) arrivals.expect(`u${i}`, 0);
    for (let i = 0; i < 199; i++) arrivals.arrived(`u${i}`, i + 1);
    // 199 of 200 arrived: the 99th percentile (rank 198) is known, the 99.9th (rank 200) is not.
    expect(arrivals.quantileOfExpected(0.99)).toBe(198);
    expect(arrivals.quantileOfExpected(0.999)).toBe(Infinity);
    arrivals.arrived('u199', 5000);
    expect(arrivals.quantileOfExpected(0.999)).toBe(5000);
  });
});

describe('deduplicationIdOf', () => {
  it("finds the reading's deduplicationId in an occupancy.space.state_changed.v1 envelope", () => {
    const id = '3F1D2C4B-5A69-4788-9A0B-C1D2E3F4A5B6';
    const envelope = JSON.stringify({ type: 'occupancy.space.state_changed.v1', data: { to: 'occupied', reading: { devEui: '70b3d5e75e000001', deduplicationId: id } } });
    expect(deduplicationIdOf(envelope)).toBe(id.toLowerCase());
    expect(deduplicationIdOf(JSON.stringify({ data: { reading: null } }))).toBeUndefined();
  });
});
