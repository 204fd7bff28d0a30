import { EventArrivals } from '../ingest/e2e-listener';
import type { StepOutcome } from '../ingest/open-loop';
import type { BenchUplink } from '../ingest/traffic';
import { eventStepJudge, eventStepVerdict } from './event-step';

const summary = { count: 100, p50: 2, p99: 20, p999: 30, max: 40 };
const outcome = (errors = 0): StepOutcome => ({
  rate: 200,
  sent: 1000,
  seconds: 5,
  latency: summary,
  dispatchLag: summary,
  errors,
  transportErrors: 0,
  invalidSent: 0,
  invalidMisanswered: 0,
  statuses: errors ? { 200: 1000 - errors, 503: errors } : { 200: 1000 },
});
const uplink = (kind: BenchUplink['kind'], deduplicationId?: string): BenchUplink => ({ kind, body: Buffer.from('{}'), deduplicationId });

describe('eventStepVerdict', () => {
  it('passes a step whose webhooks were all accepted and whose event p99 stayed under the limit', () => {
    expect(eventStepVerdict({ outcome: outcome(), expected: 1000, received: 1000, p50: 40, p99: 499 }, 500)).toMatchObject({ passed: true });
  });

  it('fails on the limit, on a refused webhook, and on lost events', () => {
    expect(eventStepVerdict({ outcome: outcome(), expected: 1000, received: 1000, p50: 40, p99: 500 }, 500).passed).toBe(false);
    expect(eventStepVerdict({ outcome: outcome(3), expected: 1000, received: 1000, p50: 40, p99: 100 }, 500)).toMatchObject({ passed: false, note: expect.stringContaining('3 webhooks not 2xx (200×997 503×3)') });
    expect(eventStepVerdict({ outcome: outcome(), expected: 1000, received: 980, p50: 40, p99: Infinity }, 500)).toMatchObject({
      passed: false,
      note: expect.stringContaining('p99 ∞, 20 of 1000 events missing'),
    });
  });
});

describe('eventStepJudge', () => {
  it('awaits the events of valid uplinks only, and judges by them', async () => {
    const arrivals = new EventArrivals();
    const judge = eventStepJudge(() => arrivals, { p99LimitMs: 500, graceMs: 20 });
    judge.onDispatch(uplink('valid', 'a'), 0);
    judge.onDispatch(uplink('duplicate', 'a'), 5);
    judge.onDispatch(uplink('invalid'), 5);
    judge.onDispatch(uplink('valid', 'b'), 10);
    expect(arrivals.expected).toBe(2);
    arrivals.arrived('a', 100);
    expect((await judge.verdict(outcome())).passed).toBe(false);
    arrivals.arrived('b', 200);
    expect(await judge.verdict(outcome())).toMatchObject({ passed: true, note: expect.stringContaining('p99 190.0 ms') });
  });
});
