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

/**
 * The deduplicationId an event envelope carries in its data, if any: the uplink's own in
 * `ingest.uplink.received.v1`, the reading's in `occupancy.space.state_changed.v1`.
 */
export function deduplicationIdOf(payload: string): string | undefined {
  return DEDUP_ID.exec(payload)?.[1]?.toLowerCase();
}

/** Send times of uplinks whose event is awaited, and the latencies of those whose event came. */
export class EventArrivals {
  private readonly sentAt = new Map<string, number>();
  private readonly latencies: number[] = [];
  private expectedCount = 0;

  /** Only the first send of a deduplicationId counts; a duplicate must not make a second event. */
  expect(deduplicationId: string, scheduledAt: number): void {
    if (this.sentAt.has(deduplicationId)) return;
    this.sentAt.set(deduplicationId, scheduledAt);
    this.expectedCount++;
  }

  /** An event for `deduplicationId` seen at `at` (performance.now() ms); events nobody awaits are ignored. */
  arrived(deduplicationId: string, at: number): void {
    const sent = this.sentAt.get(deduplicationId);
    if (sent === undefined) return;
    this.latencies.push(at - sent);
    this.sentAt.delete(deduplicationId);
  }

  get pending(): number {
    return this.sentAt.size;
  }

  get expected(): number {
    return this.expectedCount;
  }

  /** Waits until every awaited event arrived, or the time is up. */
  async settle(timeoutMs: number): Promise<EndToEndResult> {
    const until = performance.now() + timeoutMs;
    while (this.sentAt.size > 0 && performance.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
    return this.result();
  }

  /**
   * The latency that a share `q` of the awaited uplinks' events stayed within, an event not
   * (yet) seen counting as infinitely late: a step that loses events cannot pass on the
   * quick ones that did arrive.
   */
  quantileOfExpected(q: number): number {
    const rank = Math.max(1, Math.ceil(q * this.expectedCount));
    if (rank > this.latencies.length) return Infinity;
    return [...this.latencies].sort((a, b) => a - b)[rank - 1];
  }

  result(): EndToEndResult {
    if (this.latencies.length === 0) return { expected: this.expectedCount, received: 0 };
    const histogram = latencyHistogram();
    for (const ms of this.latencies) recordMs(histogram, ms);
    return { expected: this.expectedCount, received: this.latencies.length, latency: summarise(histogram) };
  }
}

/**
 * Webhook send → an event about that uplink seen by a plain NATS subscriber (every
 * JetStream publish is also delivered to core subscribers of its subject). By default
 * `ingest.uplink.received.v1`; `track()` starts a fresh count (one per rate step).
 */
export class EndToEndListener {
  private arrivals = new EventArrivals();
  private subscription?: Subscription;
  private seen = 0;

  constructor(
    private readonly nc: NatsConnection,
    private readonly namespace: Namespace,
    private readonly eventType: string = UPLINK_RECEIVED,
  ) {}

  start(): void {
    this.subscription = this.nc.subscribe(this.namespace.subject(`${this.eventType}.>`), {
      callback: (error, message) => {
        if (error) return;
        this.seen++;
        const id = deduplicationIdOf(message.string());
        if (id !== undefined) this.arrivals.arrived(id, performance.now());
      },
    });
  }

  /** From now on events are matched against a new set of awaited uplinks, which is returned. */
  track(): EventArrivals {
    this.arrivals = new EventArrivals();
    return this.arrivals;
  }

  expect(deduplicationId: string, scheduledAt: number): void {
    this.arrivals.expect(deduplicationId, scheduledAt);
  }

  /** Events of any uplink seen so far (also those sent before expect() was used). */
  get eventsSeen(): number {
    return this.seen;
  }

  /** Waits until every expected event arrived, or the time is up. */
  async settle(timeoutMs: number, expected: number): Promise<EndToEndResult> {
    return { ...(await this.arrivals.settle(timeoutMs)), expected };
  }

  stop(): void {
    this.subscription?.unsubscribe();
  }
}
