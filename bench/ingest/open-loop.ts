import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { latencyHistogram, recordMs, summarise, type LatencySummary } from './latency';
import { dueAtMs, dueCount } from './schedule';
import type { BenchUplink } from './traffic';

export interface Endpoint {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** Path with query, e.g. `/api/v1/webhooks/chirpstack?event=up`. */
  path: string;
  headers: Record<string, string>;
}

export interface StepOutcome {
  rate: number;
  sent: number;
  /** Wall time from the first due send to the last answer, s. */
  seconds: number;
  /** Scheduled send → response read, every request. */
  latency: LatencySummary;
  /** How late the generator itself dispatched requests (its own share of the latency). */
  dispatchLag: LatencySummary;
  /** Valid or duplicate bodies answered non-2xx, or not answered at all. */
  errors: number;
  transportErrors: number;
  invalidSent: number;
  /** Invalid bodies answered with something other than 4xx. */
  invalidMisanswered: number;
  statuses: Record<string, number>;
}

export interface StepHooks {
  /** Called as each request is dispatched, with its scheduled send time (performance.now() ms). */
  onDispatch?: (uplink: BenchUplink, scheduledAt: number) => void;
}

/** One connection pool per endpoint: HTTP/1.1, no pipelining, enough connections that the pool is never the queue. */
export function endpointPool(origin: string, connections: number): Pool {
  return new Pool(origin, { connections, pipelining: 1, headersTimeout: 5_000, bodyTimeout: 5_000, keepAliveTimeout: 60_000 });
}

/** Sends every uplink at its scheduled time (open loop) and resolves once all are answered. */
export function runOpenLoopStep(pool: Pool, endpoint: Endpoint, uplinks: readonly BenchUplink[], rate: number, hooks: StepHooks = {}): Promise<StepOutcome> {
  const latency = latencyHistogram();
  const lag = latencyHistogram();
  const statuses: Record<string, number> = {};
  let errors = 0;
  let transportErrors = 0;
  let invalidSent = 0;
  let invalidMisanswered = 0;
  let answered = 0;
  let lastAnswerAt = 0;
  const total = uplinks.length;
  const start = performance.now() + 5;

  return new Promise((resolve) => {
    const finish = () =>
      resolve({
        rate,
        sent: total,
        seconds: (lastAnswerAt - start) / 1000,
        latency: summarise(latency),
        dispatchLag: summarise(lag),
        errors,
        transportErrors,
        invalidSent,
        invalidMisanswered,
        statuses,
      });

    const settle = (uplink: BenchUplink, scheduledAt: number, status: number | undefined) => {
      const now = performance.now();
      lastAnswerAt = Math.max(lastAnswerAt, now);
      recordMs(latency, now - scheduledAt);
      const key = status === undefined ? 'no answer' : String(status);
      statuses[key] = (statuses[key] ?? 0) + 1;
      if (uplink.kind === 'invalid') {
        if (status === undefined || status < 400 || status >= 500) invalidMisanswered++;
      } else if (status === undefined || status < 200 || status >= 300) {
        errors++;
      }
      if (++answered === total) finish();
    };

    const fire = (uplink: BenchUplink, scheduledAt: number) => {
      recordMs(lag, performance.now() - scheduledAt);
      hooks.onDispatch?.(uplink, scheduledAt);
      if (uplink.kind === 'invalid') invalidSent++;
      pool
        .request({ origin: endpoint.origin, path: endpoint.path, method: 'POST', headers: endpoint.headers, body: uplink.body })
        .then(async (response) => {
          await response.body.dump();
          settle(uplink, scheduledAt, response.statusCode);
        })
        .catch(() => {
          transportErrors++;
          settle(uplink, scheduledAt, undefined);
        });
    };

    let next = 0;
    const tick = () => {
      const due = dueCount(performance.now() - start, rate, total);
      for (; next < due; next++) fire(uplinks[next], start + dueAtMs(next, rate));
      if (next < total) setTimeout(tick, Math.max(0, start + dueAtMs(next, rate) - performance.now()));
    };
    setTimeout(tick, 5);
  });
}

/** The verdict rule: p99 under the limit and every valid body answered 2xx. */
export function stepPassed(outcome: StepOutcome, p99LimitMs: number): boolean {
  return outcome.errors === 0 && outcome.latency.p99 < p99LimitMs;
}

export function describeStep(outcome: StepOutcome): string {
  const l = outcome.latency;
  const errors = outcome.errors ? `, ${outcome.errors} errors (${Object.entries(outcome.statuses).map(([s, n]) => `${s}×${n}`).join(' ')})` : '';
  return `${outcome.rate}/s: p50 ${l.p50.toFixed(1)} p99 ${l.p99.toFixed(1)} p99.9 ${l.p999.toFixed(1)} ms (generator lag p99 ${outcome.dispatchLag.p99.toFixed(1)})${errors}`;
}
