/** Event kinds of the ChirpStack HTTP integration (`?event=`). */
export const EVENT_KINDS = ['up', 'join', 'ack', 'txack', 'log', 'status', 'location', 'integration'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** How the body was encoded, told apart by content type and content. */
export type EventFormat = 'v4-json' | 'v4-protobuf' | 'v3-json-protobuf' | 'v3-json-legacy';

export interface ChirpstackContext {
  tenantId?: string;
  applicationId?: string;
  deviceProfileId?: string;
  deviceName?: string;
  tags?: Record<string, string>;
}

interface Base {
  format: EventFormat;
  devEui: string;
  deduplicationId?: string;
  /** ISO 8601, millisecond precision. */
  time?: string;
  chirpstack: ChirpstackContext;
}

export interface GatewayRx {
  gatewayId: string;
  rssi?: number;
  snr?: number;
}

export interface UplinkRadio {
  gateways: GatewayRx[];
  frequency?: number;
  spreadingFactor?: number;
  /** Hz (v3 kHz values are converted). */
  bandwidth?: number;
  dataRate?: number;
}

export interface UplinkEvent extends Base {
  kind: 'up';
  devAddr?: string;
  fCnt: number;
  fPort?: number;
  payload: Uint8Array;
  object?: Record<string, unknown>;
  radio: UplinkRadio;
}

export interface JoinEvent extends Base {
  kind: 'join';
  devAddr?: string;
}

export interface StatusEvent extends Base {
  kind: 'status';
  margin: number;
  /** Percent; absent when the device could not measure it. */
  batteryLevel?: number;
  externalPowerSource: boolean;
}

export interface LogEvent extends Base {
  kind: 'log';
  level: 'INFO' | 'WARNING' | 'ERROR';
  /** e.g. UPLINK_F_CNT_RESET (v4), or the v3 error type. */
  code: string;
  description: string;
  context: Record<string, string>;
}

export interface AckEvent extends Base {
  kind: 'ack';
  queueItemId?: string;
  acknowledged: boolean;
  fCntDown: number;
}

export interface TxAckEvent extends Base {
  kind: 'txack';
  queueItemId?: string;
  downlinkId?: number;
  gatewayId?: string;
  /** A txack is the gateway accepting the downlink; always true. */
  acknowledged: true;
  fCntDown: number;
}

export interface LocationEvent extends Base {
  kind: 'location';
  latitude: number;
  longitude: number;
  altitude: number;
  source: string;
}

export interface IntegrationEvent extends Base {
  kind: 'integration';
  integrationName: string;
  eventType: string;
  object: Record<string, unknown>;
}

export type ParsedEvent =
  | UplinkEvent
  | JoinEvent
  | StatusEvent
  | LogEvent
  | AckEvent
  | TxAckEvent
  | LocationEvent
  | IntegrationEvent;

export type ProblemCode = 'UNSUPPORTED_MEDIA_TYPE' | 'BAD_REQUEST' | 'VALIDATION_FAILED';

export interface FieldError {
  field: string;
  message: string;
}

export interface Problem {
  code: ProblemCode;
  detail: string;
  errors?: FieldError[];
}

export type ParseResult = { ok: true; event: ParsedEvent } | { ok: false; problem: Problem };

export interface ParseInput {
  /** The `event` query parameter. */
  event: string;
  /** The Content-Type header (parameters such as charset are ignored). */
  contentType: string | undefined;
  body: Buffer | Uint8Array;
}
