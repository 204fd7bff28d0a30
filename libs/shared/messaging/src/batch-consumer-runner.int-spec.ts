import { deadLetterSubject } from '@parking/contracts';
import { expectEventually } from '@parking/testing';
import { createHarness, Harness } from '../test/harness';
import { BatchConsumerRunner, BatchHandler, BatchMessage, BatchOutcome } from './batch-consumer-runner';
import type { DeadLetterRecord } from './dead-letter';

describe('BatchConsumerRunner (real JetStream)', () => {
  let h: Harness;
  const runners: BatchConsumerRunner[] = [];

  beforeAll(async () => {
    h = await createHarness();
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
  });
  afterAll(() => h.close());

  async function start(durable: string, handler: BatchHandler, options: { batchSize?: number; maxDeliveries?: number; ackWaitMs?: number; lingerMs?: number } = {}) {
    await h.provisionConsumer(durable, `identity.batch.${durable}.>`, options.ackWaitMs ?? 2_000);
    const runner = new BatchConsumerRunner({
      js: h.js,
      stream: h.ns.stream('IDENTITY'),
      durable,
      handler,
      deadLetterSubject: h.ns.subject(deadLetterSubject('spec', durable)),
      backoff: { initialMs: 50, maxMs: 200 },
      ...options,
    });
    await runner.start();
    runners.push(runner);
    return runner;
  }

  const publish = (durable: string, n: number) =>
    Promise.all(Array.from({ length: n }, (_, i) => h.js.publish(h.ns.subject(`identity.batch.${durable}.${i}`), Buffer.from(String(i)))));

  async function deadLettersOf(durable: string): Promise<DeadLetterRecord[]> {
    const stream = h.ns.stream('DEADLETTER');
    const info = await h.jsm.streams.info(stream);
    const out: DeadLetterRecord[] = [];
    for (let seq = info.state.first_seq; info.state.messages > 0 && seq <= info.state.last_seq; seq++) {
      const msg = await h.jsm.streams.getMessage(stream, { seq });
      if (msg?.subject === h.ns.subject(deadLetterSubject('spec', durable))) out.push(msg.json<DeadLetterRecord>());
    }
    return out;
  }

  it('hands over what has arrived in batches no larger than batchSize and acks each message once', async () => {
    const sizes: number[] = [];
    const seen: string[] = [];
    await start('sizes', async (batch) => {
      sizes.push(batch.length);
      seen.push(...batch.map((m) => Buffer.from(m.data).toString()));
      return batch.map((): BatchOutcome => ({ kind: 'ack' }));
    }, { batchSize: 16 });
    await publish('sizes', 100);
    await expectEventually(async () => expect(seen).toHaveLength(100));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(16);
    expect(new Set(seen).size).toBe(100);
    const info = await h.jsm.consumers.info(h.ns.stream('IDENTITY'), 'sizes');
    await expectEventually(async () => expect((await h.jsm.consumers.info(h.ns.stream('IDENTITY'), 'sizes')).num_ack_pending).toBe(0));
    expect(info.num_pending).toBe(0);
  });

  it('naks a retry with backoff, dead-letters poison at once and a retry at max deliveries, each with its reason', async () => {
    const deliveries = new Map<string, number[]>();
    await start('outcomes', async (batch: readonly BatchMessage[]) =>
      batch.map((m): BatchOutcome => {
        const body = Buffer.from(m.data).toString();
        deliveries.set(body, [...(deliveries.get(body) ?? []), m.deliveryCount]);
        if (body === '0') return m.deliveryCount < 2 ? { kind: 'retry', error: new Error('database restarting') } : { kind: 'ack' };
        if (body === '1') return { kind: 'poison', reason: 'body is not a webhook' };
        return { kind: 'retry', error: new Error('still broken') };
      }),
    { maxDeliveries: 3 });
    await publish('outcomes', 3);
    await expectEventually(async () => expect(await deadLettersOf('outcomes')).toHaveLength(2));
    expect(deliveries.get('0')).toEqual([1, 2]);
    expect(deliveries.get('1')).toEqual([1]);
    expect(deliveries.get('2')).toEqual([1, 2, 3]);
    const reasons = (await deadLettersOf('outcomes')).map((d) => d.reason).sort();
    expect(reasons).toEqual(['body is not a webhook', 'max deliveries reached: still broken']);
  });

  it('finishes and acks the batch in flight on stop, and hands back what it had not started', async () => {
    const ACK_WAIT_MS = 4_000;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const handled: string[] = [];
    let inFlight = 0;
    const runner = await start('graceful', async (batch) => {
      inFlight = batch.length;
      await gate;
      handled.push(...batch.map((m) => Buffer.from(m.data).toString()));
      return batch.map((): BatchOutcome => ({ kind: 'ack' }));
    }, { batchSize: 4, ackWaitMs: ACK_WAIT_MS });
    await publish('graceful', 12);
    // A batch is in flight (the gate holds it) and more wait buffered behind it.
    await expectEventually(async () => {
      expect(inFlight).toBeGreaterThan(0);
      expect((await h.jsm.consumers.info(h.ns.stream('IDENTITY'), 'graceful')).num_ack_pending).toBeGreaterThan(inFlight);
    }, { timeoutMs: 10_000 }).catch((error) => {
      release();
      throw error;
    });
    expect(runner.running).toBe(true);
    const stopped = runner.stop();
    release();
    await stopped;
    expect(runner.running).toBe(false);
    // Only the batch in flight was handled, and it was acked.
    expect(handled).toHaveLength(inFlight);
    const rest: string[] = [];
    await start('graceful', async (batch) => {
      rest.push(...batch.map((m) => Buffer.from(m.data).toString()));
      return batch.map((): BatchOutcome => ({ kind: 'ack' }));
    }, { ackWaitMs: ACK_WAIT_MS });
    // The rest reaches the next runner: buffered ones at once (nak), any still in transit to
    // the stopped pull after ack_wait. Once nothing is pending, the acked batch never came back.
    await expectEventually(async () => {
      expect(new Set([...handled, ...rest]).size).toBe(12);
      const info = await h.jsm.consumers.info(h.ns.stream('IDENTITY'), 'graceful');
      expect(info.num_ack_pending + info.num_pending).toBe(0);
    }, { timeoutMs: ACK_WAIT_MS * 4 });
    expect(rest.filter((r) => handled.includes(r))).toEqual([]);
  });

  describe('with lingerMs', () => {
    const acking = (sizes: number[]) => async (batch: readonly BatchMessage[]) => {
      sizes.push(batch.length);
      return batch.map((): BatchOutcome => ({ kind: 'ack' }));
    };

    it('gathers a trickle of messages into one batch', async () => {
      const sizes: number[] = [];
      await start('lingering', acking(sizes), { batchSize: 64, lingerMs: 3_000, ackWaitMs: 10_000 });
      for (let i = 0; i < 10; i++) {
        await h.js.publish(h.ns.subject(`identity.batch.lingering.${i}`), Buffer.from(String(i)));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await expectEventually(() => expect(sizes.reduce((a, b) => a + b, 0)).toBe(10), { timeoutMs: 5_000 });
      // Ten messages 20 ms apart: without the linger each would have been a batch of its own.
      expect(sizes).toEqual([10]);
    });

    it('hands over a full batch without waiting out the linger', async () => {
      const sizes: number[] = [];
      await start('full', acking(sizes), { batchSize: 8, lingerMs: 9_000 });
      await publish('full', 8);
      await expectEventually(() => expect(sizes).toEqual([8]), { timeoutMs: 4_000 });
    });

    it('lingers at most a third of ack_wait, so no message is redelivered while its batch waits', async () => {
      const deliveries: number[] = [];
      await start('short-ack', async (batch) => {
        deliveries.push(...batch.map((m) => m.deliveryCount));
        return batch.map((): BatchOutcome => ({ kind: 'ack' }));
      }, { batchSize: 64, lingerMs: 60_000, ackWaitMs: 1_500 });
      await publish('short-ack', 3);
      await expectEventually(() => expect(deliveries).toHaveLength(3), { timeoutMs: 3_000 });
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(deliveries).toEqual([1, 1, 1]);
    });

    it('refuses a linger that is not a number of milliseconds', () => {
      expect(() => new BatchConsumerRunner({ js: h.js, stream: 'S', durable: 'd', handler: acking([]), deadLetterSubject: 'dl', lingerMs: -1 })).toThrow(/lingerMs/);
    });
  });
});
