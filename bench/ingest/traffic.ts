import { randomUUID } from 'node:crypto';
import { NPS405_VECTORS } from '../../libs/ingest/codecs/src/fixtures/nwave.fixtures';
import { v4 } from '../../libs/shared/chirpstack-events/src/test/docs-examples';

/** One simulated sensor: a Nwave NPS405 under a parking bay. */
export interface BenchDevice {
  devEui: string;
  devAddr: string;
  name: string;
}

export type UplinkKind = 'valid' | 'duplicate' | 'invalid';

export interface BenchUplink {
  kind: UplinkKind;
  /** The request body, built before the step starts so sending costs no serialisation. */
  body: Buffer;
  /** Absent for invalid bodies. */
  deduplicationId?: string;
}

export interface TrafficOptions {
  duplicateShare: number;
  invalidShare: number;
  /** Uniform in [0, 1); injectable so tests are deterministic. */
  random?: () => number;
  /** ChirpStack's own tenant id in deviceInfo (not the platform's tenant). */
  chirpstackTenantId?: string;
  /**
   * Every uplink a parking status, each device turning occupied, free, occupied … (by fCnt),
   * so each one changes the state of the space the sensor lies under. Default: the in-service mix.
   */
  alternateOccupancy?: boolean;
}

/** `count` devices with distinct EUIs (`70b3d5e75e` + 6 hex digits) and device addresses. */
export function benchDevices(count: number): BenchDevice[] {
  return Array.from({ length: count }, (_, i) => {
    const serial = i.toString(16).padStart(6, '0');
    return { devEui: `70b3d5e75e${serial}`, devAddr: `26${serial}`, name: `bay-${i + 1}` };
  });
}

/** The real frames an NPS405 sends in service: parking status most of the time, heartbeats now and then. */
const FRAMES = NPS405_VECTORS.filter((v) => v.description === 'Parking Status' || v.description === 'Heartbeat').map((v) => ({
  fPort: v.fPort,
  data: Buffer.from(v.bytes).toString('base64'),
}));

/** Nwave's Parking Status example (0x95: bit 0 set, occupied) with bit 0 cleared: free. The vendor gives no free example. */
const PARKING_FREE = { fPort: FRAMES[0].fPort, data: Buffer.from([0x94]).toString('base64') };

const RECENT = 1024;

/**
 * ChirpStack v4 `up` bodies (the documented example with real NPS405 payloads), each device
 * counting its own fCnt up; a share of them exact resends of an earlier body, a share invalid.
 */
export class UplinkTraffic {
  private readonly fCnt: number[];
  /** Per device, what its last valid parking status said (alternateOccupancy). */
  private readonly occupied: boolean[];
  private readonly recent: BenchUplink[] = [];
  private readonly random: () => number;
  private invalidVariant = 0;
  /** alternateOccupancy: this round's order of the devices, and how far it has gone. */
  private readonly round: number[] = [];
  private roundAt = 0;

  constructor(
    private readonly devices: readonly BenchDevice[],
    private readonly options: TrafficOptions,
  ) {
    if (devices.length === 0) throw new Error('traffic needs at least one device');
    this.fCnt = devices.map(() => 0);
    this.occupied = devices.map(() => false);
    this.random = options.random ?? Math.random;
  }

  /**
   * Every device reports free once, in order (alternateOccupancy): the known state a load
   * starts from, so that the load's first reading of each sensor turns its space occupied
   * rather than telling the platform of a sensor it had not heard yet.
   */
  freeEach(): BenchUplink[] {
    if (!this.options.alternateOccupancy) throw new Error('freeEach needs alternateOccupancy');
    return this.devices.map((_, index) => {
      this.occupied[index] = false;
      const deduplicationId = randomUUID();
      const body = this.upEvent(deduplicationId, () => PARKING_FREE, index);
      return { kind: 'valid' as const, body: Buffer.from(JSON.stringify(body)), deduplicationId };
    });
  }

  take(count: number): BenchUplink[] {
    return Array.from({ length: count }, () => this.next());
  }

  next(): BenchUplink {
    const roll = this.random();
    if (roll < this.options.invalidShare) return this.invalid();
    if (roll < this.options.invalidShare + this.options.duplicateShare && this.recent.length > 0) {
      const original = this.recent[Math.floor(this.random() * this.recent.length)];
      return { kind: 'duplicate', body: original.body, deduplicationId: original.deduplicationId };
    }
    const uplink = this.valid();
    if (this.recent.length < RECENT) this.recent.push(uplink);
    else this.recent[Math.floor(this.random() * RECENT)] = uplink;
    return uplink;
  }

  private valid(): BenchUplink {
    const deduplicationId = randomUUID();
    const frameOf = this.options.alternateOccupancy ? (index: number) => this.nextParkingStatus(index) : () => this.inServiceFrame();
    return { kind: 'valid', body: Buffer.from(JSON.stringify(this.upEvent(deduplicationId, frameOf))), deduplicationId };
  }

  private upEvent(deduplicationId: string, frameOf: (deviceIndex: number) => { fPort: number; data: string }, index = this.pickDevice()): Record<string, unknown> {
    const device = this.devices[index];
    const fCnt = this.fCnt[index]++;
    const frame = frameOf(index);
    return {
      ...v4.up,
      deduplicationId,
      time: new Date().toISOString(),
      deviceInfo: {
        ...v4.up.deviceInfo,
        tenantId: this.options.chirpstackTenantId ?? v4.up.deviceInfo.tenantId,
        deviceProfileName: 'Nwave NPS405',
        deviceName: device.name,
        devEui: device.devEui,
      },
      devAddr: device.devAddr,
      fCnt,
      fPort: frame.fPort,
      data: frame.data,
      rxInfo: [{ ...v4.up.rxInfo[0], rssi: -60 - Math.floor(this.random() * 60), snr: Math.round((this.random() * 20 - 10) * 10) / 10 }],
    };
  }

  /**
   * A random device; with alternateOccupancy each device once per round, the rounds in fresh
   * random orders. A sensor that turns then reports again only after every other has, as
   * sensors do (seconds apart), so two of its readings never race each other through the
   * platform, where the older one, arriving second, rightly changes nothing.
   */
  private pickDevice(): number {
    if (!this.options.alternateOccupancy) return Math.floor(this.random() * this.devices.length);
    if (this.roundAt === this.round.length) {
      this.round.splice(0, this.round.length, ...this.devices.map((_, i) => i));
      for (let i = this.round.length - 1; i > 0; i--) {
        const j = Math.floor(this.random() * (i + 1));
        [this.round[i], this.round[j]] = [this.round[j], this.round[i]];
      }
      this.roundAt = 0;
    }
    return this.round[this.roundAt++];
  }

  /** Only valid uplinks turn: a refused body must not leave the next one repeating the state. */
  private nextParkingStatus(index: number): { fPort: number; data: string } {
    this.occupied[index] = !this.occupied[index];
    return this.occupied[index] ? FRAMES[0] : PARKING_FREE;
  }

  /** One heartbeat in ten, like a sensor that reports its health between state changes. */
  private inServiceFrame(): { fPort: number; data: string } {
    return this.random() < 0.1 ? FRAMES[FRAMES.length - 1] : FRAMES[0];
  }

  /** Three kinds of broken body in turn: cut-off JSON, no devEui, a deduplicationId that is no UUID. */
  private invalid(): BenchUplink {
    const event = this.upEvent(randomUUID(), () => this.inServiceFrame());
    const variant = this.invalidVariant++ % 3;
    if (variant === 0) {
      const text = JSON.stringify(event);
      return { kind: 'invalid', body: Buffer.from(text.slice(0, Math.floor(text.length / 2))) };
    }
    if (variant === 1) {
      const { devEui: _devEui, ...deviceInfo } = event.deviceInfo as Record<string, unknown>;
      return { kind: 'invalid', body: Buffer.from(JSON.stringify({ ...event, deviceInfo })) };
    }
    return { kind: 'invalid', body: Buffer.from(JSON.stringify({ ...event, deduplicationId: 'not-a-uuid' })) };
  }
}
