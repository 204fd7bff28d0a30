import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The process's one registry: default process metrics plus the instruments below. */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

const registers = [metricsRegistry];

export const httpRequestDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'Time to answer an HTTP request, by route pattern.',
  labelNames: ['method', 'route', 'status_code'] as const,
  registers,
});

export const consumerPending = new Gauge({
  name: 'messaging_consumer_pending',
  help: 'Messages in the stream not yet delivered to the consumer.',
  labelNames: ['stream', 'consumer'] as const,
  registers,
});

export const consumerRedeliveries = new Counter({
  name: 'messaging_consumer_redeliveries_total',
  help: 'Messages delivered to the consumer more than once.',
  labelNames: ['stream', 'consumer'] as const,
  registers,
});

/** Outcomes a consumer records per message. */
export type MessageOutcome = 'ack' | 'nak' | 'term' | 'duplicate';

export const messagesHandled = new Counter({
  name: 'messaging_messages_handled_total',
  help: 'Messages handled by a consumer, by outcome (ack, nak, term, duplicate).',
  labelNames: ['consumer', 'outcome'] as const,
  registers,
});

export const deadLetters = new Counter({
  name: 'messaging_dead_letters_total',
  help: 'Messages a consumer dead-lettered, by reason.',
  labelNames: ['consumer', 'reason'] as const,
  registers,
});

export const outboxBacklog = new Gauge({
  name: 'outbox_backlog',
  help: 'Outbox rows written but not yet published.',
  labelNames: ['schema'] as const,
  registers,
});

export const outboxPublished = new Counter({
  name: 'outbox_published_total',
  help: 'Outbox rows published to JetStream.',
  labelNames: ['schema'] as const,
  registers,
});
