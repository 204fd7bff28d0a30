import { dedupKey, parseChirpstackEvent } from '../index';
import type { ParseResult, ParsedEvent } from '../index';
import { v3legacy, v3pb, v4 } from '../test/docs-examples';
import { toProtobuf } from '../test/pb-builder';

const JSON_CT = 'application/json';
const PB_CT = 'application/octet-stream';

function json(event: string, body: unknown, contentType = JSON_CT): ParseResult {
  return parseChirpstackEvent({ event, contentType, body: Buffer.from(JSON.stringify(body)) });
}
function ok(r: ParseResult): ParsedEvent {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.problem)}`);
  return r.event;
}
const ctx = {
  tenantId: '52f14cd4-c6f1-4fbd-8f87-4025e1d49242',
  applicationId: '17c82e96-be03-4f38-aef3-f83d48582d97',
  deviceProfileId: '14855bf7-d10d-4aee-b618-ebfcb64dc7ad',
  deviceName: 'Test device',
};
const tagged = { ...ctx, tags: { key: 'value' } };

// Expected normalised records (format filled in per encoding).
const expected: Record<keyof typeof v4, object> = {
  up: {
    kind: 'up',
    devEui: '0101010101010101',
    deduplicationId: '3ac7e3c4-4401-4b8d-9386-a5c902f9202d',
    time: '2022-07-18T09:34:15.775Z',
    devAddr: '00189440',
    fCnt: 0, // absent in the docs example: early v4 dropped zero values
    fPort: 1,
    payload: new Uint8Array([0xaa]),
    radio: {
      gateways: [{ gatewayId: '0016c001f153a14c', rssi: -36, snr: 10.5 }],
      frequency: 867100000,
      spreadingFactor: 11,
      bandwidth: 125000,
      dataRate: 1,
    },
    chirpstack: tagged,
  },
  status: {
    kind: 'status',
    devEui: '0101010101010101',
    deduplicationId: 'bf2a9746-1c8b-49be-a92e-f0b89c8534e4',
    time: '2022-07-18T09:35:06.927Z',
    margin: 10,
    batteryLevel: expect.closeTo(88.3, 5),
    externalPowerSource: false,
    chirpstack: ctx,
  },
  join: {
    kind: 'join',
    devEui: '0101010101010101',
    deduplicationId: 'c9dbe358-2578-4fb7-b295-66b44edc45a6',
    time: '2022-07-18T09:33:28.823Z',
    devAddr: '00189440',
    chirpstack: tagged,
  },
  ack: {
    kind: 'ack',
    devEui: '0101010101010101',
    deduplicationId: '856a03e7-80f6-4c26-b971-9dcb34a59c2e',
    time: '2022-07-18T09:38:49.235Z',
    queueItemId: '1bbcab1d-6ec6-4136-b3f5-d63be1dc08de',
    acknowledged: true,
    fCntDown: 3,
    chirpstack: tagged,
  },
  txack: {
    kind: 'txack',
    devEui: '0101010101010101',
    time: '2022-07-18T09:37:48.929Z',
    queueItemId: '42cb6459-a640-46ec-9623-bdff39dc4736',
    downlinkId: 3461958127,
    gatewayId: '0016c001f153a14c',
    acknowledged: true,
    fCntDown: 2,
    chirpstack: tagged,
  },
  log: {
    kind: 'log',
    devEui: '0101010101010101',
    time: '2022-07-18T09:39:57.311Z',
    level: 'ERROR',
    code: 'UPLINK_MIC',
    description: 'MIC of join-request is invalid, make sure keys are correct',
    context: { deduplication_id: '4e91db13-5ce3-4c8c-ab0f-dfc626cf0771' },
    chirpstack: tagged,
  },
  location: {
    kind: 'location',
    devEui: '0101010101010101',
    deduplicationId: '63d870b9-b769-4d88-8b33-8e43f58851a7',
    time: '2022-07-18T09:55:11.059Z',
    latitude: 37.344214,
    longitude: -8.839375,
    altitude: 2,
    source: 'UNKNOWN',
    chirpstack: tagged,
  },
  integration: {
    kind: 'integration',
    devEui: '0016c001f000175a',
    deduplicationId: '39c68646-57f7-4973-8ac8-48839b5714d6',
    time: '2022-07-18T10:02:15.812Z',
    integrationName: 'loracloud',
    eventType: 'modem_UplinkResponse',
    object: v4.integration.object,
    chirpstack: { ...tagged, deviceName: 'LR1110' },
  },
};

describe('v4 docs examples', () => {
  const kinds = Object.keys(v4) as (keyof typeof v4)[];

  it.each(kinds)('%s (JSON) is accepted and normalised', (kind) => {
    expect(ok(json(kind, v4[kind]))).toEqual({ ...expected[kind], format: 'v4-json' });
  });

  it.each(kinds)('%s (Protobuf, built with chirpstack-api) is accepted and normalised the same', (kind) => {
    const body = Buffer.from(toProtobuf(kind, v4[kind]));
    const event = ok(parseChirpstackEvent({ event: kind, contentType: PB_CT, body }));
    expect(event).toEqual({ ...expected[kind], format: 'v4-protobuf' });
  });

  it('the up payload is the raw bytes', () => {
    const e = ok(json('up', v4.up));
    expect(e.kind === 'up' && Buffer.from(e.payload).toString('hex')).toBe('aa');
  });
});

describe('v3 docs examples', () => {
  it.each(Object.keys(v3pb).filter((k) => k !== 'txack'))('%s (protobuf-JSON marshaler) is accepted', (kind) => {
    const e = ok(json(kind, v3pb[kind as keyof typeof v3pb]));
    expect(e.format).toBe('v3-json-protobuf');
    expect(e.devEui).toBe('0202020202020202');
    expect(e.chirpstack.applicationId).toBe('123');
  });

  it('txack from the protobuf-JSON page carries a hex devEUI and is recorded as legacy', () => {
    expect(ok(json('txack', v3pb.txack))).toMatchObject({ kind: 'txack', format: 'v3-json-legacy', fCntDown: 12 });
  });

  it.each(Object.keys(v3legacy))('%s (legacy JSON marshaler) is accepted', (kind) => {
    const e = ok(json(kind, v3legacy[kind as keyof typeof v3legacy]));
    expect(e.format).toBe('v3-json-legacy');
    expect(e.devEui).toBe('0202020202020202');
  });

  it('normalises a v3 protobuf-JSON uplink', () => {
    expect(ok(json('up', v3pb.up))).toEqual({
      kind: 'up',
      format: 'v3-json-protobuf',
      devEui: '0202020202020202',
      fCnt: 10,
      fPort: 5,
      payload: new Uint8Array([1, 2]),
      object: { temperatureSensor: 25, humiditySensor: 32 },
      radio: {
        gateways: [{ gatewayId: '0303030303030303', rssi: -48, snr: 9 }],
        frequency: 868100000,
        spreadingFactor: 11,
        bandwidth: 125000,
        dataRate: 1,
      },
      chirpstack: { applicationId: '123', deviceName: 'garden-sensor', tags: { key: 'value' } },
    });
  });

  it('normalises a v3 legacy uplink', () => {
    expect(ok(json('up', v3legacy.up))).toMatchObject({
      format: 'v3-json-legacy',
      fCnt: 10,
      object: { temperatureSensor: { '1': 25 } },
      radio: { gateways: [{ gatewayId: '0303030303030303', rssi: -57, snr: 10 }], dataRate: 5 },
    });
  });

  it('maps v3 join devAddr (base64) and error events', () => {
    expect(ok(json('join', v3pb.join))).toMatchObject({ kind: 'join', devAddr: '00513942' });
    expect(ok(json('error', v3pb.error))).toMatchObject({ kind: 'log', level: 'ERROR', code: 'UPLINK_CODEC' });
  });

  it('maps the oldest v3 status battery scale', () => {
    expect(ok(json('status', v3legacy.status))).toMatchObject({ margin: 6, batteryLevel: 78.74, externalPowerSource: false });
  });
});

describe('v4 rules', () => {
  it('a missing fCnt means 0; a present one is kept', () => {
    expect(ok(json('up', v4.up))).toMatchObject({ fCnt: 0 });
    expect(ok(json('up', { ...v4.up, fCnt: 42 }))).toMatchObject({ fCnt: 42 });
    expect(ok(json('up', { ...v4.up, fCnt: '42' }))).toMatchObject({ fCnt: 42 });
  });

  it('ignores unknown fields', () => {
    const body = { ...v4.up, regionConfigId: 'eu868', relayRxInfo: { devEui: 'x' }, somethingNew: [1, { a: 2 }] };
    expect(ok(json('up', body))).toEqual({ ...expected.up, format: 'v4-json' });
  });

  it('lists each missing or invalid required field', () => {
    const { deduplicationId: _d, ...noDedup } = v4.up;
    const r = json('up', { ...noDedup, deviceInfo: { ...v4.up.deviceInfo, devEui: 'zz' }, fCnt: -1, data: '!!' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problem.code).toBe('VALIDATION_FAILED');
    expect(r.problem.errors?.map((e) => e.field).sort()).toEqual(['data', 'deduplicationId', 'deviceInfo.devEui', 'fCnt']);
  });

  it('rejects an uplink without deviceInfo', () => {
    const { deviceInfo: _d, ...rest } = v4.up;
    const r = json('up', rest);
    expect(!r.ok && r.problem.errors).toEqual([{ field: 'deviceInfo', message: 'is required' }]);
  });

  it('keeps a __proto__ key in object as plain data', () => {
    const raw = JSON.stringify(v4.up).replace(/^\{/, '{"object":{"__proto__":{"polluted":true},"a":1},');
    const e = ok(parseChirpstackEvent({ event: 'up', contentType: JSON_CT, body: Buffer.from(raw) }));
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(e.kind === 'up' && e.object?.['a']).toBe(1);
  });

  it('reads a log with UPLINK_F_CNT_RESET given as a number or a name', () => {
    expect(ok(json('log', { ...v4.log, code: 5, level: 1 }))).toMatchObject({ code: 'UPLINK_F_CNT_RESET', level: 'WARNING' });
    expect(ok(json('log', { ...v4.log, code: 'UPLINK_F_CNT_RESET' }))).toMatchObject({ code: 'UPLINK_F_CNT_RESET' });
  });
});

describe('problems', () => {
  it('rejects other content types with UNSUPPORTED_MEDIA_TYPE', () => {
    expect(json('up', v4.up, 'text/plain')).toMatchObject({ ok: false, problem: { code: 'UNSUPPORTED_MEDIA_TYPE' } });
  });
  it('accepts a charset parameter', () => {
    expect(json('up', v4.up, 'application/json; charset=utf-8').ok).toBe(true);
  });
  it('rejects bad JSON, unknown events and truncated protobuf with BAD_REQUEST', () => {
    const bad = (event: string, body: Buffer, contentType = JSON_CT) =>
      parseChirpstackEvent({ event, contentType, body });
    expect(bad('up', Buffer.from('{"a":')).ok).toBe(false);
    expect(bad('nope', Buffer.from('{}'))).toMatchObject({ problem: { code: 'BAD_REQUEST' } });
    const pb = Buffer.from(toProtobuf('up', v4.up));
    expect(bad('up', pb.subarray(0, pb.length - 3), PB_CT)).toMatchObject({ ok: false, problem: { code: 'BAD_REQUEST' } });
  });
});

describe('dedupKey', () => {
  it('uses the deduplicationId with the event kind', () => {
    const up = ok(json('up', v4.up));
    const status = { deduplicationId: up.deduplicationId };
    expect(dedupKey('up', up, Buffer.from(''))).toBe('up:3ac7e3c4-4401-4b8d-9386-a5c902f9202d');
    expect(dedupKey('status', status, Buffer.from(''))).not.toBe(dedupKey('up', up, Buffer.from('')));
  });
  it('falls back to the sha256 of the body', () => {
    const body = Buffer.from(JSON.stringify(v4.log));
    expect(dedupKey('log', ok(json('log', v4.log)), body)).toMatch(/^log:sha256:[0-9a-f]{64}$/);
  });
});
