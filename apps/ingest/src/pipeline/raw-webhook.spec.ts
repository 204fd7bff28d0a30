import { randomUUID } from 'node:crypto';
import type { UplinkEvent } from '@parking/chirpstack-events';
import { rawWebhookHeaders } from '@parking/contracts';
import type { BatchMessage } from '@parking/messaging';
import { decodeUplink, UndecodableUplinkError } from './decode-uplink';
import { readRawWebhook } from './raw-webhook';

const tenant = randomUUID();
const body = { deduplicationId: randomUUID(), deviceInfo: { devEui: '0101010101010101' }, fPort: 1, data: 'lQ==' };

function message(overrides: Partial<BatchMessage> = {}, headers: Record<string, string> = {}): BatchMessage {
  return {
    subject: `tns.webhook.chirpstack.up.${tenant}`,
    data: Buffer.from(JSON.stringify(body)),
    headers: { ...rawWebhookHeaders({ msgId: 'up:x', contentType: 'application/json', event: 'up', auth: 'bearer', receivedAt: '2026-03-01T09:00:00.000Z', tenantId: tenant }), ...headers },
    streamSequence: 1,
    deliveryCount: 1,
    ...overrides,
  };
}

describe('reading a raw webhook back from the stream', () => {
  it('reads the tenant from the (namespaced) subject and keys dedup by event and deduplicationId', () => {
    const read = readRawWebhook(message());
    expect(read).toMatchObject({ ok: true, webhook: { tenantId: tenant, dedupKey: `up:${body.deduplicationId}`, event: { kind: 'up', devEui: '0101010101010101', fCnt: 0 } } });
  });

  it('leaves the tenant open for a platform-signed webhook', () => {
    const read = readRawWebhook(message({ subject: 'webhook.chirpstack.up._platform' }, { 'Parking-Tenant-Id': '' }));
    expect(read).toMatchObject({ ok: true, webhook: { tenantId: undefined } });
  });

  it.each([
    ['missing headers', message({ headers: {} }), /^missing raw-webhook headers/],
    ['a tenant header that contradicts the subject', message({}, { 'Parking-Tenant-Id': randomUUID() }), /does not match the subject tenant/],
    ['a subject without a tenant token', message({ subject: 'webhook.chirpstack.up' }), /is not webhook\.chirpstack\.<event>\.<tenant>/],
    ['an unparseable body', message({ data: Buffer.from('{"deduplicationId": ') }), /^unparseable up body \(BAD_REQUEST\)/],
    ['a body without devEUI', message({ data: Buffer.from('{"deduplicationId": "3ac7e3c4-4401-4b8d-9386-a5c902f9202d"}') }), /VALIDATION_FAILED.*deviceInfo/],
  ])('refuses %s with a reason for the dead letter', (_name, msg, reason) => {
    const read = readRawWebhook(msg);
    expect(read.ok).toBe(false);
    expect(read.ok ? '' : read.reason).toMatch(reason);
  });
});

describe('decoding an uplink', () => {
  const uplink = (fPort: number, bytes: number[], object?: Record<string, unknown>): UplinkEvent => ({
    kind: 'up',
    format: 'v4-json',
    devEui: '0101010101010101',
    chirpstack: {},
    fCnt: 1,
    fPort,
    payload: new Uint8Array(bytes),
    radio: { gateways: [] },
    ...(object ? { object } : {}),
  });

  it("uses the device's codec", () => {
    expect(decodeUplink(uplink(1, [0x95]), 'nwave-nps405')).toMatchObject({ codecId: 'nwave-nps405', decoded: { occupied: true, frameType: 'parking_status' } });
  });

  it("falls back to ChirpStack's object when the device names no codec we know", () => {
    expect(decodeUplink(uplink(5, [1], { occupied: 'free', battery: 3.4 }), 'vendor-x')).toMatchObject({ codecId: 'chirpstack-object', decoded: { occupied: false, batteryVoltage: 3.4 } });
  });

  it('has nothing to decode on fPort 0 or without a payload', () => {
    expect(decodeUplink(uplink(0, [1, 2]), 'nwave-nps405')).toMatchObject({ codecId: null, decoded: { occupied: null } });
    expect(decodeUplink(uplink(1, []), 'nwave-nps405')).toMatchObject({ codecId: null });
  });

  it('refuses what no codec can read, naming the reason', () => {
    expect(() => decodeUplink(uplink(99, [1]), 'nwave-nps405')).toThrow(new UndecodableUplinkError('codec nwave-nps405: unknown_port (fPort 99) on fPort 99'));
    expect(() => decodeUplink(uplink(5, [1]), 'vendor-x')).toThrow(/not a known codec and the uplink carries no ChirpStack object/);
  });
});
