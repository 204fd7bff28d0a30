import type { JsonSchema } from '../events/define-event';
import { DEV_EUI_STORED } from '../fields/identifiers';

/**
 * One LoRaWAN uplink as the ingest service understood it: deduplicated, placed in its
 * frame-counter session and decoded by the device's codec. The data of
 * `ingest.uplink.received.v1`, whatever ChirpStack version or encoding sent it.
 */
export interface Uplink {
  tenantId: string;
  deviceId: string;
  /** 16 lower-case hex digits. */
  devEui: string;
  /** ChirpStack's deduplicationId (v4); null when the sender had none (v3). */
  deduplicationId: string | null;
  /**
   * Frame-counter session of the device: starts again on a join, an UPLINK_F_CNT_RESET log,
   * a new devAddr or a large backward jump of fCnt. (session, fCnt) is unique per device.
   */
  session: number;
  /** Missing in the event = 0 (early v4 releases dropped zero values). */
  fCnt: number;
  fPort: number | null;
  devAddr: string | null;
  /** ChirpStack's `time` (RFC 3339); null when the event had none. */
  sensorTime: string | null;
  /** When the gateway accepted the webhook (RFC 3339). */
  receivedAt: string;
  format: UplinkFormat;
  /** The application payload, base64 (empty for a frame without one). */
  payload: string;
  decoded: UplinkDecoded;
  /** The codec that decoded the payload; null when there was nothing to decode (fPort 0, empty). */
  codecId: string | null;
  radio: UplinkRadio;
}

export const UPLINK_FORMATS = ['v4-json', 'v4-protobuf', 'v3-json-protobuf', 'v3-json-legacy'] as const;
export type UplinkFormat = (typeof UPLINK_FORMATS)[number];

export interface UplinkDecoded {
  /** null: the frame says nothing about the bay (a heartbeat, a startup frame, …). */
  occupied: boolean | null;
  batteryPercent: number | null;
  batteryVoltage: number | null;
  temperatureC: number | null;
  /** The codec's name for the frame kind, e.g. `parking_status`, `heartbeat`. */
  frameType: string | null;
  /** Codec-specific normalised extras. */
  fields: Record<string, unknown>;
  /** The vendor decoder's own output, when the codec reproduces it. */
  vendor: Record<string, unknown> | null;
}

export interface UplinkGatewayRx {
  gatewayId: string;
  rssi: number | null;
  snr: number | null;
}

export interface UplinkRadio {
  gateways: UplinkGatewayRx[];
  /** Best (highest) RSSI in dBm and SNR in dB over the gateways that heard the frame. */
  rssi: number | null;
  snr: number | null;
  dataRate: number | null;
  spreadingFactor: number | null;
  /** Hz */
  bandwidth: number | null;
  /** Hz */
  frequency: number | null;
}

const nullableNumber = { type: ['number', 'null'] } as const;
const nullableInteger = { type: ['integer', 'null'] } as const;
const freeObject = { type: 'object', additionalProperties: true } as const;

/** The stored form in JSON Schemas of events. */
export const DEV_EUI_PATTERN = DEV_EUI_STORED.source;

/** The gateways that heard a frame, as the uplink contract carries them. */
export const UPLINK_GATEWAYS_SCHEMA = {
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['gatewayId', 'rssi', 'snr'],
    properties: { gatewayId: { type: 'string', minLength: 1, maxLength: 100 }, rssi: nullableNumber, snr: nullableNumber },
  },
} as const;

/** JSON Schema of `Uplink` (draft-07 keywords). */
export const UPLINK_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'tenantId', 'deviceId', 'devEui', 'deduplicationId', 'session', 'fCnt', 'fPort', 'devAddr',
    'sensorTime', 'receivedAt', 'format', 'payload', 'decoded', 'codecId', 'radio',
  ],
  properties: {
    tenantId: { type: 'string', format: 'uuid' },
    deviceId: { type: 'string', format: 'uuid' },
    devEui: { type: 'string', pattern: DEV_EUI_PATTERN },
    deduplicationId: { type: ['string', 'null'], maxLength: 100 },
    session: { type: 'integer', minimum: 0 },
    fCnt: { type: 'integer', minimum: 0 },
    fPort: { type: ['integer', 'null'], minimum: 0, maximum: 255 },
    devAddr: { type: ['string', 'null'], pattern: '^[0-9a-f]{8}$' },
    sensorTime: { type: ['string', 'null'], format: 'date-time' },
    receivedAt: { type: 'string', format: 'date-time' },
    format: { enum: [...UPLINK_FORMATS] },
    payload: { type: 'string', pattern: '^[A-Za-z0-9+/]*={0,2}$', maxLength: 1400 },
    decoded: {
      type: 'object',
      additionalProperties: false,
      required: ['occupied', 'batteryPercent', 'batteryVoltage', 'temperatureC', 'frameType', 'fields', 'vendor'],
      properties: {
        occupied: { type: ['boolean', 'null'] },
        batteryPercent: nullableNumber,
        batteryVoltage: nullableNumber,
        temperatureC: nullableNumber,
        frameType: { type: ['string', 'null'], maxLength: 100 },
        fields: freeObject,
        vendor: { type: ['object', 'null'], additionalProperties: true },
      },
    },
    codecId: { type: ['string', 'null'], maxLength: 100 },
    radio: {
      type: 'object',
      additionalProperties: false,
      required: ['gateways', 'rssi', 'snr', 'dataRate', 'spreadingFactor', 'bandwidth', 'frequency'],
      properties: {
        gateways: UPLINK_GATEWAYS_SCHEMA,
        rssi: nullableNumber,
        snr: nullableNumber,
        dataRate: nullableInteger,
        spreadingFactor: nullableInteger,
        bandwidth: nullableNumber,
        frequency: nullableNumber,
      },
    },
  },
};

export const UPLINK_EXAMPLE: Uplink = {
  tenantId: '6f1f7e52-3b0a-4d8e-9a53-2f6b0c1d9e41',
  deviceId: '2c5d8e3a-7b41-4f0e-9d6a-1e2f3a4b5c6d',
  devEui: '70b3d5e75e003c11',
  deduplicationId: '3ac7e3c4-4401-4b8d-9386-a5c902f9202d',
  session: 1,
  fCnt: 52,
  fPort: 1,
  devAddr: '00189440',
  sensorTime: '2026-03-01T09:34:15.775Z',
  receivedAt: '2026-03-01T09:34:15.802Z',
  format: 'v4-json',
  payload: 'lQ==',
  decoded: {
    occupied: true,
    batteryPercent: null,
    batteryVoltage: null,
    temperatureC: null,
    frameType: 'parking_status',
    fields: {},
    vendor: { type: 'parking_status', occupied: true, previous_state_duration: 74, previous_state_duration_error: 0, previous_state_duration_overflow: false },
  },
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
};
