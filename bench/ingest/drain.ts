import { performance } from 'node:perf_hooks';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { Namespace } from '@parking/contracts';

/** Messages not yet delivered or not yet acked, summed over every consumer on the namespace's streams. */
export async function consumerBacklog(nc: NatsConnection, namespace: Namespace): Promise<number> {
  const jsm = await jetstreamManager(nc);
  const prefix = namespace.stream('');
  let backlog = 0;
  for await (const stream of jsm.streams.list()) {
    if (!stream.config.name.startsWith(prefix)) continue;
    for await (const consumer of jsm.consumers.list(stream.config.name)) backlog += consumer.num_pending + consumer.num_ack_pending;
  }
  return backlog;
}

/**
 * Waits until every consumer on the namespace's streams has nothing pending or unacked, so
 * one step's backlog does not run into the next one. Resolves false when time is up.
 */
export async function drainConsumers(nc: NatsConnection, namespace: Namespace, timeoutMs: number): Promise<boolean> {
  const until = performance.now() + timeoutMs;
  for (;;) {
    if ((await consumerBacklog(nc, namespace)) === 0) return true;
    if (performance.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
