import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The process's one registry: default process metrics plus the instruments below. */
export const metricsRegistry = new Registry();
// The event-loop delay monitor wakes the loop every eventLoopMonitoringPrecision ms; at the
// default 10 ms that alone is most of an idle service's CPU. A lag worth alerting on is far
// longer than 100 ms sampling can miss.
collectDefaultMetrics({ register: metricsRegistry, eventLoopMonitoringPrecision: 100 });

const registers = [metricsRegistry];

export const httpRequestDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'Time to answer an HTTP request, by route pattern.',
  labelNames: ['method', 'route', 'status_code'] as const,
  registers,
});

type PendingLabels = { stream: string; consumer: string };
const pendingSources = new Map<string, { labels: PendingLabels; read: () => Promise<number> }>();
/** A scrape does not wait longer than this for a consumer's numbers. */
const PENDING_READ_TIMEOUT_MS = 2_000;

async function readPending(read: () => Promise<number>): Promise<number | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), PENDING_READ_TIMEOUT_MS)));
  try {
    return await Promise.race([read(), timeout]);
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

/** Read from JetStream when scraped, so an idle service asks NATS nothing. */
export const consumerPending = new Gauge({
  name: 'messaging_consumer_pending',
  help: 'Messages in the stream not yet delivered to the consumer.',
  labelNames: ['stream', 'consumer'] as const,
  registers,
  async collect() {
    await Promise.all(
      [...pendingSources.values()].map(async ({ labels, read }) => {
        // Best effort: a consumer that does not answer keeps its last value.
        const pending = await readPending(read);
        if (pending !== undefined) this.set(labels, pending);
      }),
    );
  },
});

/** Reports a consumer's pending count on every scrape of /metrics until the returned function is called. */
export function watchConsumerPending(labels: PendingLabels, read: () => Promise<number>): () => void {
  const key = `${labels.stream}\u0000${labels.consumer}`;
  const source = { labels, read };
  pendingSources.set(key, source);
  return () => {
    if (pendingSources.get(key) === source) pendingSources.delete(key);
  };
}

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

export const chirpstackCallDuration = new Histogram({
  name: 'chirpstack_call_duration_seconds',
  help: 'Time of one attempt of a ChirpStack gRPC call, by method and gRPC status (OK on success).',
  labelNames: ['method', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers,
});

export const chirpstackCircuitState = new Gauge({
  name: 'chirpstack_circuit_state',
  help: "A ChirpStack connection's circuit breaker: 0 closed, 1 half-open (one call tries), 2 open (calls paused).",
  labelNames: ['connection'] as const,
  registers,
});
