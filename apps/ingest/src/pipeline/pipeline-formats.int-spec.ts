/**
 * Every ChirpStack documentation example (v4 JSON and Protobuf, v3 with both marshalers),
 * published to WEBHOOKS as the gateway publishes it, becomes the right Uplink contract and
 * device update: real PostgreSQL and JetStream.
 */
import { randomUUID } from 'node:crypto';
import { IngestEvents } from '@parking/contracts';
import { expectEventually } from '@parking/testing';
// The ChirpStack docs' examples live with the parser that reads them; only tests import them.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { v3legacy, v3pb, v4 } from '../../../../libs/shared/chirpstack-events/src/test/docs-examples';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { toProtobuf } from '../../../../libs/shared/chirpstack-events/src/test/pb-builder';
import { PipelineHarness } from './test/pipeline-harness';

type Json = Record<string, unknown>;

/** The docs' v4 body for another devEUI and deduplicationId, so each encoding has a device of its own. */
function v4For(kind: keyof typeof v4, devEui: string): Json {
  const body = structuredClone(v4[kind]) as Json & { deviceInfo: Json };
  body.deviceInfo = { ...body.deviceInfo, devEui };
  if ('deduplicationId' in body) body.deduplicationId = randomUUID();
  return body;
}

describe('uplink pipeline: every ChirpStack documentation example', () => {
  let h: PipelineHarness;
  const tenant = randomUUID();

  beforeAll(async () => {
    h = await PipelineHarness.start();
    await h.startConsumer();
  });
  afterAll(() => h?.close());

  async function uplinkOf(devEui: string) {
    await expectEventually(async () => expect(await h.uplinks(devEui)).toHaveLength(1));
    return (await h.uplinks(devEui))[0];
  }

  it.each([
    ['v4 JSON', 'application/json', (kind: keyof typeof v4, devEui: string) => Buffer.from(JSON.stringify(v4For(kind, devEui))), 'v4-json'],
    ['v4 Protobuf', 'application/octet-stream', (kind: keyof typeof v4, devEui: string) => Buffer.from(toProtobuf(kind, v4For(kind, devEui))), 'v4-protobuf'],
  ] as const)('%s: up, join, status, ack, txack, log, location and integration', async (_name, contentType, body, format) => {
    const devEui = format === 'v4-json' ? '0101010101010101' : 'a1a1a1a1a1a1a1a1';
    const integrationEui = format === 'v4-json' ? '0016c001f000175a' : 'a2a2a2a2a2a2a2a2';
    const deviceId = await h.registerDevice(tenant, devEui, 'nwave-nps405');
    await h.registerDevice(tenant, integrationEui, 'chirpstack-object');
    for (const kind of ['up', 'status', 'ack', 'txack', 'log', 'location'] as const) {
      await h.publish(kind, body(kind, devEui), { tenantId: tenant, contentType });
    }
    await h.publish('integration', body('integration', integrationEui), { tenantId: tenant, contentType });

    const uplink = await uplinkOf(devEui);
    expect(uplink.uplink).toEqual({
      tenantId: tenant,
      deviceId,
      devEui,
      deduplicationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      session: 0,
      // Not in the example: early v4 releases dropped zero values, so a missing fCnt is 0.
      fCnt: 0,
      fPort: 1,
      devAddr: '00189440',
      sensorTime: '2022-07-18T09:34:15.775Z',
      receivedAt: expect.any(String),
      format,
      payload: 'qg==',
      decoded: expect.objectContaining({ occupied: false, frameType: 'parking_status', vendor: expect.objectContaining({ type: 'parking_status', occupied: false }) }),
      codecId: 'nwave-nps405',
      radio: {
        gateways: [{ gatewayId: '0016c001f153a14c', rssi: -36, snr: 10.5 }],
        rssi: -36,
        snr: 10.5,
        dataRate: 1,
        spreadingFactor: 11,
        bandwidth: 125000,
        frequency: 867100000,
      },
    });

    await expectEventually(async () => {
      expect(await h.device(devEui)).toMatchObject({
        uplink_count: 1,
        last_f_cnt: 0,
        dev_addr: '00189440',
        rssi: -36,
        snr: 10.5,
        battery_percent: expect.closeTo(88.3, 3),
        margin_db: 10,
        last_status_at: new Date('2022-07-18T09:35:06.927Z'),
        latitude: 37.344214,
        longitude: -8.839375,
        altitude: 2,
        located_at: new Date('2022-07-18T09:55:11.059Z'),
      });
      expect(await h.events(IngestEvents.DOWNLINK_CONFIRMED_V1, devEui)).toHaveLength(2);
    });
    expect((await h.events(IngestEvents.UPLINK_RECEIVED_V1, devEui)).map((e) => e.data)).toEqual([uplink.uplink]);
    expect((await h.events(IngestEvents.DEVICE_STATUS_V1, devEui)).map((e) => e.data)).toEqual([
      expect.objectContaining({ deviceId, batteryPercent: expect.closeTo(88.3, 3), marginDb: 10, externalPowerSource: false, reportedAt: '2022-07-18T09:35:06.927Z' }),
    ]);
    expect((await h.events(IngestEvents.DOWNLINK_CONFIRMED_V1, devEui)).map((e) => e.data)).toEqual([
      expect.objectContaining({ confirmation: 'ack', queueItemId: '1bbcab1d-6ec6-4136-b3f5-d63be1dc08de', acknowledged: true, fCntDown: 3, gatewayId: null }),
      expect.objectContaining({ confirmation: 'txack', queueItemId: '42cb6459-a640-46ec-9623-bdff39dc4736', acknowledged: true, fCntDown: 2, gatewayId: '0016c001f153a14c' }),
    ]);
    await expectEventually(async () => {
      const { rows } = await h.admin.query(`SELECT dev_eui, kind, level, code, description, context FROM ingest.device_logs WHERE tenant_id = $1 AND dev_eui = ANY ($2) ORDER BY id`, [
        tenant,
        [devEui, integrationEui],
      ]);
      expect(rows).toEqual([
        { dev_eui: devEui, kind: 'log', level: 'ERROR', code: 'UPLINK_MIC', description: 'MIC of join-request is invalid, make sure keys are correct', context: expect.any(Object) },
        { dev_eui: integrationEui, kind: 'integration', level: null, code: 'modem_UplinkResponse', description: 'loracloud', context: expect.objectContaining({ stream_records: expect.any(Array) }) },
      ]);
    });

    // A join: the next frame-counter session, counting from 0 again.
    await h.publish('join', body('join', devEui), { tenantId: tenant, contentType });
    await expectEventually(async () => expect(await h.device(devEui)).toMatchObject({ session: 1, last_f_cnt: null, dev_addr: '00189440' }));
    expect((await h.events(IngestEvents.DEVICE_JOINED_V1, devEui)).map((e) => e.data)).toEqual([
      expect.objectContaining({ deviceId, session: 1, devAddr: '00189440', joinedAt: '2022-07-18T09:33:28.823Z' }),
    ]);
    expect(await h.deadLetters()).toEqual([]);
  });

  it.each([
    ['v3 protobuf-JSON marshaler', v3pb, '0202020202020202', 'v3-json-protobuf', { gatewayId: '0303030303030303', rssi: -48, snr: 9 }, { dataRate: 1, spreadingFactor: 11, bandwidth: 125000 }, 75.5],
    ['v3 legacy JSON marshaler', v3legacy, 'b2b2b2b2b2b2b2b2', 'v3-json-legacy', { gatewayId: '0303030303030303', rssi: -57, snr: 10 }, { dataRate: 5, spreadingFactor: null, bandwidth: null }, 78.74],
  ] as const)('%s: up, status, join, ack (and txack, error)', async (_name, examples, devEui, format, gateway, modulation, battery) => {
    const deviceId = await h.registerDevice(tenant, devEui, 'chirpstack-object');
    // The legacy examples are rewritten to a devEUI of their own (one owner per devEUI).
    const rewrite = (b: object): Json => {
      const json = JSON.stringify(b);
      return JSON.parse(format === 'v3-json-legacy' ? json.replaceAll('0202020202020202', devEui) : json) as Json;
    };
    const kinds = Object.keys(examples) as Array<keyof typeof examples>;
    for (const kind of kinds) await h.publish(kind, rewrite(examples[kind] as object), { tenantId: tenant });

    const uplink = await uplinkOf(devEui);
    expect(uplink.uplink).toEqual({
      tenantId: tenant,
      deviceId,
      devEui,
      deduplicationId: null,
      session: 0,
      fCnt: 10,
      fPort: 5,
      devAddr: null,
      sensorTime: null,
      receivedAt: expect.any(String),
      format,
      payload: 'AQI=',
      decoded: { occupied: null, batteryPercent: null, batteryVoltage: null, temperatureC: null, frameType: null, fields: {}, vendor: expect.objectContaining({ humiditySensor: expect.anything() }) },
      codecId: 'chirpstack-object',
      radio: { gateways: [gateway], rssi: gateway.rssi, snr: gateway.snr, frequency: 868100000, ...modulation },
    });
    await expectEventually(async () => {
      expect(await h.device(devEui)).toMatchObject({ battery_percent: expect.closeTo(battery, 2), margin_db: 6, session: 1, rssi: gateway.rssi });
      expect(await h.events(IngestEvents.DEVICE_JOINED_V1, devEui)).toHaveLength(1);
      expect(await h.events(IngestEvents.DOWNLINK_CONFIRMED_V1, devEui)).toHaveLength('txack' in examples ? 2 : 1);
    });
    if ('error' in examples) {
      await expectEventually(async () => {
        const { rows } = await h.admin.query(`SELECT code FROM ingest.device_logs WHERE dev_eui = $1`, [devEui]);
        expect(rows).toEqual([{ code: 'UPLINK_CODEC' }]);
      });
    }
    expect(await h.deadLetters()).toEqual([]);
  });

  it('announces a failed downlink from a DOWNLINK_* log (v4 with and without context, v3 error): code, TX status, queue item, gateway', async () => {
    const devEui = 'c3c3c3c3c3c3c3c3';
    const deviceId = await h.registerDevice(tenant, devEui, 'kuando-busylight');
    const log = (code: string, description: string, context: Json) => ({ ...v4For('log', devEui), code, description, context, time: '2026-03-01T09:37:48.929Z' });
    // As ChirpStack logs a gateway's TX ack error: the status is the description.
    await h.publish('log', log('DOWNLINK_GATEWAY', 'DUTY_CYCLE_OVERFLOW', {}), { tenantId: tenant });
    await h.publish('log', log('DOWNLINK_GATEWAY', 'TOO_LATE', { queue_item_id: 'a7f0c2de-4b0e-4d44-9c47-2f2b6a1c9e01', gateway_id: '0016c001f153a14c' }), { tenantId: tenant });
    await h.publish('log', log('DOWNLINK_PAYLOAD_SIZE', 'Device queue-item discarded because it exceeds the max. payload size', { max_payload_size: '51', item_size: '60', queue_item_id: 'b1e2c3d4-0000-4000-8000-000000000001' }), { tenantId: tenant });
    // Not a downlink's failure: stored, not announced.
    await h.publish('log', log('UPLINK_F_CNT_RETRANSMISSION', 'retransmission', {}), { tenantId: tenant });
    const legacy = { applicationID: '123', devEUI: devEui, type: 'DOWNLINK_GATEWAY', error: 'COLLISION_PACKET', fCnt: 3 };
    await h.publish('error', legacy, { tenantId: tenant });

    await expectEventually(async () => expect(await h.events(IngestEvents.DOWNLINK_FAILED_V1, devEui)).toHaveLength(4));
    const failed = (await h.events(IngestEvents.DOWNLINK_FAILED_V1, devEui)).map((e) => e.data);
    const common = { tenantId: tenant, deviceId, devEui, receivedAt: expect.any(String) };
    expect(failed).toEqual([
      { ...common, code: 'DOWNLINK_GATEWAY', txStatus: 'DUTY_CYCLE_OVERFLOW', queueItemId: null, gatewayId: null, description: 'DUTY_CYCLE_OVERFLOW', failedAt: '2026-03-01T09:37:48.929Z' },
      { ...common, code: 'DOWNLINK_GATEWAY', txStatus: 'TOO_LATE', queueItemId: 'a7f0c2de-4b0e-4d44-9c47-2f2b6a1c9e01', gatewayId: '0016c001f153a14c', description: 'TOO_LATE', failedAt: '2026-03-01T09:37:48.929Z' },
      { ...common, code: 'DOWNLINK_PAYLOAD_SIZE', txStatus: null, queueItemId: 'b1e2c3d4-0000-4000-8000-000000000001', gatewayId: null, description: expect.stringContaining('max. payload size'), failedAt: '2026-03-01T09:37:48.929Z' },
      { ...common, code: 'DOWNLINK_GATEWAY', txStatus: 'COLLISION_PACKET', queueItemId: null, gatewayId: null, description: 'COLLISION_PACKET', failedAt: expect.any(String) },
    ]);
    await expectEventually(async () => {
      const { rows } = await h.admin.query(`SELECT code FROM ingest.device_logs WHERE dev_eui = $1 ORDER BY id`, [devEui]);
      expect(rows.map((r: { code: string }) => r.code)).toEqual(['DOWNLINK_GATEWAY', 'DOWNLINK_GATEWAY', 'DOWNLINK_PAYLOAD_SIZE', 'UPLINK_F_CNT_RETRANSMISSION', 'DOWNLINK_GATEWAY']);
    });
    expect(await h.deadLetters()).toEqual([]);
  });

  it("announces a display's uplink with what it shows and the gateways that heard it; a sensor's uplink announces no such thing", async () => {
    const light = 'd4d4d4d4d4d4d4d4';
    const sensor = 'e5e5e5e5e5e5e5e5';
    const lightId = await h.registerDevice(tenant, light, 'kuando-busylight', null, 'display');
    await h.registerDevice(tenant, sensor, 'nwave-nps405');
    // The vendor's status example: the light shows steady green.
    const status = Buffer.from([208, 255, 255, 255, 30, 0, 0, 0, 8, 0, 0, 0, 6, 0, 0, 0, 0, 0, 255, 255, 0, 41, 12, 1]).toString('base64');
    await h.publish('up', { ...v4For('up', light), fPort: 15, data: status }, { tenantId: tenant });
    await h.publish('up', v4For('up', sensor), { tenantId: tenant });
    await expectEventually(async () => expect(await h.events(IngestEvents.DISPLAY_REPORTED_V1, light)).toHaveLength(1));
    const [reported] = await h.events<IngestEvents.DisplayReportedV1Data>(IngestEvents.DISPLAY_REPORTED_V1, light);
    expect(reported.data).toEqual({
      tenantId: tenant,
      deviceId: lightId,
      devEui: light,
      codecId: 'kuando-busylight',
      fields: expect.objectContaining({ shows: { red: 0, green: 255, blue: 0, onTime: 255, offTime: 0 } }),
      gateways: [{ gatewayId: '0016c001f153a14c', rssi: -36, snr: 10.5 }],
      receivedAt: expect.any(String),
    });
    await expectEventually(async () => expect(await h.uplinks(sensor)).toHaveLength(1));
    expect(await h.events(IngestEvents.DISPLAY_REPORTED_V1, sensor)).toEqual([]);
    expect(await h.deadLetters()).toEqual([]);
  });
});
