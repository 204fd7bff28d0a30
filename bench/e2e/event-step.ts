import type { EventArrivals } from '../ingest/e2e-listener';
import type { StepJudge } from '../ingest/measure-endpoint';
import type { StepOutcome } from '../ingest/open-loop';

/** What one rate-search step of the whole stack showed, for the rule below. */
export interface EventStep {
  outcome: StepOutcome;
  /** Awaited events (one per valid uplink sent). */
  expected: number;
  received: number;
  /** Webhook sent → event, over all awaited events, one not seen in time counting as infinitely late. */
  p50: number;
  p99: number;
}

const msText = (value: number) => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : '∞');

/**
 * The sustainable-rate rule of the whole stack: a step passes when every valid webhook was
 * answered 2xx and the 99th percentile of webhook sent → `occupancy.space.state_changed.v1`
 * received stayed below the limit, an event that did not arrive within the grace period
 * counting as infinitely late (so more than 1 % lost or late fails the step).
 */
export function eventStepVerdict(step: EventStep, p99LimitMs: number): { passed: boolean; note: string } {
  const { outcome } = step;
  const passed = outcome.errors === 0 && step.p99 < p99LimitMs;
  const errors = outcome.errors ? `, ${outcome.errors} webhooks not 2xx (${Object.entries(outcome.statuses).map(([s, n]) => `${s}×${n}`).join(' ')})` : '';
  const missing = step.expected - step.received;
  const note =
    `${outcome.rate}/s: webhook → event p50 ${msText(step.p50)} p99 ${msText(step.p99)}` +
    `${missing ? `, ${missing} of ${step.expected} events missing` : ''}; webhook answered p99 ${outcome.latency.p99.toFixed(1)} ms` +
    ` (generator lag p99 ${outcome.dispatchLag.p99.toFixed(1)})${errors}`;
  return { passed, note };
}

/** A StepJudge that awaits each valid uplink's event and applies eventStepVerdict. */
export function eventStepJudge(track: () => EventArrivals, options: { p99LimitMs: number; graceMs: number }): StepJudge {
  const arrivals = track();
  return {
    onDispatch: (uplink, scheduledAt) => {
      if (uplink.kind === 'valid' && uplink.deduplicationId) arrivals.expect(uplink.deduplicationId, scheduledAt);
    },
    verdict: async (outcome) => {
      const result = await arrivals.settle(options.graceMs);
      return eventStepVerdict(
        { outcome, expected: result.expected, received: result.received, p50: arrivals.quantileOfExpected(0.5), p99: arrivals.quantileOfExpected(0.99) },
        options.p99LimitMs,
      );
    },
  };
}
