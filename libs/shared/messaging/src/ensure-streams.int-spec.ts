// ensureStreams: how a service treats the streams it consumes but does not own. It creates a
// missing one (so it may boot first) and never changes an existing one (its NATS user may not).
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { Namespace, STREAMS } from '@parking/contracts';
import { removeNamespaceStreams, uniqueNamespace } from '@parking/testing';
import { connectNats } from './connect-nats';
import { ensureStreams, provisionStreams } from './provision';

const NATS_URL = process.env.NATS_URL || 'nats://127.0.0.1:4222';

describe('ensureStreams', () => {
  const ns = new Namespace(uniqueNamespace());
  let nc: NatsConnection;
  let jsm: JetStreamManager;

  beforeAll(async () => {
    nc = await connectNats({ url: NATS_URL, name: 'ensure-streams-spec' });
    jsm = await jetstreamManager(nc);
  });
  afterAll(async () => {
    await nc?.close();
    await removeNamespaceStreams(ns.prefix, NATS_URL);
  });

  it('creates a missing stream as its owner would', async () => {
    await ensureStreams(jsm, [STREAMS.INGEST], ns);
    const info = await jsm.streams.info(ns.stream('INGEST'));
    expect(info.config.subjects).toEqual([ns.subject('ingest.>')]);
  });

  it("leaves an existing stream's configuration alone, its duplicate window included", async () => {
    await provisionStreams(jsm, [STREAMS.OCCUPANCY], ns, { duplicateWindowMs: 5_000 });
    await ensureStreams(jsm, [STREAMS.OCCUPANCY, STREAMS.INGEST], ns, { duplicateWindowMs: 120_000 });
    expect((await jsm.streams.info(ns.stream('OCCUPANCY'))).config.duplicate_window).toBe(5_000 * 1e6);
  });
});
