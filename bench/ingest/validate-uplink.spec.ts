import { validateUplink } from './validate-uplink';
import { benchDevices, UplinkTraffic } from './traffic';

const body = (value: unknown) => Buffer.from(JSON.stringify(value));
const up = {
  deduplicationId: '3ac7e3c4-4401-4b8d-9386-a5c902f9202d',
  deviceInfo: { devEui: '0101010101010101' },
  fCnt: 10,
  fPort: 1,
  data: 'lQ==',
};

describe('validateUplink (the baselines\' check)', () => {
  it('accepts a v4 up and reads the dedup id, devEUI and fCnt', () => {
    expect(validateUplink(body(up))).toEqual({ ok: true, uplink: { deduplicationId: up.deduplicationId, devEui: '0101010101010101', fCnt: 10 } });
  });

  it('reads a missing fCnt as 0 (early v4 dropped zero values)', () => {
    const { fCnt: _fCnt, ...rest } = up;
    expect(validateUplink(body(rest))).toMatchObject({ ok: true, uplink: { fCnt: 0 } });
  });

  it.each([
    ['cut-off JSON', Buffer.from('{"deduplicationId":"3ac7'), /not valid JSON/],
    ['an array', body([up]), /JSON object/],
    ['no deduplicationId', body({ ...up, deduplicationId: undefined }), /deduplicationId/],
    ['a deduplicationId that is no UUID', body({ ...up, deduplicationId: 'abc' }), /deduplicationId/],
    ['no deviceInfo', body({ ...up, deviceInfo: undefined }), /devEui/],
    ['a short devEui', body({ ...up, deviceInfo: { devEui: '0101' } }), /devEui/],
    ['a negative fCnt', body({ ...up, fCnt: -1 }), /fCnt/],
    ['fPort 256', body({ ...up, fPort: 256 }), /fPort/],
    ['data as a number', body({ ...up, data: 5 }), /data/],
  ])('refuses %s', (_case, input, detail) => {
    const check = validateUplink(input);
    expect(check.ok).toBe(false);
    expect(!check.ok && check.detail).toMatch(detail);
  });

  it('accepts every valid body the traffic makes and refuses every invalid one', () => {
    const traffic = new UplinkTraffic(benchDevices(50), { duplicateShare: 0.1, invalidShare: 0.1 });
    for (const uplink of traffic.take(500)) expect(validateUplink(uplink.body).ok).toBe(uplink.kind !== 'invalid');
  });
});
