import { deadLetterSubject } from '@parking/contracts';
import { expectEventually } from '@parking/testing';
import { randomUUID } from 'node:crypto';
import { createHarness, Harness, readStream, SpecTransaction, tenantCreated } from '../test/harness';
import { ConsumerRunner, ConsumerRunnerOptions, EventHandler } from './consumer-runner';
import type { DeadLetterRecord } from './dead-letter';
import { PoisonMessageError } from './errors';
import { EventPublisher } from './event-publisher';

type Tx = SpecTransaction;

describe('ConsumerRunner (real JetStream and PostgreSQL)', () => {
  let h: Harness;
  let publisher: EventPublisher;
  const runners: ConsumerRunner<Tx>[] = [];

  beforeAll(async () => {
    h = await createHarness();
    publisher = new EventPublisher(h.js, h.ns);
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
  });
  afterAll(() => h.close());

  /** A consumer of one tenant's tenant-created events, so specs never see each other's messages. */
  async function startRunner(tenantId: string, handler: EventHandler<Tx>, options: Partial<ConsumerRunnerOptions<Tx>> = {}) {
    const durable = `identity-spec-${tenantId.slice(0, 8)}`;
    await h.provisionConsumer(durable, `identity.tenant.created.v1.${tenantId}.>`);
    const runner = new ConsumerRunner<Tx>({
      js: h.js,
      stream: h.ns.stream('IDENTITY'),
      durable,
      handler,
      db: h.openDb(),
      inboxSchema: 'identity',
      deadLetterSubject: h.ns.subject(deadLetterSubject('identity', durable)),
      backoff: { initialMs: 100, factor: 2, maxMs: 2_000 },
      ...options,
    });
    await runner.start();
    runners.push(runner);
    return { runner, durable };
  }

  const recordEffect: EventHandler<Tx> = async (envelope, tx) => {
    await tx.$executeRawUnsafe(`INSERT INTO identity.test_effects (event_id, aggregate_id) VALUES ($1::uuid, $2)`, envelope.id, envelope.subject);
  };

  const effectsOf = async (eventId: string) =>
    Number((await h.sql<{ n: string }>(`SELECT count(*) AS n FROM identity.test_effects WHERE event_id = $1`, [eventId]))[0].n);

  async function deadLettersOf(durable: string): Promise<DeadLetterRecord[]> {
    const stored = await readStream(h.jsm, h.ns.stream('DEADLETTER'), h.ns.subject(deadLetterSubject('identity', durable)));
    return stored.map((m) => JSON.parse(m.data) as DeadLetterRecord);
  }

  async function consumerState(durable: string) {
    const info = await h.jsm.consumers.info(h.ns.stream('IDENTITY'), durable);
    return { ackPending: info.num_ack_pending, pending: info.num_pending, redelivered: info.num_redelivered };
  }

  it('retries a transient failure with growing delays, then handles it once', async () => {
    const envelope = tenantCreated();
    const calls: number[] = [];
    await startRunner(envelope.tenantid, async (env, tx, ctx) => {
      calls.push(Date.now());
      if (ctx.deliveryCount <= 2) throw new Error('database briefly unavailable');
      await recordEffect(env, tx, ctx);
    });

    await publisher.publish(envelope);

    await expectEventually(async () => expect(await effectsOf(envelope.id)).toBe(1), { timeoutMs: 10_000 });
    expect(calls).toHaveLength(3);
    // Each gap is at least its configured delay (100 ms, then 200 ms). Comparing the two gaps with
    // each other would fail whenever a loaded machine stretches the first one.
    const [first, second] = [calls[1] - calls[0], calls[2] - calls[1]];
    expect(first).toBeGreaterThanOrEqual(90);
    expect(second).toBeGreaterThanOrEqual(190);
  });

  it('dead-letters an event whose data breaks its schema, with the reason and the original payload, and never redelivers it', async () => {
    const tenantId = randomUUID();
    const handler = jest.fn(recordEffect);
    const { durable } = await startRunner(tenantId, handler);
    const valid = tenantCreated({ tenantId });
    const bad = { ...valid, data: { ...(valid.data as object), name: 42 } };
    const payload = JSON.stringify(bad);
    const subject = `identity.tenant.created.v1.${tenantId}.${tenantId}`;

    await publisher.publishRaw(subject, Buffer.from(payload), { msgId: bad.id });

    const [letter] = await expectEventually(async () => {
      const letters = await deadLettersOf(durable);
      expect(letters).toHaveLength(1);
      return letters;
    });
    expect(letter).toMatchObject({ originalSubject: h.ns.subject(subject), payload, payloadEncoding: 'utf8', deliveries: 1 });
    expect(letter.reason).toBe('invalid data for identity.tenant.created.v1: /data/name: must be string');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(handler).not.toHaveBeenCalled();
    expect(await consumerState(durable)).toEqual({ ackPending: 0, pending: 0, redelivered: 0 });
  });

  it('dead-letters a message that is not JSON at all', async () => {
    const tenantId = randomUUID();
    const { durable } = await startRunner(tenantId, recordEffect);

    await publisher.publishRaw(`identity.tenant.created.v1.${tenantId}.x`, Buffer.from('{oops'), { msgId: randomUUID() });

    const [letter] = await expectEventually(async () => {
      const letters = await deadLettersOf(durable);
      expect(letters).toHaveLength(1);
      return letters;
    });
    expect(letter.reason).toMatch(/^payload is not JSON/);
    expect(letter.payload).toBe('{oops');
  });

  it('dead-letters at once when the handler throws PoisonMessageError', async () => {
    const envelope = tenantCreated();
    const handler = jest.fn(async () => {
      throw new PoisonMessageError('tenant slug already belongs to another tenant');
    });
    const { durable } = await startRunner(envelope.tenantid, handler);

    await publisher.publish(envelope);

    const [letter] = await expectEventually(async () => {
      const letters = await deadLettersOf(durable);
      expect(letters).toHaveLength(1);
      return letters;
    });
    expect(letter.reason).toBe('tenant slug already belongs to another tenant');
    expect(JSON.parse(letter.payload)).toEqual(envelope);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(handler).toHaveBeenCalledTimes(1);
    expect(await consumerState(durable)).toMatchObject({ ackPending: 0, pending: 0 });
    // The handler's transaction rolled back, inbox row included: a replay could handle it.
    expect(await h.sql(`SELECT 1 FROM identity.inbox WHERE event_id = $1`, [envelope.id])).toHaveLength(0);
  });

  it('dead-letters after max deliveries, naming the last error, and stops retrying', async () => {
    const envelope = tenantCreated();
    const handler = jest.fn(async () => {
      throw new Error('downstream keeps failing');
    });
    const { durable } = await startRunner(envelope.tenantid, handler, { maxDeliveries: 3, backoff: { initialMs: 50, factor: 2, maxMs: 200 } });

    await publisher.publish(envelope);

    const [letter] = await expectEventually(
      async () => {
        const letters = await deadLettersOf(durable);
        expect(letters).toHaveLength(1);
        return letters;
      },
      { timeoutMs: 10_000 },
    );
    expect(letter).toMatchObject({ reason: 'max deliveries reached: downstream keeps failing', deliveries: 3 });
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(handler).toHaveBeenCalledTimes(3);
    expect(await consumerState(durable)).toMatchObject({ ackPending: 0, pending: 0 });
  });

  it('keeps a poison message (nak, not term) while its dead letter cannot be stored', async () => {
    const envelope = tenantCreated();
    const handler = jest.fn(async () => {
      throw new PoisonMessageError('cannot be handled');
    });
    const { durable } = await startRunner(envelope.tenantid, handler, {
      deadLetterSubject: h.ns.subject('nowhere.no.stream.listens'),
      backoff: { initialMs: 100, factor: 1, maxMs: 100 },
    });

    await publisher.publish(envelope);

    await expectEventually(() => expect(handler.mock.calls.length).toBeGreaterThanOrEqual(3), { timeoutMs: 5_000 });
    expect((await consumerState(durable)).redelivered).toBe(1);
  });

  it('has one effect when the same event arrives twice under different Nats-Msg-Ids (the inbox, not JetStream, drops it)', async () => {
    const envelope = tenantCreated();
    const handler = jest.fn(recordEffect);
    const { durable } = await startRunner(envelope.tenantid, handler);
    const bytes = Buffer.from(JSON.stringify(envelope));
    const subject = `identity.tenant.created.v1.${envelope.tenantid}.${envelope.subject}`;

    const a = await publisher.publishRaw(subject, bytes, { msgId: `${envelope.id}-a` });
    const b = await publisher.publishRaw(subject, bytes, { msgId: `${envelope.id}-b` });
    expect([a.duplicate, b.duplicate]).toEqual([false, false]);

    await expectEventually(async () => expect(await consumerState(durable)).toMatchObject({ ackPending: 0, pending: 0 }));
    expect(await effectsOf(envelope.id)).toBe(1);
    expect(handler).toHaveBeenCalledTimes(1);
    expect(await h.sql(`SELECT consumer FROM identity.inbox WHERE event_id = $1`, [envelope.id])).toEqual([{ consumer: durable }]);
  });

  it('stop() waits for in-flight handlers to commit and ack, and pulls nothing afterwards', async () => {
    const envelope = tenantCreated();
    let started!: () => void;
    const handlerStarted = new Promise<void>((resolve) => (started = resolve));
    const { runner, durable } = await startRunner(envelope.tenantid, async (env, tx, ctx) => {
      started();
      await new Promise((resolve) => setTimeout(resolve, 700));
      await recordEffect(env, tx, ctx);
    });

    await publisher.publish(envelope);
    await handlerStarted;
    const stopping = Date.now();
    await runner.stop();

    expect(Date.now() - stopping).toBeGreaterThanOrEqual(500);
    expect(await effectsOf(envelope.id)).toBe(1);
    expect(await consumerState(durable)).toMatchObject({ ackPending: 0 });
    const later = tenantCreated({ tenantId: envelope.tenantid });
    await publisher.publish(later);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await effectsOf(later.id)).toBe(0);
    expect(await consumerState(durable)).toMatchObject({ pending: 1 });
  });
});
