import { randomUUID } from 'node:crypto';
import { v4 } from '../../libs/shared/chirpstack-events/src/test/docs-examples';
import type { BenchDevice, BenchUplink } from '../ingest/traffic';

/** A webhook of the zone-guidance load: which zone's sensor it turns, and the zone's free count after it. */
export interface ZoneUplink extends BenchUplink {
  zone: number;
  count: number;
}

/** Nwave NPS405 Parking Status, fPort 1: bit 0 set is occupied (the vendor's example, 0x95), cleared free. */
const OCCUPIED = Buffer.from([0x95]).toString('base64');
const FREE = Buffer.from([0x94]).toString('base64');
const PARKING_STATUS_PORT = 1;

/** A count sign's echo of the reference frame showing no count (version 1, 0xFFFF, no arrow, dark, steady). */
export const UNKNOWN_COUNT_ECHO = '01ffff0000000000';
const COUNT_DISPLAY_PORT = 20;

interface ZoneState {
  /** Where the zone is in its run: turns 0 … n−1 occupy sensors 0 … n−1, turns n … 2n−1 free them again. */
  turn: number;
  free: number;
}

/**
 * ChirpStack v4 `up` bodies for zones of sensors, each uplink turning one sensor: the zones in
 * turn, and in each zone its sensors occupied one after another until it is full, then freed
 * one after another until it is empty, and again. So every sensor turns as often as the others
 * and a zone's free count runs down and up rather than back and forth: a count seldom repeats
 * within seconds, which lets a sign's frame be matched to the webhooks it reflects by its count.
 * Every sensor's fCnt counts up.
 */
export class ZoneTraffic {
  private readonly fCnt = new Map<string, number>();
  private readonly zones: ZoneState[];
  private nextZone = 0;

  constructor(
    private readonly sensorsByZone: readonly (readonly BenchDevice[])[],
    private readonly chirpstack: { tenantId: string; applicationId: string },
  ) {
    if (sensorsByZone.some((sensors) => sensors.length === 0)) throw new Error('every zone needs at least one sensor');
    this.zones = sensorsByZone.map(() => ({ turn: 0, free: 0 }));
  }

  /** Every sensor reports free (zones in turn): the known state the load starts from, every zone at its full count. */
  freeAll(): ZoneUplink[] {
    const longest = Math.max(...this.sensorsByZone.map((sensors) => sensors.length));
    const uplinks: ZoneUplink[] = [];
    for (let i = 0; i < longest; i++) {
      this.sensorsByZone.forEach((sensors, zone) => {
        if (i >= sensors.length) return;
        this.zones[zone].free = i + 1;
        uplinks.push({ ...this.sensorUplink(sensors[i], FREE), zone, count: i + 1 });
      });
    }
    return uplinks;
  }

  /** The next `count` uplinks of the load. */
  take(count: number): ZoneUplink[] {
    return Array.from({ length: count }, () => this.next());
  }

  /** The zone's free count after every uplink made so far. */
  freeCount(zone: number): number {
    return this.zones[zone].free;
  }

  /** A count sign's own uplink, as the gateway `gatewayId` hears it: how the platform learns which gateway carries its frames. */
  signReport(sign: BenchDevice, gatewayId: string): Buffer {
    const body = {
      ...this.upEvent(sign, COUNT_DISPLAY_PORT, Buffer.from(UNKNOWN_COUNT_ECHO, 'hex').toString('base64')),
      deviceInfo: { ...this.deviceInfo(sign), deviceProfileName: 'Count display' },
      rxInfo: [{ ...v4.up.rxInfo[0], gatewayId, rssi: -60, snr: 9 }],
    };
    return Buffer.from(JSON.stringify(body));
  }

  private next(): ZoneUplink {
    const zone = this.nextZone;
    this.nextZone = (this.nextZone + 1) % this.zones.length;
    const sensors = this.sensorsByZone[zone];
    const state = this.zones[zone];
    const occupying = state.turn < sensors.length;
    const sensor = sensors[state.turn % sensors.length];
    state.turn = (state.turn + 1) % (2 * sensors.length);
    state.free += occupying ? -1 : 1;
    return { ...this.sensorUplink(sensor, occupying ? OCCUPIED : FREE), zone, count: state.free };
  }

  private sensorUplink(sensor: BenchDevice, data: string): BenchUplink {
    const deduplicationId = randomUUID();
    const body = { ...this.upEvent(sensor, PARKING_STATUS_PORT, data), deduplicationId };
    return { kind: 'valid', body: Buffer.from(JSON.stringify(body)), deduplicationId };
  }

  private upEvent(device: BenchDevice, fPort: number, data: string): Record<string, unknown> {
    const fCnt = this.fCnt.get(device.devEui) ?? 0;
    this.fCnt.set(device.devEui, fCnt + 1);
    return {
      ...v4.up,
      deduplicationId: randomUUID(),
      time: new Date().toISOString(),
      deviceInfo: this.deviceInfo(device),
      devAddr: device.devAddr,
      fCnt,
      fPort,
      data,
      rxInfo: [{ ...v4.up.rxInfo[0], rssi: -75, snr: 7 }],
    };
  }

  private deviceInfo(device: BenchDevice): Record<string, unknown> {
    return {
      ...v4.up.deviceInfo,
      tenantId: this.chirpstack.tenantId,
      applicationId: this.chirpstack.applicationId,
      deviceProfileName: 'Nwave NPS405',
      deviceName: device.name,
      devEui: device.devEui,
    };
  }
}
