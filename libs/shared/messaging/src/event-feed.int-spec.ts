import { randomUUID } from 'node:crypto';
import { DeliverPolicy, jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { createEnvelope, IdentityEvents, Namespace, STREAMS, subjectOf, type EventEnvelope } from '@parking/contracts';
import { expectEventually, uniqueNamespace } from '@parking/testing';
import { connectNats } from './connect-nats';
import { EventFeed } from './event-feed';
import { provisionStreams } from './provision';

const NATS_URL = process.env.NATS_URL || 'nats://127.0.0.1:4222';

function tenantCreated(name: string): EventEnvelope {
  const tenantId = randomUUID();
  return createEnvelope(IdentityEvents.TenantCreatedV1, {
    tenantId,
    aggregateId: tenantId,
    source: '/parking/identity',
    data: { ...IdentityEvents.TenantCreatedV1.example, tenantId, name },
  });
}

describe('EventFeed (real JetStream)', () => {
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let ns: Namespace;
  const feeds: EventFeed[] = [];
  const warnings: string[] = [];
  const quiet: string[] = [];

  const publish = (envelope: EventEnvelope) => jetstream(nc).publish(ns.subject(subjectOf(envelope)), JSON.stringify(envelope));
  const newFeed = (seen: string[], onFollowing?: () => void, startUpGraceMs?: number) => {
    const feed = new EventFeed({
      natsUrl: NATS_URL,
      connectionName: 'event-feed-spec',
      namespace: ns,
      stream: STREAMS.IDENTITY.name,
      filter: `${IdentityEvents.TENANT_CREATED_V1}.>`,
      deliverPolicy: DeliverPolicy.All,
      label: 'tenant',
      logger: { warn: (message) => warnings.push(message), debug: (message) => quiet.push(message) },
      startUpGraceMs,
      onEvent: (envelope) => seen.push((envelope.data as { name: string }).name),
      onFollowing,
    });
    feeds.push(feed);
    return feed;
  };

  beforeEach(async () => {
    nc = await connectNats({ url: NATS_URL, name: 'event-feed-spec-admin' });
    jsm = await jetstreamManager(nc);
    ns = new Namespace(uniqueNamespace());
    await provisionStreams(jsm, [STREAMS.IDENTITY], ns);
    warnings.length = 0;
    quiet.length = 0;
  });
  afterEach(async () => {
    await Promise.all(feeds.splice(0).map((feed) => feed.stop()));
    await jsm.streams.delete(ns.stream(STREAMS.IDENTITY.name)).catch(() => undefined);
    await nc.close();
  });

  it('delivers what the stream held before it started, then what follows, in order; skips an invalid event with a warning', async () => {
    await publish(tenantCreated('first'));
    const seen: string[] = [];
    let following = 0;
    newFeed(seen, () => following++).start();
    await expectEventually(() => expect(seen).toEqual(['first']));
    await jetstream(nc).publish(ns.subject(`${IdentityEvents.TENANT_CREATED_V1}.x.y`), '{"not":"an envelope"}');
    await publish(tenantCreated('second'));
    await expectEventually(() => expect(seen).toEqual(['first', 'second']));
    expect(following).toBe(1);
    expect(warnings.some((w) => w.startsWith('ignoring a tenant event: invalid envelope'))).toBe(true);
  });

  it('keeps retrying while the stream is missing, and follows it once it exists; at start-up it waits quietly', async () => {
    await jsm.streams.delete(ns.stream(STREAMS.IDENTITY.name));
    const seen: string[] = [];
    newFeed(seen).start();
    // The stream's owner may be starting too: waiting for it is not yet worth a warning.
    await expectEventually(() => expect(quiet.some((line) => line.startsWith('tenant feed waiting for its stream or NATS'))).toBe(true));
    await provisionStreams(jsm, [STREAMS.IDENTITY], ns);
    await publish(tenantCreated('late'));
    await expectEventually(() => expect(seen).toEqual(['late']), { timeoutMs: 20_000 });
    expect(warnings).toEqual([]);
  }, 30_000);

  it('warns once the stream has been missing longer than start-up takes', async () => {
    await jsm.streams.delete(ns.stream(STREAMS.IDENTITY.name));
    newFeed([], undefined, 0).start();
    await expectEventually(() => expect(warnings.some((w) => w.startsWith('tenant feed waiting for its stream or NATS'))).toBe(true));
    expect(quiet).toEqual([]);
  });

  it('stops cleanly when stopped during its setup, leaving no connection open', async () => {
    const seen: string[] = [];
    const feed = newFeed(seen);
    feed.start();
    await feed.stop();
    const connection = (feed as unknown as { nats?: NatsConnection }).nats;
    // The first connect resolved after stop() began: the feed must have closed it itself.
    expect(connection?.isClosed()).toBe(true);
    expect(seen).toEqual([]);
  });
});
