import { ContentionSchedule, overlaps, seededRandom, sequentialOutcome, startOfDayAhead, type BookingRequest } from './contention';

const SPACES = Array.from({ length: 10 }, (_, i) => `space-${i}`);
const FIRST = new Date('2026-12-08T00:00:00Z');

function schedule(seed = 1, contenders = 50): ContentionSchedule {
  let n = 0;
  return new ContentionSchedule({ spaceIds: SPACES, contenders, firstStart: FIRST, random: seededRandom(seed), key: () => `key-${n++}` });
}

const rounds = (requests: readonly BookingRequest[]) => {
  const byRound = new Map<number, BookingRequest[]>();
  for (const r of requests) byRound.set(r.round, [...(byRound.get(r.round) ?? []), r]);
  return byRound;
};

describe('the contention schedule', () => {
  it('puts `contenders` requests in each round, each with its own Idempotency-Key', () => {
    const requests = schedule().take(175);
    expect([...rounds(requests)].map(([round, list]) => [round, list.length])).toEqual([
      [0, 50],
      [1, 50],
      [2, 50],
      [3, 25],
    ]);
    expect(new Set(requests.map((r) => r.idempotencyKey)).size).toBe(175);
  });

  it('books windows of 30 to 90 minutes on the half-hour grid, inside the round’s 3-hour stretch', () => {
    const s = schedule();
    expect(s.roundMs).toBe(3 * 3_600_000);
    const misplaced = s.take(500).filter((r) => {
      const start = Date.parse(r.startTime);
      const end = Date.parse(r.endTime);
      const roundStart = FIRST.getTime() + r.round * s.roundMs;
      return (
        ![30, 60, 90].includes((end - start) / 60_000) ||
        (start - roundStart) % (30 * 60_000) !== 0 ||
        start < roundStart ||
        end > roundStart + s.roundMs ||
        r.spaceId !== SPACES[r.spaceIndex]
      );
    });
    expect(misplaced).toEqual([]);
  });

  it('spreads a round over every space and every start, so most of its requests want a window someone else wants too', () => {
    const requests = schedule(7).take(5_000);
    const spaces = new Set(requests.map((r) => r.spaceIndex));
    const starts = new Set(requests.map((r) => (Date.parse(r.startTime) - FIRST.getTime()) % (3 * 3_600_000)));
    expect(spaces.size).toBe(10);
    expect(starts.size).toBe(4);
    let contested = 0;
    for (const [, list] of rounds(requests)) {
      for (const r of list) if (list.some((o) => o !== r && o.spaceId === r.spaceId && overlaps(o, r))) contested++;
    }
    expect(contested / requests.length).toBeGreaterThan(0.9);
  });

  it('never lets windows of different rounds overlap, so a long run does not book the calendar out', () => {
    const requests = schedule(3).take(1_000);
    let across = 0;
    for (const a of requests.slice(0, 200)) {
      for (const b of requests) if (a.round !== b.round && overlaps(a, b)) across++;
    }
    expect(across).toBe(0);
    // Each round books about as much as the first: conflicts do not pile up over time.
    const perRound = [...rounds(requests)].map(([, list]) => sequentialOutcome(list).created);
    expect(Math.min(...perRound)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...perRound)).toBeLessThanOrEqual(30);
  });

  it('produces both bookings and conflicts in a fair share', () => {
    const { created, conflicts } = sequentialOutcome(schedule(11).take(5_000));
    expect(created + conflicts).toBe(5_000);
    expect(conflicts / 5_000).toBeGreaterThan(0.4);
    expect(conflicts / 5_000).toBeLessThan(0.8);
  });

  it('repeats the same pattern for the same seed', () => {
    const strip = (r: BookingRequest) => [r.spaceIndex, r.startTime, r.endTime];
    expect(schedule(5).take(100).map(strip)).toEqual(schedule(5).take(100).map(strip));
    expect(schedule(5).take(100).map(strip)).not.toEqual(schedule(6).take(100).map(strip));
  });

  it('refuses a schedule without spaces or contenders, or with window lengths out of order', () => {
    expect(() => new ContentionSchedule({ spaceIds: [], contenders: 50, firstStart: FIRST })).toThrow('at least one space');
    expect(() => new ContentionSchedule({ spaceIds: SPACES, contenders: 0, firstStart: FIRST })).toThrow('contender');
    expect(() => new ContentionSchedule({ spaceIds: SPACES, contenders: 5, firstStart: FIRST, minSlots: 3, maxSlots: 2 })).toThrow('minSlots');
  });
});

describe('overlaps', () => {
  const w = (start: string, end: string) => ({ startTime: `2026-12-08T${start}:00Z`, endTime: `2026-12-08T${end}:00Z` });

  it('treats windows as half-open: back to back is no overlap', () => {
    expect(overlaps(w('10:00', '11:00'), w('11:00', '12:00'))).toBe(false);
    expect(overlaps(w('10:00', '11:00'), w('10:30', '12:00'))).toBe(true);
    expect(overlaps(w('10:00', '12:00'), w('10:30', '11:00'))).toBe(true);
  });
});

describe('sequentialOutcome', () => {
  it('books the first of overlapping requests on a space and refuses the rest', () => {
    const r = (spaceId: string, start: string, end: string) =>
      ({ round: 0, spaceIndex: 0, spaceId, startTime: `2026-12-08T${start}:00Z`, endTime: `2026-12-08T${end}:00Z`, idempotencyKey: 'k' }) as BookingRequest;
    expect(sequentialOutcome([r('a', '10:00', '11:00'), r('a', '10:30', '11:30'), r('b', '10:30', '11:30'), r('a', '11:00', '12:00')])).toEqual({ created: 3, conflicts: 1 });
  });
});

describe('startOfDayAhead', () => {
  it('is midnight UTC, whole days after today', () => {
    expect(startOfDayAhead(new Date('2026-12-06T14:59:13Z'), 2).toISOString()).toBe('2026-12-08T00:00:00.000Z');
    expect(startOfDayAhead(new Date('2026-12-31T23:59:59Z'), 1).toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });
});

describe('seededRandom', () => {
  it('stays in [0, 1)', () => {
    const random = seededRandom(42);
    const draws = Array.from({ length: 10_000 }, random);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
  });
});
