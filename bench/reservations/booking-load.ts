import { performance } from 'node:perf_hooks';
import { latencyHistogram, recordMs, summarise, type LatencyHistogram, type LatencySummary } from '../ingest/latency';
import { dueAtMs, dueCount } from '../ingest/schedule';

/** How one booking attempt ended: booked, refused as overlapping, or anything else (named). */
export type Answer = { kind: 'created' } | { kind: 'conflict' } | { kind: 'other'; label: string };

/** Sends one booking and tells how it was answered; never rejects. */
export type Send<T> = (request: T) => Promise<Answer>;

export interface LoadOutcome {
  /** Requests per second scheduled (open loop) or achieved (closed loop). */
  rate: number;
  sent: number;
  /** Wall time from the first send to the last answer, s. */
  seconds: number;
  /** Every request: scheduled send → answer (open loop), send → answer (closed loop). */
  latency: LatencySummary;
  createdLatency?: LatencySummary;
  conflictLatency?: LatencySummary;
  /** How late the generator itself dispatched requests (open loop only). */
  dispatchLag?: LatencySummary;
  created: number;
  conflicts: number;
  /** Answers that are neither, by label (status code, error code, "no answer"). */
  others: Record<string, number>;
  /** Requests in flight on average: summed latency over the wall time. */
  meanInFlight: number;
}

/** Tallies answers and latencies as they come in. */
export class AnswerTally {
  private readonly all: LatencyHistogram = latencyHistogram();
  private readonly createdMs: LatencyHistogram = latencyHistogram();
  private readonly conflictMs: LatencyHistogram = latencyHistogram();
  private summedMs = 0;
  created = 0;
  conflicts = 0;
  readonly others: Record<string, number> = {};
  answered = 0;

  record(answer: Answer, ms: number): void {
    recordMs(this.all, ms);
    this.summedMs += ms;
    this.answered++;
    if (answer.kind === 'created') {
      this.created++;
      recordMs(this.createdMs, ms);
    } else if (answer.kind === 'conflict') {
      this.conflicts++;
      recordMs(this.conflictMs, ms);
    } else {
      this.others[answer.label] = (this.others[answer.label] ?? 0) + 1;
    }
  }

  outcome(rate: number, seconds: number, dispatchLag?: LatencySummary): LoadOutcome {
    return {
      rate,
      sent: this.answered,
      seconds,
      latency: summarise(this.all),
      createdLatency: this.created ? summarise(this.createdMs) : undefined,
      conflictLatency: this.conflicts ? summarise(this.conflictMs) : undefined,
      dispatchLag,
      created: this.created,
      conflicts: this.conflicts,
      others: { ...this.others },
      meanInFlight: seconds > 0 ? this.summedMs / 1000 / seconds : 0,
    };
  }
}

/**
 * Open loop: request i leaves at i / rate s after the start whatever was answered, and its
 * latency counts from then (a stalled server cannot hide its queue). Resolves once all are answered.
 */
export function runOpenLoop<T>(requests: readonly T[], rate: number, send: Send<T>): Promise<LoadOutcome> {
  const tally = new AnswerTally();
  const lag = latencyHistogram();
  const total = requests.length;
  const start = performance.now() + 5;
  let lastAnswerAt = start;
  return new Promise((resolve) => {
    const fire = (request: T, scheduledAt: number) => {
      recordMs(lag, performance.now() - scheduledAt);
      void send(request).then((answer) => {
        const now = performance.now();
        lastAnswerAt = Math.max(lastAnswerAt, now);
        tally.record(answer, now - scheduledAt);
        if (tally.answered === total) resolve(tally.outcome(rate, (lastAnswerAt - start) / 1000, summarise(lag)));
      });
    };
    let next = 0;
    const tick = () => {
      const due = dueCount(performance.now() - start, rate, total);
      for (; next < due; next++) fire(requests[next], start + dueAtMs(next, rate));
      if (next < total) setTimeout(tick, Math.max(0, start + dueAtMs(next, rate) - performance.now()));
    };
    if (total === 0) resolve(tally.outcome(rate, 0));
    else setTimeout(tick, 5);
  });
}

/**
 * Closed loop: `workers` requests in flight at every moment, each worker sending its next
 * request as soon as the last is answered, until `seconds` have passed.
 */
export async function runClosedLoop<T>(next: () => T, workers: number, seconds: number, send: Send<T>): Promise<LoadOutcome> {
  const tally = new AnswerTally();
  const start = performance.now();
  const until = start + seconds * 1000;
  const worker = async () => {
    while (performance.now() < until) {
      const sentAt = performance.now();
      const answer = await send(next());
      tally.record(answer, performance.now() - sentAt);
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  const elapsed = (performance.now() - start) / 1000;
  return tally.outcome(tally.answered / elapsed, elapsed);
}

/** The verdict rule of a rate-search step: nothing but bookings and conflicts, and p99 under the limit. */
export function stepPassed(outcome: LoadOutcome, p99LimitMs: number): boolean {
  return otherCount(outcome) === 0 && outcome.latency.p99 < p99LimitMs;
}

export const otherCount = (outcome: Pick<LoadOutcome, 'others'>): number => Object.values(outcome.others).reduce((a, b) => a + b, 0);

/** Conflicts among the bookings and conflicts (other answers left out). */
export const conflictShare = (outcome: Pick<LoadOutcome, 'created' | 'conflicts'>): number =>
  outcome.created + outcome.conflicts === 0 ? 0 : outcome.conflicts / (outcome.created + outcome.conflicts);

export const othersText = (others: Record<string, number>): string =>
  Object.keys(others).length === 0 ? 'none' : Object.entries(others).map(([label, n]) => `${label}×${n}`).join(' ');

/** One line per step, for the console and the report. */
export function describeLoad(outcome: LoadOutcome): string {
  const l = outcome.latency;
  const lag = outcome.dispatchLag ? `, generator lag p99 ${outcome.dispatchLag.p99.toFixed(1)}` : '';
  const others = otherCount(outcome) ? `, ${otherCount(outcome)} other answers (${othersText(outcome.others)})` : '';
  return (
    `${Math.round(outcome.rate)}/s: p50 ${l.p50.toFixed(1)} p99 ${l.p99.toFixed(1)} p99.9 ${l.p999.toFixed(1)} ms; ` +
    `${outcome.created} booked, ${outcome.conflicts} conflicts (${(conflictShare(outcome) * 100).toFixed(0)} %)${others}; ${outcome.meanInFlight.toFixed(1)} in flight${lag}`
  );
}
