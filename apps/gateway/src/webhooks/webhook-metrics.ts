import { Counter, Gauge, Histogram } from 'prom-client';
import { metricsRegistry } from '@parking/observability';

/** Outcome of one webhook request; `unavailable` (503) and `spool_full` deserve an alert. */
export type WebhookOutcome =
  | 'published'
  | 'spooled'
  | 'unauthenticated'
  | 'forbidden'
  | 'too_large'
  | 'unsupported_media_type'
  | 'invalid'
  | 'rate_limited'
  | 'unavailable';

export const webhookRequests = new Counter({
  name: 'gateway_webhook_requests_total',
  help: 'ChirpStack webhook requests by route and outcome.',
  labelNames: ['route', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const webhookPublishDuration = new Histogram({
  name: 'gateway_webhook_publish_duration_seconds',
  help: 'From publishing a webhook to JetStream until its ack (or failure).',
  labelNames: ['result'] as const,
  buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [metricsRegistry],
});

let spoolStats: () => { events: number; bytes: number } = () => ({ events: 0, bytes: 0 });

/** What the spool gauges read when scraped (none while the spool is not open: zero). */
export function reportSpoolStats(stats: () => { events: number; bytes: number }): void {
  spoolStats = stats;
}

// Read at each scrape rather than kept current by a timer, so an idle gateway does nothing.
export const spoolBytes = new Gauge({
  name: 'gateway_webhook_spool_bytes',
  help: 'Bytes of webhooks in the spool waiting for replay to JetStream.',
  registers: [metricsRegistry],
  collect() {
    this.set(spoolStats().bytes);
  },
});

export const spoolEvents = new Gauge({
  name: 'gateway_webhook_spool_events',
  help: 'Webhooks in the spool waiting for replay to JetStream.',
  registers: [metricsRegistry],
  collect() {
    this.set(spoolStats().events);
  },
});

export const spoolCapacityBytes = new Gauge({
  name: 'gateway_webhook_spool_capacity_bytes',
  help: 'SPOOL_MAX_BYTES: beyond it webhooks are refused with 503.',
  registers: [metricsRegistry],
});

export const spoolReplayed = new Counter({
  name: 'gateway_webhook_spool_replayed_total',
  help: 'Spooled webhooks published to JetStream after NATS came back.',
  registers: [metricsRegistry],
});

export const spoolFull = new Counter({
  name: 'gateway_webhook_spool_full_total',
  help: "Webhooks refused (503) because NATS was unreachable and the spool (scope=spool) or the sending tenant's share of it (scope=tenant) was full. Alert on any increase.",
  labelNames: ['scope'] as const,
  registers: [metricsRegistry],
});
