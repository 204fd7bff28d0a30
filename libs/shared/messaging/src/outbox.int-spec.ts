import { jetstream } from '@nats-io/jetstream';
import { PgSqlClient, TenantDatabase } from '@parking/database';
import { deadLetterSubject, EventEnvelope, IdentityEvents } from '@parking/contracts';
import { expectEventually } from '@parking/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createHarness, Harness, NATS_URL, readStream, SpecDatabase, SpecTransaction } from '../test/harness';
import { connectNats } from './connect-nats';
import { ConsumerRunner, EventHandler } from './consumer-runner';
import { EventPublisher } from './event-publisher';
import { OutboxRelay, OutboxRelayOptions, OutboxRow } from './outbox-relay';
import { OutboxSignal, OutboxWake } from './outbox-signal';
import { OutboxWriter } from './outbox-writer';

type Tx = SpecTransaction;
const DUPLICATE_WINDOW_MS = 1_000;

describe('transactional outbox (real JetStream and PostgreSQL)', () => {
  let h: Harness;
  let appDb: SpecDatabase;
  const cleanups: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    // A short duplicate window lets one spec outlive it and show the inbox taking over.
    h = await createHarness({ duplicateWindowMs: DUPLICATE_WINDOW_MS });
    appDb = h.openDb();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(() => h.close());

  /** A relay with its own PostgreSQL pool and NATS connection, like a process of its own. */
  async function startRelay(signal: OutboxSignal, options: Partial<OutboxRelayOptions<Tx>> = {}) {
    const db = h.openDb();
    const nc = await connectNats({ url: NATS_URL, name: 'relay-spec' });
    const relay = new OutboxRelay<Tx>({ db, schema: 'identity', publisher: new EventPublisher(jetstream(nc), h.ns), signal, ...options });
    await relay.start();
    const kill = async () => {
      await relay.stop();
      await db.close();
      await nc.close();
    };
    cleanups.push(kill);
    return { relay, kill };
  }

  async function startConsumer(tenantId: string, handler: EventHandler<Tx>, concurrency = 4) {
    const durable = `identity-outbox-${tenantId.slice(0, 8)}`;
    await h.provisionConsumer(durable, `identity.tenant.created.v1.${tenantId}.>`);
    const runner = new ConsumerRunner<Tx>({
      js: h.js,
      stream: h.ns.stream('IDENTITY'),
      durable,
      handler,
      concurrency,
      db: h.openDb(),
      inboxSchema: 'identity',
      deadLetterSubject: h.ns.subject(deadLetterSubject('identity', durable)),
    });
    await runner.start();
    cleanups.push(() => runner.stop());
    return durable;
  }

  const countEffect: EventHandler<Tx> = async (envelope, tx) => {
    await tx.$executeRawUnsafe(`INSERT INTO identity.test_effects (event_id, aggregate_id) VALUES ($1::uuid, $2)`, envelope.id, envelope.subject);
  };
  const effectsOf = async (eventId: string) =>
    Number((await h.sql<{ n: string }>(`SELECT count(*) AS n FROM identity.test_effects WHERE event_id = $1`, [eventId]))[0].n);
  const outboxRow = async (eventId: string) =>
    (await h.sql<{ published_at: Date | null }>(`SELECT published_at FROM identity.outbox WHERE id = $1`, [eventId]))[0];
  const storedOn = (tenantId: string) => readStream(h.jsm, h.ns.stream('IDENTITY'), h.ns.subject(`identity.tenant.created.v1.${tenantId}.>`));

  function appendTenantCreated(writer: OutboxWriter, tenantId: string, aggregateId = tenantId, name = 'Harbour Parking Ltd') {
    return appDb.withTenant(tenantId, (tx) =>
      writer.append(tx, IdentityEvents.TenantCreatedV1, {
        tenantId,
        aggregateId,
        data: { ...IdentityEvents.TenantCreatedV1.example, tenantId, name },
      }),
    );
  }

  const crashing = (hook: 'beforePublish' | 'afterPublish') => ({
    [hook]: () => {
      throw new Error(`process killed ${hook === 'beforePublish' ? 'before publishing' : 'after publishing'}`);
    },
  });

  function writerFor(signal: OutboxSignal, wake: OutboxWake = 'poll') {
    return new OutboxWriter({ schema: 'identity', source: '/parking/identity', signal, wake });
  }

  it('appends many events in one statement, in order, and the relay publishes them in that order', async () => {
    const signal = new OutboxSignal();
    const tenantId = randomUUID();
    const aggregates = Array.from({ length: 50 }, () => randomUUID());
    const envelopes = await appDb.withTenant(tenantId, (tx) =>
      writerFor(signal).appendMany(
        tx,
        IdentityEvents.TenantCreatedV1,
        aggregates.map((aggregateId, i) => ({ tenantId, aggregateId, data: { ...IdentityEvents.TenantCreatedV1.example, tenantId, name: `Tenant ${i}` } })),
      ),
    );
    expect(envelopes.map((e) => e.subject)).toEqual(aggregates);
    const rows = await h.sql<{ id: string }>(`SELECT id FROM identity.outbox WHERE tenant_id = $1 ORDER BY seq`, [tenantId]);
    expect(rows.map((r) => r.id)).toEqual(envelopes.map((e) => e.id));

    await startRelay(signal);
    await expectEventually(async () => expect(await storedOn(tenantId)).toHaveLength(50));
    const stored = await storedOn(tenantId);
    expect(stored.map((m) => (JSON.parse(m.data) as EventEnvelope).subject)).toEqual(aggregates);
  });

  it('records the highest acked stream sequence when asked to (relay over PgSqlClient), so a reader can name what its snapshot reflects', async () => {
    // A service opts in with a stream_positions table in its schema (occupancy has one).
    await h.sql(`CREATE TABLE IF NOT EXISTS identity.stream_positions (stream text PRIMARY KEY, seq bigint NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())`);
    await h.sql(`GRANT SELECT, INSERT, UPDATE ON identity.stream_positions TO parking_identity`);
    const signal = new OutboxSignal();
    const tenantId = randomUUID();
    // Over node-postgres, as the services run their relays.
    const lean = new TenantDatabase({ client: new PgSqlClient({ url: h.database.urlFor('identity') }), schema: 'identity' });
    cleanups.push(() => lean.close());
    // The relay only uses the raw SQL surface that both transaction kinds share.
    await startRelay(signal, { recordStreamPositions: true, db: lean as unknown as TenantDatabase<Tx> });
    for (let round = 1; round <= 3; round++) {
      await appendTenantCreated(writerFor(signal), tenantId, randomUUID());
      await expectEventually(async () => expect(await storedOn(tenantId)).toHaveLength(round));
      const newest = Math.max(...(await storedOn(tenantId)).map((m) => m.seq));
      await expectEventually(async () =>
        expect(await h.sql(`SELECT stream, seq::int AS seq FROM identity.stream_positions`)).toEqual([{ stream: h.ns.stream('IDENTITY'), seq: newest }]),
      );
    }
  });

  it('refuses a batch with one invalid event and stores none of it', async () => {
    const tenantId = randomUUID();
    const good = { tenantId, aggregateId: tenantId, data: { ...IdentityEvents.TenantCreatedV1.example, tenantId } };
    const bad = { ...good, data: { tenantId } as never };
    await expect(appDb.withTenant(tenantId, (tx) => writerFor(new OutboxSignal()).appendMany(tx, IdentityEvents.TenantCreatedV1, [good, bad]))).rejects.toThrow();
    expect(await h.sql(`SELECT 1 FROM identity.outbox WHERE tenant_id = $1`, [tenantId])).toHaveLength(0);
  });

  it('publishes a row committed before the relay crashed ahead of publishing, once in effect', async () => {
    const signal = new OutboxSignal();
    const tenantId = randomUUID();
    await startConsumer(tenantId, countEffect);
    const doomed = await startRelay(signal, { hooks: crashing('beforePublish') });

    const envelope = await appendTenantCreated(writerFor(signal), tenantId);
    await doomed.relay.stopped;
    expect(doomed.relay.crashed?.message).toMatch(/killed before publishing/);
    await doomed.kill();
    expect(await storedOn(tenantId)).toHaveLength(0);
    expect((await outboxRow(envelope.id)).published_at).toBeNull();

    await startRelay(signal);

    await expectEventually(async () => expect(await effectsOf(envelope.id)).toBe(1));
    await expectEventually(async () => expect((await outboxRow(envelope.id)).published_at).not.toBeNull());
    expect(await storedOn(tenantId)).toHaveLength(1);
  });

  it('republishes a row published but not marked before a crash; JetStream drops the copy within its window', async () => {
    const signal = new OutboxSignal();
    const tenantId = randomUUID();
    await startConsumer(tenantId, countEffect);
    const doomed = await startRelay(signal, { hooks: crashing('afterPublish') });

    const envelope = await appendTenantCreated(writerFor(signal), tenantId);
    await doomed.relay.stopped;
    await doomed.kill();
    expect(await storedOn(tenantId)).toHaveLength(1);
    expect((await outboxRow(envelope.id)).published_at).toBeNull();

    const republished: OutboxRow[] = [];
    await startRelay(signal, { hooks: { afterPublish: (row) => void republished.push(row) } });

    await expectEventually(async () => expect((await outboxRow(envelope.id)).published_at).not.toBeNull());
    expect(republished.map((row) => row.id)).toEqual([envelope.id]);
    expect(await storedOn(tenantId)).toHaveLength(1);
    await expectEventually(async () => expect(await effectsOf(envelope.id)).toBe(1));
  });

  it('republishes after the duplicate window has passed; the consumer inbox makes it one effect', async () => {
    const signal = new OutboxSignal();
    const tenantId = randomUUID();
    await startConsumer(tenantId, countEffect);
    const doomed = await startRelay(signal, { hooks: crashing('afterPublish') });

    const envelope = await appendTenantCreated(writerFor(signal), tenantId);
    await doomed.relay.stopped;
    await doomed.kill();
    await expectEventually(async () => expect(await effectsOf(envelope.id)).toBe(1));
    await new Promise((resolve) => setTimeout(resolve, DUPLICATE_WINDOW_MS + 300));

    await startRelay(signal);

    await expectEventually(async () => expect(await storedOn(tenantId)).toHaveLength(2));
    await expectEventually(async () => expect((await outboxRow(envelope.id)).published_at).not.toBeNull());
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await effectsOf(envelope.id)).toBe(1);
    expect(await h.sql(`SELECT 1 FROM identity.inbox WHERE event_id = $1`, [envelope.id])).toHaveLength(1);
  });

  it('keeps the order per aggregate for a burst of 200 events across 5 aggregates, each published once', async () => {
    const signal = new OutboxSignal();
    const tenantId = randomUUID();
    const handled: Array<{ aggregate: string; n: number }> = [];
    await startConsumer(
      tenantId,
      async (envelope) => void handled.push({ aggregate: envelope.subject, n: Number((envelope.data as { name: string }).name.slice(1)) }),
      1,
    );
    // Two relays compete for the advisory lock, as two replicas would.
    const published: string[] = [];
    const record = { afterPublish: (row: OutboxRow) => void published.push(row.id) };
    await startRelay(signal, { batchSize: 17, hooks: record });
    await startRelay(signal, { batchSize: 17, hooks: record });
    const writer = writerFor(signal);
    const aggregates = ['bay-a', 'bay-b', 'bay-c', 'bay-d', 'bay-e'];

    await Promise.all(
      aggregates.map(async (aggregate) => {
        for (let n = 0; n < 40; n++) await appendTenantCreated(writer, tenantId, aggregate, `#${n}`);
      }),
    );

    await expectEventually(async () => expect(handled).toHaveLength(200), { timeoutMs: 15_000 });
    expect(new Set(published).size).toBe(200);
    expect(published).toHaveLength(200);
    const stored = (await storedOn(tenantId)).map((m) => JSON.parse(m.data) as { subject: string; data: { name: string } });
    for (const aggregate of aggregates) {
      const inStream = stored.filter((e) => e.subject === aggregate).map((e) => Number(e.data.name.slice(1)));
      const inHandler = handled.filter((e) => e.aggregate === aggregate).map((e) => e.n);
      expect(inStream).toEqual([...Array(40).keys()]);
      expect(inHandler).toEqual([...Array(40).keys()]);
    }
  });

  it('stops a batch at the first failed publish, records the failure and retries in order', async () => {
    const signal = new OutboxSignal();
    const tenantId = randomUUID();
    const writer = writerFor(signal);
    const envelopes: EventEnvelope[] = [];
    for (let n = 0; n < 5; n++) envelopes.push(await appendTenantCreated(writer, tenantId, tenantId, `#${n}`));
    const nc = await connectNats({ url: NATS_URL, name: 'relay-spec-flaky' });
    cleanups.push(() => nc.close());
    const real = new EventPublisher(jetstream(nc), h.ns);
    let failures = 0;
    const flaky = {
      publishRaw: (subject: string, payload: Uint8Array, options: { msgId: string; headers?: Record<string, string> }) =>
        options.msgId === envelopes[2].id && failures++ === 0 ? Promise.reject(new Error('JetStream did not answer')) : real.publishRaw(subject, payload, options),
    };

    await startRelay(signal, { publisher: flaky, maxInFlight: 1 });

    await expectEventually(async () => expect(await storedOn(tenantId)).toHaveLength(5), { timeoutMs: 5_000 });
    const order = (await storedOn(tenantId)).map((m) => (JSON.parse(m.data) as { data: { name: string } }).data.name);
    expect(order).toEqual(['#0', '#1', '#2', '#3', '#4']);
    const [failed] = await h.sql<{ attempts: number; last_error: string }>(`SELECT attempts, last_error FROM identity.outbox WHERE id = $1`, [envelopes[2].id]);
    expect(failed).toEqual({ attempts: 1, last_error: 'JetStream did not answer' });
  });

  it.each<[OutboxWake]>([['poll'], ['notify']])('wakes at once on commit with wake=%s, however long its idle poll', async (wake) => {
    const signal = new OutboxSignal();
    const tenantId = randomUUID();
    await startRelay(signal, { wake, pollIntervalMs: 10_000, listenUrl: h.database.urlFor('identity') });
    // Idle polls back off 1, 2, 4 … ms: after 2.5 s the relay is in a ~2 s sleep with 1.6 s left.
    await new Promise((resolve) => setTimeout(resolve, 2_500));

    const envelope = await appendTenantCreated(writerFor(signal, wake), tenantId);
    const committed = Date.now();

    await expectEventually(async () => expect((await outboxRow(envelope.id)).published_at).not.toBeNull(), { intervalMs: 5 });
    expect(Date.now() - committed).toBeLessThan(1_000);
  });

  it('slows its safety-net poll while nothing happens, so an idle relay costs next to nothing', async () => {
    const db = h.openDb();
    cleanups.push(() => db.close());
    let polls = 0;
    // Every poll is one asSystem transaction.
    const counting = new Proxy(db, {
      get: (target, key) => (key === 'asSystem' ? (...args: Parameters<SpecDatabase['asSystem']>) => (polls++, target.asSystem(...args)) : Reflect.get(target, key)),
    });
    await startRelay(new OutboxSignal(), { db: counting });
    await new Promise((resolve) => setTimeout(resolve, 3_200));
    // 100, 200, 400, 800, 1600 ms apart: a poll every 100 ms would have made 32.
    expect(polls).toBeGreaterThanOrEqual(3);
    expect(polls).toBeLessThanOrEqual(8);
  });

  it("publishes a row whose wake met another replica's batch as soon as that batch ends, not at the next safety poll", async () => {
    const signal = new OutboxSignal();
    const tenantId = randomUUID();
    await startRelay(signal);
    // Another replica's relay, mid-batch: it holds the relay lock and has read the outbox already.
    const other = new Client({ connectionString: h.database.adminUrl });
    await other.connect();
    cleanups.push(() => other.end());
    await other.query('BEGIN');
    await other.query(`SELECT pg_advisory_xact_lock(hashtextextended('outbox-relay:identity', 0))`);

    const envelope = await appendTenantCreated(writerFor(signal), tenantId);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await outboxRow(envelope.id)).published_at).toBeNull();
    await other.query('COMMIT');
    const released = Date.now();

    await expectEventually(async () => expect((await outboxRow(envelope.id)).published_at).not.toBeNull(), { intervalMs: 5 });
    // The safety poll alone would take up to 5 s.
    expect(Date.now() - released).toBeLessThan(2_000);
  });

  it('refuses to append invalid data, leaving the transaction to roll back', async () => {
    const tenantId = randomUUID();
    const writer = writerFor(new OutboxSignal());
    await expect(
      appDb.withTenant(tenantId, (tx) =>
        writer.append(tx, IdentityEvents.TenantCreatedV1, { tenantId, aggregateId: tenantId, data: { tenantId } as never }),
      ),
    ).rejects.toThrow(/Refusing event identity\.tenant\.created\.v1: .*\/data\/name: must have required property 'name'/);
    expect(await h.sql(`SELECT 1 FROM identity.outbox WHERE tenant_id = $1`, [tenantId])).toHaveLength(0);
  });
});
