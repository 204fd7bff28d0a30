import { performance } from 'node:perf_hooks';
import type { NatsConnection, Subscription } from '@nats-io/nats-core';
import { Namespace } from '@parking/contracts';
import { latencyHistogram, recordMs, summarise, type LatencySummary } from './latency';

export const UPLINK_RECEIVED = 'ingest.uplink.received.v1';

export interface EndToEndResult {
  expected: number;
  received: number;
  latency?: LatencySummary;
}

const DEDUP_ID = /"deduplicationId"\s*:\s*"([0-9a-fA-F-]{36})"/;

/** The deduplicationId an `ingest.uplink.received.v1` envelope carries in its data, if any. */
export function deduplicationIdOf(payload: string): string | undefined {
  return DEDUP_ID.exec(payload)?.[1]?.toLowerCase();
}

/**
 * Webhook send → `ingest.uplink.received.v1` seen by a plain NATS subscriber (every
 * JetStream publish is also delivered to core subscribers of its subject).
 */
export class EndToEndListener {
  private readonly sentAt = new Map<string, number>();
  private readonly latencies: number[] = [];
  private subscription?: Subscription;
  private seen = 0;

  constructor(
    private readonly nc: NatsConnection,
    private readonly namespace: Namespace,
  ) {}

  start(): void {
    this.subscription = this.nc.subscribe(this.namespace.subject(`${UPLINK_RECEIVED}.>`), {
      callback: (error, message) => {
        if (error) return;
        this.seen++;
        const id = deduplicationIdOf(message.string());
        const sent = id === undefined ? undefined : this.sentAt.get(id);
        if (sent === undefined) return;
        this.latencies.push(performance.now() - sent);
        this.sentAt.delete(id as string);
      },
    });
  }

  /** Only the first send of a deduplicationId counts; a duplicate must not make a second event. */
  expect(deduplicationId: string, scheduledAt: number): void {
    if (!this.sentAt.has(deduplicationId)) this.sentAt.set(deduplicationId, scheduledAt);
  }

  /** Events of any uplink seen so far (also those sent before expect() was used). */
  get eventsSeen(): number {
    return this.seen;
  }

  /** Waits until every expected event arrived, or the time is up. */
  async settle(timeoutMs: number, expected: number): Promise<EndToEndResult> {
    const until = performance.now() + timeoutMs;
    while (this.sentAt.size > 0 && performance.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
    if (this.latencies.length === 0) return { expected, received: 0 };
    const histogram = latencyHistogram();
    for (const ms of this.latencies) recordMs(histogram, ms);
    return { expected, received: this.latencies.length, latency: summarise(histogram) };
  }

  stop(): void {
    this.subscription?.unsubscribe();
  }
}
