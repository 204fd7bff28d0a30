import type { UplinkEvent } from '@parking/chirpstack-events';
import type { Uplink, UplinkRadio } from '@parking/contracts';
import type { DecodeOutcome } from './decode-uplink';

export interface UplinkFacts {
  tenantId: string;
  deviceId: string;
  session: number;
  receivedAt: Date;
  decode: DecodeOutcome;
}

/** The Uplink contract from a normalised ChirpStack uplink and what the pipeline decided. */
export function toUplink(event: UplinkEvent, facts: UplinkFacts): Uplink {
  return {
    tenantId: facts.tenantId,
    deviceId: facts.deviceId,
    devEui: event.devEui,
    deduplicationId: event.deduplicationId ?? null,
    session: facts.session,
    fCnt: event.fCnt,
    fPort: event.fPort ?? null,
    devAddr: event.devAddr ?? null,
    sensorTime: event.time ?? null,
    receivedAt: facts.receivedAt.toISOString(),
    format: event.format,
    payload: Buffer.from(event.payload).toString('base64'),
    decoded: facts.decode.decoded,
    codecId: facts.decode.codecId,
    radio: toRadio(event),
  };
}

function toRadio(event: UplinkEvent): UplinkRadio {
  const gateways = event.radio.gateways.map((g) => ({ gatewayId: g.gatewayId, rssi: g.rssi ?? null, snr: g.snr ?? null }));
  const best = (values: Array<number | null>): number | null => {
    const known = values.filter((v): v is number => v !== null);
    return known.length > 0 ? Math.max(...known) : null;
  };
  return {
    gateways,
    rssi: best(gateways.map((g) => g.rssi)),
    snr: best(gateways.map((g) => g.snr)),
    dataRate: event.radio.dataRate ?? null,
    spreadingFactor: event.radio.spreadingFactor ?? null,
    bandwidth: event.radio.bandwidth ?? null,
    frequency: event.radio.frequency ?? null,
  };
}
