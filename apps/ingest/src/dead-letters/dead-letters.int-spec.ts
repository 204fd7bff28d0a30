/** What the pipeline cannot process goes to the dead letters with its reason; a platform admin replays it once after a fix. */
import { randomBytes, randomUUID } from 'node:crypto';
import { IngestEvents, Principal } from '@parking/contracts';
import { expectEventually } from '@parking/testing';
import { RawWebhookRepublisher } from '../orphans/raw-webhook-republisher';
import { PipelineHarness } from '../pipeline/test/pipeline-harness';
import { DeadLetterAdmin } from './dead-letter-admin';

const admin: Principal = { kind: 'user', tenantId: randomUUID(), actor: `user:${randomUUID()}`, userId: randomUUID(), permissions: [], isPlatformAdmin: true };

describe('pipeline dead letters and their replay', () => {
  let h: PipelineHarness;
  let deadLetters: DeadLetterAdmin;
  const tenant = randomUUID();

  beforeAll(async () => {
    h = await PipelineHarness.start();
    await h.startConsumer();
    deadLetters = new DeadLetterAdmin(h.db, async () => h.jsm, h.namespace, new RawWebhookRepublisher(h.js, h.namespace));
  });
  afterAll(() => h?.close());

  it('dead-letters an undecodable uplink and an unparseable body with their reasons; replay after a codec fix processes it once', async () => {
    const devEui = randomBytes(8).toString('hex');
    await h.registerDevice(tenant, devEui, 'nwave-nps405');
    // fPort 99 means nothing to the NPS405 codec; ChirpStack's own decoder did read it.
    const body = { deduplicationId: randomUUID(), deviceInfo: { devEui }, devAddr: '00189440', fCnt: 3, fPort: 99, data: 'AQ==', object: { occupied: true, battery: 3.1 } };
    await h.publish('up', body, { tenantId: tenant });
    await h.publish('up', '{"deduplicationId": ', { tenantId: tenant });
    await h.js.publish(h.namespace.subject(`webhook.chirpstack.up.${tenant}`), Buffer.from('{}'), { msgID: randomUUID() });

    await expectEventually(async () => expect(await h.deadLetters()).toHaveLength(3));
    // Settled in parallel within their batch: find each by its reason, not by position.
    const letters = await h.deadLetters();
    const reasons = letters.map((l) => l.reason);
    expect(reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^undecodable uplink of ${devEui}: codec nwave-nps405: unknown_port`)),
        expect.stringMatching(/^unparseable up body \(BAD_REQUEST\): The body is not valid JSON/),
        expect.stringMatching(/^missing raw-webhook headers/),
      ]),
    );
    const undecodable = letters.find((l) => l.reason.startsWith('undecodable')) as (typeof letters)[number];
    expect(await h.uplinks(devEui)).toEqual([]);

    const page = await deadLetters.list(admin, 'support: stuck uplinks', { limit: 2 });
    const newestFirst = letters.map((l) => l.seq).sort((a, b) => b - a);
    expect(page.items.map((l) => [l.seq, l.replayed])).toEqual([
      [newestFirst[0], false],
      [newestFirst[1], false],
    ]);
    const rest = await deadLetters.list(admin, 'support: stuck uplinks', { limit: 2, cursor: page.nextCursor as string });
    expect(rest).toEqual({ items: [expect.objectContaining({ seq: newestFirst[2] })], nextCursor: null });
    const listed = [...page.items, ...rest.items].find((l) => l.seq === undecodable.seq);
    expect(listed).toMatchObject({
      originalSubject: `webhook.chirpstack.up.${tenant}`,
      consumer: 'ingest-uplink-pipeline',
      reason: undecodable.reason,
      payloadBytes: Buffer.byteLength(JSON.stringify(body)),
      deliveries: 1,
      headers: expect.objectContaining({ 'Parking-Event': 'up', 'Parking-Tenant-Id': tenant }),
    });

    // The fix: the device is switched to the codec that reads ChirpStack's object.
    await h.admin.query(`UPDATE ingest.devices SET codec = 'chirpstack-object' WHERE dev_eui = $1`, [devEui]);
    const replay = await deadLetters.replay(admin, 'codec fixed', undecodable.seq);
    expect(replay).toMatchObject({ seq: undecodable.seq, originalSubject: `webhook.chirpstack.up.${tenant}`, msgId: expect.stringMatching(new RegExp(`^replay:${undecodable.seq}:up:`)) });
    await expectEventually(async () => expect((await h.uplinks(devEui)).map((u) => [u.f_cnt, u.uplink.codecId])).toEqual([[3, 'chirpstack-object']]));
    expect(await h.device(devEui)).toMatchObject({ uplink_count: 1, battery_voltage: expect.closeTo(3.1, 3) });

    await expect(deadLetters.replay(admin, 'again', undecodable.seq)).rejects.toMatchObject({ code: 'ALREADY_REPLAYED' });
    const after = await deadLetters.list(admin, 'check', { limit: 10 });
    expect(after.items.find((l) => l.seq === undecodable.seq)).toMatchObject({ replayed: true, replayedAt: expect.any(String) });
    expect(await h.events(IngestEvents.UPLINK_RECEIVED_V1, devEui)).toHaveLength(1);
    expect(await h.deadLetters()).toHaveLength(3);
    await expect(deadLetters.replay({ ...admin, isPlatformAdmin: false }, 'curious', newestFirst[0])).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(deadLetters.replay(admin, 'no such letter', newestFirst[0] + 1000)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
  it('keeps one bad message from holding back the rest of its tenant batch', async () => {
    const devEui = randomBytes(8).toString('hex');
    await h.registerDevice(tenant, devEui, 'chirpstack-object');
    const frame = (fCnt: number, bytes: number) => ({
      deduplicationId: randomUUID(),
      deviceInfo: { devEui },
      devAddr: '00189440',
      fCnt,
      fPort: 1,
      data: Buffer.alloc(bytes, 7).toString('base64'),
      object: { occupied: fCnt % 2 === 0 },
    });
    const before = (await h.deadLetters()).length;
    // 1100 bytes is more than any LoRaWAN frame: the Uplink schema refuses it, so its event cannot be published.
    await Promise.all([h.publish('up', frame(1, 4), { tenantId: tenant }), h.publish('up', frame(2, 1100), { tenantId: tenant }), h.publish('up', frame(3, 4), { tenantId: tenant })]);
    await expectEventually(async () => {
      expect((await h.uplinks(devEui)).map((u) => u.f_cnt)).toEqual([1, 3]);
      expect((await h.deadLetters()).slice(before).map((l) => l.reason)).toEqual([expect.stringMatching(/^Refusing event ingest\.uplink\.received\.v1: \/data\/payload/)]);
    });
    expect(await h.events(IngestEvents.UPLINK_RECEIVED_V1, devEui)).toHaveLength(2);
  });
});
