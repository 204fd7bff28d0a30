// Every stream gets max_bytes and max_age: when it is created, and when its owner boots
// against a stream created before there were limits (provisionStreams updates it).
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { nanos } from '@nats-io/nats-core';
import { Namespace, STREAMS, streamLimitsOf } from '@parking/contracts';
import { removeNamespaceStreams, uniqueNamespace } from '@parking/testing';
import { connectNats } from './connect-nats';
import { ensureStreams, provisionStreams } from './provision';

const NATS_URL = process.env.NATS_URL || 'nats://127.0.0.1:4222';
const MiB = 1024 ** 2;

describe('stream limits on a real NATS server', () => {
  const ns = new Namespace(uniqueNamespace());
  let nc: NatsConnection;
  let jsm: JetStreamManager;

  beforeAll(async () => {
    nc = await connectNats({ url: NATS_URL, name: 'stream-limits-spec' });
    jsm = await jetstreamManager(nc);
  });
  afterAll(async () => {
    await nc?.close();
    await removeNamespaceStreams(ns.prefix, NATS_URL);
  });

  it('creates every stream with its declared max_bytes and max_age', async () => {
    await provisionStreams(jsm, [STREAMS.OCCUPANCY, STREAMS.IDENTITY], ns);
    await ensureStreams(jsm, [STREAMS.DEADLETTER], ns);
    for (const spec of [STREAMS.OCCUPANCY, STREAMS.IDENTITY, STREAMS.DEADLETTER]) {
      const { config } = await jsm.streams.info(ns.stream(spec.name));
      const declared = streamLimitsOf(spec);
      expect([spec.name, config.max_bytes, config.max_age]).toEqual([spec.name, declared.maxBytes, nanos(declared.maxAgeMs)]);
    }
  });

  it('gives limits to a stream created before there were any when its owner boots', async () => {
    const spec = ns.streamSpec(STREAMS.INGEST);
    await jsm.streams.add({ name: spec.name, subjects: spec.subjects });
    expect((await jsm.streams.info(spec.name)).config).toMatchObject({ max_bytes: -1, max_age: 0 });
    await provisionStreams(jsm, [STREAMS.INGEST], ns);
    const declared = streamLimitsOf(STREAMS.INGEST);
    expect((await jsm.streams.info(spec.name)).config).toMatchObject({ max_bytes: declared.maxBytes, max_age: nanos(declared.maxAgeMs) });
  });

  it('applies the overrides of NATS_STREAM_LIMITS, named or `*`', async () => {
    const limits = { WEBHOOKS: { maxBytes: 8 * MiB, maxAgeMs: 3_600_000 }, '*': { maxBytes: 4 * MiB, maxAgeMs: 60_000 } };
    await provisionStreams(jsm, [STREAMS.WEBHOOKS, STREAMS.RESERVATIONS], ns, { limits });
    expect((await jsm.streams.info(ns.stream('WEBHOOKS'))).config).toMatchObject({ max_bytes: 8 * MiB, max_age: nanos(3_600_000) });
    expect((await jsm.streams.info(ns.stream('RESERVATIONS'))).config).toMatchObject({ max_bytes: 4 * MiB, max_age: nanos(60_000) });
  });
});
