import { AnswerTally, conflictShare, describeLoad, otherCount, runClosedLoop, runOpenLoop, stepPassed, type Answer } from './booking-load';

const created: Answer = { kind: 'created' };
const conflict: Answer = { kind: 'conflict' };

describe('AnswerTally', () => {
  it('counts bookings, conflicts and other answers by label, with latencies of each', () => {
    const tally = new AnswerTally();
    tally.record(created, 10);
    tally.record(conflict, 4);
    tally.record(conflict, 6);
    tally.record({ kind: 'other', label: '429 RATE_LIMITED' }, 1);
    tally.record({ kind: 'other', label: '429 RATE_LIMITED' }, 1);
    const outcome = tally.outcome(100, 2);
    expect(outcome).toMatchObject({ rate: 100, sent: 5, created: 1, conflicts: 2, others: { '429 RATE_LIMITED': 2 } });
    expect(outcome.createdLatency?.p50).toBeCloseTo(10, 1);
    expect(outcome.conflictLatency?.max).toBeCloseTo(6, 1);
    // 22 ms of requests over 2 s.
    expect(outcome.meanInFlight).toBeCloseTo(0.011, 6);
    expect(otherCount(outcome)).toBe(2);
  });
});

describe('the step rule', () => {
  const outcome = (p99: number, others: Record<string, number> = {}) => ({ ...new AnswerTally().outcome(100, 1), latency: { count: 1, p50: 1, p99, p999: p99, max: p99 }, others });

  it('passes on p99 under the limit with nothing but 201 and 409', () => {
    expect(stepPassed(outcome(49.9), 50)).toBe(true);
    expect(stepPassed(outcome(50), 50)).toBe(false);
    expect(stepPassed(outcome(5, { '500 INTERNAL': 1 }), 50)).toBe(false);
  });

  it('tells the conflict share among bookings and conflicts', () => {
    expect(conflictShare({ created: 1, conflicts: 3 })).toBe(0.75);
    expect(conflictShare({ created: 0, conflicts: 0 })).toBe(0);
  });

  it('describes a step on one line', () => {
    const tally = new AnswerTally();
    tally.record(created, 2);
    tally.record({ kind: 'other', label: '503' }, 2);
    expect(describeLoad(tally.outcome(200, 1))).toMatch(/^200\/s: p50 2\.0 p99 2\.0 p99\.9 2\.0 ms; 1 booked, 0 conflicts \(0 %\), 1 other answers \(503×1\); 0\.0 in flight$/);
  });
});

describe('runOpenLoop', () => {
  it('sends every request on schedule whatever the answers, and counts latency from the scheduled time', async () => {
    // No answer comes until the fifth request has left: a loop that waited for answers would never finish.
    let releaseAnswers!: () => void;
    const allSent = new Promise<void>((resolve) => (releaseAnswers = resolve));
    let sent = 0;
    const outcome = await runOpenLoop([1, 2, 3, 4, 5], 100, async (i) => {
      if (++sent === 5) releaseAnswers();
      await allSent;
      return i % 2 ? created : conflict;
    });
    expect(outcome).toMatchObject({ rate: 100, sent: 5, created: 3, conflicts: 2 });
    // The first request was due 40 ms before the fifth and answered after it left.
    expect(outcome.latency.max).toBeGreaterThanOrEqual(39);
    expect(outcome.dispatchLag).toBeDefined();
  });

  it('resolves at once for an empty step', async () => {
    expect((await runOpenLoop([], 100, async () => created)).sent).toBe(0);
  });
});

describe('runClosedLoop', () => {
  it('keeps `workers` requests in flight until the time is up', async () => {
    let inFlight = 0;
    let most = 0;
    let n = 0;
    const outcome = await runClosedLoop(
      () => n++,
      4,
      0.1,
      async () => {
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
        return created;
      },
    );
    expect(most).toBe(4);
    expect(outcome.sent).toBe(n);
    expect(outcome.sent).toBeGreaterThanOrEqual(8);
    expect(outcome.meanInFlight).toBeGreaterThan(2);
    expect(outcome.dispatchLag).toBeUndefined();
  });
});
