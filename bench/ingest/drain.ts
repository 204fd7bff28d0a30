import { SERVICES } from '@parking/database';
import { withClient } from './resources';
import { performance } from 'node:perf_hooks';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { Namespace } from '@parking/contracts';

/** Each consumer on the namespace's streams with its messages not yet delivered or not yet acked. */
export async function consumerBacklogs(nc: NatsConnection, namespace: Namespace): Promise<Array<{ consumer: string; backlog: number }>> {
  const jsm = await jetstreamManager(nc);
  const prefix = namespace.stream('');
  const backlogs: Array<{ consumer: string; backlog: number }> = [];
  for await (const stream of jsm.streams.list()) {
    if (!stream.config.name.startsWith(prefix)) continue;
    for await (const consumer of jsm.consumers.list(stream.config.name)) backlogs.push({ consumer: consumer.name, backlog: consumer.num_pending + consumer.num_ack_pending });
  }
  return backlogs;
}

/** Messages not yet delivered or not yet acked, summed over every consumer on the namespace's streams. */
export async function consumerBacklog(nc: NatsConnection, namespace: Namespace): Promise<number> {
  return (await consumerBacklogs(nc, namespace)).reduce((n, c) => n + c.backlog, 0);
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

/** Outbox rows not yet published, every schema; only those committed before `committedBefore` when given. */
export async function outboxBacklog(adminUrl: string, committedBefore?: Date): Promise<number> {
  return withClient(adminUrl, async (client) => {
    let total = 0;
    for (const { schema } of SERVICES) {
      const { rows } = await client.query<{ n: string }>(
        `SELECT count(*) AS n FROM "${schema}".outbox WHERE published_at IS NULL AND ($1::timestamptz IS NULL OR created_at < $1)`,
        [committedBefore ?? null],
      );
      total += Number(rows[0].n);
    }
    return total;
  });
}
