import { subjectOf } from '@parking/contracts';
import { createHarness, Harness, readStream, tenantCreated } from '../test/harness';
import { EventValidationError } from './errors';
import { EventPublisher } from './event-publisher';

describe('EventPublisher (real JetStream)', () => {
  let h: Harness;
  let publisher: EventPublisher;

  beforeAll(async () => {
    h = await createHarness();
    publisher = new EventPublisher(h.js, h.ns);
  });
  afterAll(() => h.close());

  it('publishes on <ns>.<type>.<tenant>.<aggregate> with Nats-Msg-Id = envelope id, and reports the second publish as a duplicate', async () => {
    const envelope = tenantCreated();
    const first = await publisher.publish(envelope);
    const second = await publisher.publish(envelope);

    expect(first.duplicate).toBe(false);
    expect(second).toEqual({ stream: h.ns.stream('IDENTITY'), seq: first.seq, duplicate: true });
    const stored = await readStream(h.jsm, h.ns.stream('IDENTITY'), h.ns.subject(subjectOf(envelope)));
    expect(stored).toHaveLength(1);
    expect(stored[0].headers['Nats-Msg-Id']).toBe(envelope.id);
    expect(JSON.parse(stored[0].data)).toEqual(envelope);
  });

  it('refuses invalid data before anything is sent, naming the type and the problems', async () => {
    const envelope = { ...tenantCreated(), data: { tenantId: 'not-a-uuid', name: '' } };
    const before = (await h.jsm.streams.info(h.ns.stream('IDENTITY'))).state.messages;

    const refusal = publisher.publish(envelope);

    await expect(refusal).rejects.toBeInstanceOf(EventValidationError);
    await expect(refusal).rejects.toThrow(/identity\.tenant\.created\.v1: .*\/data\/tenantId: must match format "uuid"/);
    expect((await h.jsm.streams.info(h.ns.stream('IDENTITY'))).state.messages).toBe(before);
  });

  it('refuses an event type that is not registered', async () => {
    await expect(publisher.publish({ ...tenantCreated(), type: 'identity.tenant.vanished.v1' })).rejects.toThrow(/not a registered event type/);
  });
});
