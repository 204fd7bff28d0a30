import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { IdentityEvents, STREAMS } from '@parking/contracts';
import { createIdentityDatabase, IdentityDatabase } from '@parking/identity/data-access';
import { Namespace } from '@parking/contracts';
import { EventPublisher, OutboxRelay, OutboxSignal, OutboxWake, OutboxWriter, provisionStreams } from '@parking/messaging';

export interface PhaseResult {
  commits: number;
  seconds: number;
  /** commit (the writer's transaction resolved) → JetStream ack seen by the relay, ms */
  latencies: number[];
}

export interface WakeResult {
  wake: OutboxWake;
  load: PhaseResult;
  idle: PhaseResult;
}

export interface WakeSettings {
  wake: OutboxWake;
  identityUrl: string;
  nc: NatsConnection;
  writers: number;
  loadSeconds: number;
  idleSeconds: number;
  idleRatePerSecond: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One mode: a relay, then a closed-loop load of N writers, then a slow open-loop trickle. */
export async function measureWake(settings: WakeSettings): Promise<WakeResult> {
  const ns = new Namespace(`bench${randomUUID().slice(0, 8)}`);
  const jsm = await jetstreamManager(settings.nc);
  await provisionStreams(jsm, [STREAMS.IDENTITY], ns);
  const ackedAt = new Map<string, number>();
  const signal = new OutboxSignal();
  const relayDb = createIdentityDatabase({ url: settings.identityUrl, poolMax: 2 });
  const appDb = createIdentityDatabase({ url: settings.identityUrl, poolMax: settings.writers });
  const relay = new OutboxRelay({
    db: relayDb,
    schema: 'identity',
    publisher: new EventPublisher(jetstream(settings.nc), ns),
    wake: settings.wake,
    listenUrl: settings.identityUrl,
    signal,
    hooks: { afterPublish: (row) => void ackedAt.set(row.id, performance.now()) },
  });
  const writer = new OutboxWriter({ schema: 'identity', source: '/parking/identity', wake: settings.wake, signal });
  try {
    await relay.start();
    await appendOne(appDb, writer, new Map()); // warm the pools and plans
    const load = await phase(ackedAt, async (record) => {
      const until = performance.now() + settings.loadSeconds * 1000;
      await Promise.all(
        Array.from({ length: settings.writers }, async () => {
          while (performance.now() < until) await appendOne(appDb, writer, record);
        }),
      );
    });
    const idle = await phase(ackedAt, async (record) => {
      const gap = 1000 / settings.idleRatePerSecond;
      const until = performance.now() + settings.idleSeconds * 1000;
      while (performance.now() < until) {
        await appendOne(appDb, writer, record);
        await sleep(gap);
      }
    });
    return { wake: settings.wake, load, idle };
  } finally {
    await relay.stop();
    await Promise.all([relayDb.close(), appDb.close()]);
    await jsm.streams.delete(ns.stream('IDENTITY')).catch(() => undefined);
  }
}

async function appendOne(db: IdentityDatabase, writer: OutboxWriter, record: Map<string, number>): Promise<void> {
  const tenantId = randomUUID();
  const envelope = await db.withTenant(tenantId, (tx) =>
    writer.append(tx, IdentityEvents.TenantCreatedV1, { tenantId, aggregateId: tenantId, data: { ...IdentityEvents.TenantCreatedV1.example, tenantId } }),
  );
  record.set(envelope.id, performance.now());
}

async function phase(
  ackedAt: Map<string, number>,
  run: (record: Map<string, number>) => Promise<void>,
): Promise<PhaseResult> {
  const record = new Map<string, number>();
  const started = performance.now();
  await run(record);
  const seconds = (performance.now() - started) / 1000;
  const drainUntil = performance.now() + 20_000;
  while ([...record.keys()].some((id) => !ackedAt.has(id)) && performance.now() < drainUntil) await sleep(20);
  // The relay may see the commit (NOTIFY) before the writer's promise resolves: clamp at 0.
  const latencies = [...record].flatMap(([id, at]) => (ackedAt.has(id) ? [Math.max(0, (ackedAt.get(id) as number) - at)] : []));
  if (latencies.length < record.size) throw new Error(`${record.size - latencies.length} events were not published within 20 s`);
  return { commits: record.size, seconds, latencies };
}
