/**
 * Dedup and frame-counter sessions through the real pipeline: redeliveries and replicas
 * racing change nothing twice, and no legitimate uplink is dropped after a session restarts.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { IngestEvents } from '@parking/contracts';
import { expectEventually } from '@parking/testing';
import { FCNT_RESET_THRESHOLD } from './session-rules';
import { PipelineHarness } from './test/pipeline-harness';

const newEui = () => randomBytes(8).toString('hex');

function up(devEui: string, fCnt: number, devAddr = '00189440', deduplicationId: string = randomUUID()) {
  return {
    deduplicationId,
    time: new Date().toISOString(),
    deviceInfo: { tenantId: randomUUID(), devEui, deviceName: 'bay sensor' },
    devAddr,
    fCnt,
    fPort: 1,
    data: 'lQ==',
    rxInfo: [{ gatewayId: '0016c001f153a14c', rssi: -80, snr: 7.25 }],
    txInfo: { frequency: 868100000, modulation: { lora: { bandwidth: 125000, spreadingFactor: 9 } } },
  };
}

describe('uplink pipeline: dedup and frame-counter sessions', () => {
  let h: PipelineHarness;
  const tenant = randomUUID();

  beforeAll(async () => {
    h = await PipelineHarness.start();
    await h.startConsumer({ batchSize: 64 });
    await h.startRelay();
  });
  afterAll(() => h?.close());

  const frames = async (devEui: string) => (await h.uplinks(devEui)).map((u) => [u.session, u.f_cnt]);

  /** Publishes in order and waits until each has been handled (so the order is the arrival order). */
  async function sendInOrder(bodies: Array<[string, object]>): Promise<void> {
    for (const [event, body] of bodies) {
      const before = (await h.admin.query(`SELECT count(*)::int AS n FROM ingest.event_receipts WHERE tenant_id = $1`, [tenant])).rows[0].n;
      await h.publish(event, body, { tenantId: tenant });
      await expectEventually(async () => {
        const { rows } = await h.admin.query(`SELECT count(*)::int AS n FROM ingest.event_receipts WHERE tenant_id = $1`, [tenant]);
        expect(rows[0].n).toBe(before + 1);
      });
    }
  }

  it('stores an uplink delivered 10 times at once to two replicas, and again later, once, with one event', async () => {
    const devEui = newEui();
    await h.registerDevice(tenant, devEui);
    const second = await h.startConsumer({ batchSize: 8 });
    const body = up(devEui, 7);
    await Promise.all(Array.from({ length: 10 }, () => h.publish('up', body, { tenantId: tenant })));
    await expectEventually(async () => expect(await frames(devEui)).toEqual([[0, 7]]));
    await second.stop();
    await h.publish('up', body, { tenantId: tenant });
    await h.publish('up', body, { tenantId: tenant, msgId: `up:${body.deduplicationId}` });
    // The stream holds all 12 (distinct Nats-Msg-Ids, as after JetStream's window); the consumer took them all.
    await expectEventually(async () => {
      const info = await h.jsm.consumers.info(h.namespace.stream('WEBHOOKS'), 'ingest-uplink-pipeline');
      expect({ pending: info.num_pending, unacked: info.num_ack_pending }).toEqual({ pending: 0, unacked: 0 });
    });
    expect(await frames(devEui)).toEqual([[0, 7]]);
    expect(await h.device(devEui)).toMatchObject({ uplink_count: 1, last_f_cnt: 7, rssi: -80, snr: 7.25 });
    expect(await h.events(IngestEvents.UPLINK_RECEIVED_V1, devEui)).toHaveLength(1);
    // And the relay published exactly that one to the INGEST stream.
    await expectEventually(async () => {
      const stream = await h.jsm.streams.info(h.namespace.stream('INGEST'), { subjects_filter: h.namespace.subject(`${IngestEvents.UPLINK_RECEIVED_V1}.${tenant}.>`) });
      const deviceId = (await h.events(IngestEvents.UPLINK_RECEIVED_V1, devEui))[0].subject;
      expect(stream.state.subjects?.[h.namespace.subject(`${IngestEvents.UPLINK_RECEIVED_V1}.${tenant}.${deviceId}`)]).toBe(1);
    });
  });

  it('keeps fCnt 0, 1, 2 after a rejoin that followed 50..52, in the next session', async () => {
    const devEui = newEui();
    await h.registerDevice(tenant, devEui);
    const join = { deduplicationId: randomUUID(), time: new Date().toISOString(), deviceInfo: { devEui }, devAddr: '0118a001' };
    await sendInOrder([
      ['up', up(devEui, 50)],
      ['up', up(devEui, 51)],
      ['up', up(devEui, 52)],
      ['join', join],
      ['up', up(devEui, 0, '0118a001')],
      ['up', up(devEui, 1, '0118a001')],
      ['up', up(devEui, 2, '0118a001')],
    ]);
    expect(await frames(devEui)).toEqual([[0, 50], [0, 51], [0, 52], [1, 0], [1, 1], [1, 2]]);
    expect(await h.device(devEui)).toMatchObject({ session: 1, last_f_cnt: 2, dev_addr: '0118a001', uplink_count: 6 });
    const events = await h.events<{ session: number; fCnt: number }>(IngestEvents.UPLINK_RECEIVED_V1, devEui);
    expect(events.map((e) => [e.data.session, e.data.fCnt])).toEqual([[0, 50], [0, 51], [0, 52], [1, 0], [1, 1], [1, 2]]);
  });

  it('starts the next session on an UPLINK_F_CNT_RESET log', async () => {
    const devEui = newEui();
    await h.registerDevice(tenant, devEui);
    const reset = { time: new Date().toISOString(), deviceInfo: { devEui }, level: 'WARNING', code: 'UPLINK_F_CNT_RESET', description: 'frame-counter reset or rollover', context: {} };
    await sendInOrder([
      ['up', up(devEui, 50)],
      ['up', up(devEui, 51)],
      ['log', reset],
      ['up', up(devEui, 0)],
      ['up', up(devEui, 1)],
    ]);
    expect(await frames(devEui)).toEqual([[0, 50], [0, 51], [1, 0], [1, 1]]);
  });

  it('starts the next session on a new devAddr without a join', async () => {
    const devEui = newEui();
    await h.registerDevice(tenant, devEui);
    await sendInOrder([
      ['up', up(devEui, 50, '00189440')],
      ['up', up(devEui, 0, '02a0b0c0')],
      ['up', up(devEui, 1, '02a0b0c0')],
    ]);
    expect(await frames(devEui)).toEqual([[0, 50], [1, 0], [1, 1]]);
  });

  it(`starts the next session when fCnt falls more than ${FCNT_RESET_THRESHOLD} (a reset or wrap), but keeps a small late arrival`, async () => {
    const devEui = newEui();
    await h.registerDevice(tenant, devEui);
    await sendInOrder([
      ['up', up(devEui, 5000)],
      ['up', up(devEui, 5002)],
      ['up', up(devEui, 5001)],
      ['up', up(devEui, 3)],
      ['up', up(devEui, 4)],
    ]);
    expect(await frames(devEui)).toEqual([[0, 5000], [0, 5001], [0, 5002], [1, 3], [1, 4]]);
    expect(await h.device(devEui)).toMatchObject({ session: 1, last_f_cnt: 4, uplink_count: 5 });
  });

  it('gives a retransmission (same session and fCnt, another deduplicationId) no effect', async () => {
    const devEui = newEui();
    await h.registerDevice(tenant, devEui);
    await sendInOrder([
      ['up', up(devEui, 9)],
      ['up', up(devEui, 9)],
    ]);
    expect(await frames(devEui)).toEqual([[0, 9]]);
    expect(await h.device(devEui)).toMatchObject({ uplink_count: 1 });
    expect(await h.events(IngestEvents.UPLINK_RECEIVED_V1, devEui)).toHaveLength(1);
  });
});
