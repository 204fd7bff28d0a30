import { benchDevices } from '../ingest/traffic';
import { UNKNOWN_COUNT_ECHO, ZoneTraffic, type ZoneUplink } from './zone-traffic';

const CHIRPSTACK = { tenantId: '52f14cd4-c6f1-4fbd-8f87-4025e1d49242', applicationId: '17c82e96-be03-4f38-aef3-f83d48582d97' };
const bodyOf = (uplink: ZoneUplink) => JSON.parse(uplink.body.toString()) as { deduplicationId: string; fCnt: number; fPort: number; data: string; deviceInfo: { devEui: string; applicationId: string } };

describe('zone traffic', () => {
  const devices = benchDevices(6);
  const zones = [devices.slice(0, 3), devices.slice(3)];

  it('frees every sensor first, zones in turn, each zone ending at its full count', () => {
    const traffic = new ZoneTraffic(zones, CHIRPSTACK);
    const uplinks = traffic.freeAll();
    expect(uplinks.map((u) => [u.zone, bodyOf(u).deviceInfo.devEui])).toEqual([0, 3, 1, 4, 2, 5].map((i) => [i < 3 ? 0 : 1, devices[i].devEui]));
    expect(uplinks.every((u) => bodyOf(u).data === Buffer.from([0x94]).toString('base64'))).toBe(true);
    expect([traffic.freeCount(0), traffic.freeCount(1)]).toEqual([3, 3]);
  });

  it("runs each zone's count down to empty and up to full again, every sensor turning in order", () => {
    const traffic = new ZoneTraffic(zones, CHIRPSTACK);
    traffic.freeAll();
    const zone0 = traffic.take(16).filter((u) => u.zone === 0);
    expect(zone0.map((u) => u.count)).toEqual([2, 1, 0, 1, 2, 3, 2, 1]);
    expect(zone0.map((u) => bodyOf(u).deviceInfo.devEui)).toEqual([0, 1, 2, 0, 1, 2, 0, 1].map((i) => devices[i].devEui));
    expect(zone0.map((u) => Buffer.from(bodyOf(u).data, 'base64')[0])).toEqual([0x95, 0x95, 0x95, 0x94, 0x94, 0x94, 0x95, 0x95]);
    // fCnt counts up per sensor: its free report was 0.
    expect(zone0.slice(0, 3).map((u) => bodyOf(u).fCnt)).toEqual([1, 1, 1]);
    expect(zone0.slice(3, 6).map((u) => bodyOf(u).fCnt)).toEqual([2, 2, 2]);
    expect(new Set(zone0.map((u) => u.deduplicationId)).size).toBe(8);
    expect(zone0.every((u) => u.deduplicationId === bodyOf(u).deduplicationId && bodyOf(u).deviceInfo.applicationId === CHIRPSTACK.applicationId)).toBe(true);
  });

  it("makes a sign's report: its echo of no count on fPort 20, heard by the gateway given", () => {
    const traffic = new ZoneTraffic(zones, CHIRPSTACK);
    const sign = { devEui: '70b3d5e75f000001', devAddr: '27000001', name: 'sign-1' };
    const body = JSON.parse(traffic.signReport(sign, '0016c001ff000001').toString());
    expect(body).toMatchObject({ fPort: 20, deviceInfo: { devEui: sign.devEui }, rxInfo: [{ gatewayId: '0016c001ff000001', rssi: -60, snr: 9 }] });
    expect(Buffer.from(body.data, 'base64').toString('hex')).toBe(UNKNOWN_COUNT_ECHO);
  });
});
