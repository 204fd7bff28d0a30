// v4 Protobuf bodies (`application/octet-stream`), decoded with the @chirpstack/chirpstack-api
// classes and turned into the same camelCase shape as the v4 JSON body, so that one
// normaliser validates both. @types/google-protobuf is not installed, so the few members used
// are typed here by hand.
import { LOCATION_SOURCES, LOG_CODES, LOG_LEVELS } from './normalise';
import type { Json } from './read';
import type { EventKind } from './types';

/* eslint-disable @typescript-eslint/no-require-imports */
const integrationPb = require('@chirpstack/chirpstack-api/integration/integration_pb') as Record<string, PbClass>;
const jspb = require('google-protobuf') as JspbModule;
const structPb = require('google-protobuf/google/protobuf/struct_pb') as StructModule;
const timestampPb = require('google-protobuf/google/protobuf/timestamp_pb') as TimestampModule;
/* eslint-enable @typescript-eslint/no-require-imports */

interface PbMessage {
  serializeBinary(): Uint8Array;
  toObject(): Record<string, unknown>;
}
interface PbClass {
  new (): PbMessage;
  deserializeBinary(bytes: Uint8Array): PbMessage;
  deserializeBinaryFromReader(msg: PbMessage, reader: BinaryReader): PbMessage;
  serializeBinaryToWriter(msg: PbMessage, writer: BinaryWriter): void;
}
interface BinaryReader {
  nextField(): boolean;
  isEndGroup(): boolean;
  getFieldNumber(): number;
  readString(): string;
  readMessage(msg: PbMessage, fn: (m: PbMessage, r: BinaryReader) => void): void;
  skipField(): void;
}
interface BinaryWriter {
  writeString(field: number, value: string): void;
  writeMessage(field: number, msg: PbMessage, fn: (m: PbMessage, w: BinaryWriter) => void): void;
  getResultBuffer(): Uint8Array;
}
interface JspbModule {
  BinaryReader: new (bytes: Uint8Array) => BinaryReader;
  BinaryWriter: new () => BinaryWriter;
}
interface StructMsg extends PbMessage {
  toJavaScript(): Record<string, unknown>;
}
interface StructModule {
  Struct: PbClass & { fromJavaScript(o: Record<string, unknown>): StructMsg };
}
interface TimestampMsg extends PbMessage {
  getSeconds(): number;
  getNanos(): number;
  setSeconds(s: number): void;
  setNanos(n: number): void;
}
interface TimestampModule {
  Timestamp: PbClass;
}

const CLASS_OF: Record<Exclude<EventKind, 'integration'>, string> = {
  up: 'UplinkEvent',
  join: 'JoinEvent',
  ack: 'AckEvent',
  txack: 'TxAckEvent',
  log: 'LogEvent',
  status: 'StatusEvent',
  location: 'LocationEvent',
};

/** The chirpstack-api class for an event kind (not IntegrationEvent: 4.19.0 does not ship it). */
export function messageClass(kind: Exclude<EventKind, 'integration'>): PbClass {
  const c = integrationPb[CLASS_OF[kind]];
  if (!c) throw new Error(`chirpstack-api has no ${CLASS_OF[kind]}`);
  return c;
}

function b64(u: unknown): string | undefined {
  if (typeof u === 'string') return u === '' ? undefined : u;
  if (u instanceof Uint8Array) return u.length ? Buffer.from(u).toString('base64') : undefined;
  return undefined;
}

function tsToIso(ts: unknown): string | undefined {
  if (!ts || typeof ts !== 'object') return undefined;
  const t = ts as { seconds?: number; nanos?: number };
  const ms = (t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6);
  const d = new Date(ms);
  return Number.isFinite(d.getTime()) ? d.toISOString() : undefined;
}

function mapList(list: unknown): Record<string, string> | undefined {
  if (!Array.isArray(list) || list.length === 0) return undefined;
  return Object.fromEntries(list.filter((e): e is [string, string] => Array.isArray(e) && e.length === 2).map(([k, v]) => [String(k), String(v)]));
}

function deviceInfo(o: unknown): Json | undefined {
  if (!o || typeof o !== 'object') return undefined;
  const d = o as Record<string, unknown>;
  return {
    tenantId: d['tenantId'],
    applicationId: d['applicationId'],
    deviceProfileId: d['deviceProfileId'],
    deviceName: d['deviceName'],
    devEui: d['devEui'],
    tags: mapList(d['tagsMap']),
  };
}

function empty(v: unknown): unknown {
  return v === '' ? undefined : v;
}

function structToJs(msg: PbMessage, getter: string): Record<string, unknown> | undefined {
  const fn = (msg as unknown as Record<string, unknown>)[getter];
  if (typeof fn !== 'function') return undefined;
  const s = (fn as () => StructMsg | undefined).call(msg);
  return s ? s.toJavaScript() : undefined;
}

/** Decode a v4 Protobuf body into the v4 JSON shape. Throws on malformed bytes. */
export function protobufToV4Json(kind: EventKind, bytes: Uint8Array): Json {
  if (kind === 'integration') return decodeIntegrationEvent(bytes);
  const msg = messageClass(kind).deserializeBinary(bytes);
  const o = msg.toObject();
  const common: Json = {
    deduplicationId: empty(o['deduplicationId']),
    time: tsToIso(o['time']),
    deviceInfo: deviceInfo(o['deviceInfo']),
  };
  switch (kind) {
    case 'up': {
      const rx = Array.isArray(o['rxInfoList']) ? (o['rxInfoList'] as Record<string, unknown>[]) : [];
      const tx = o['txInfo'] as Record<string, unknown> | undefined;
      const lora = (tx?.['modulation'] as Record<string, unknown> | undefined)?.['lora'] as Record<string, unknown> | undefined;
      return {
        ...common,
        devAddr: empty(o['devAddr']),
        dr: o['dr'],
        fCnt: o['fCnt'],
        fPort: o['fPort'],
        data: b64(o['data']),
        object: structToJs(msg, 'getObject'),
        rxInfo: rx.map((g) => ({ gatewayId: empty(g['gatewayId']), rssi: g['rssi'], snr: g['snr'] })),
        txInfo: tx
          ? { frequency: tx['frequency'], modulation: lora ? { lora: { bandwidth: lora['bandwidth'], spreadingFactor: lora['spreadingFactor'] } } : undefined }
          : undefined,
      };
    }
    case 'join':
      return { ...common, devAddr: empty(o['devAddr']) };
    case 'status':
      return {
        ...common,
        margin: o['margin'],
        externalPowerSource: o['externalPowerSource'],
        batteryLevelUnavailable: o['batteryLevelUnavailable'],
        batteryLevel: o['batteryLevel'],
      };
    case 'ack':
      return { ...common, queueItemId: empty(o['queueItemId']), acknowledged: o['acknowledged'], fCntDown: o['fCntDown'] };
    case 'txack':
      return {
        ...common,
        downlinkId: o['downlinkId'],
        queueItemId: empty(o['queueItemId']),
        fCntDown: o['fCntDown'],
        gatewayId: empty(o['gatewayId']),
      };
    case 'log':
      return {
        ...common,
        level: LOG_LEVELS[o['level'] as number] ?? o['level'],
        code: LOG_CODES[o['code'] as number] ?? o['code'],
        description: o['description'],
        context: mapList(o['contextMap']),
      };
    case 'location': {
      const l = o['location'] as Record<string, unknown> | undefined;
      return {
        ...common,
        location: l
          ? { latitude: l['latitude'], longitude: l['longitude'], altitude: l['altitude'], source: LOCATION_SOURCES[l['source'] as number] ?? l['source'] }
          : undefined,
      };
    }
  }
}

// IntegrationEvent (integration.proto): deduplication_id = 1, time = 2 (Timestamp),
// device_info = 3 (DeviceInfo), integration_name = 4, event_type = 5, object = 6 (Struct).
// @chirpstack/chirpstack-api 4.19.0 does not generate it, so it is read and written by hand.

export interface IntegrationEventFields {
  deduplicationId?: string;
  time?: { seconds: number; nanos: number };
  deviceInfo?: PbMessage;
  integrationName?: string;
  eventType?: string;
  object?: Record<string, unknown>;
}

export function decodeIntegrationEvent(bytes: Uint8Array): Json {
  const reader = new jspb.BinaryReader(bytes);
  const DeviceInfo = integrationPb['DeviceInfo'];
  const out: Json = {};
  while (reader.nextField()) {
    if (reader.isEndGroup()) break;
    switch (reader.getFieldNumber()) {
      case 1:
        out['deduplicationId'] = empty(reader.readString());
        break;
      case 2: {
        const ts = new timestampPb.Timestamp() as unknown as TimestampMsg;
        reader.readMessage(ts, (m, r) => timestampPb.Timestamp.deserializeBinaryFromReader(m, r));
        out['time'] = tsToIso({ seconds: ts.getSeconds(), nanos: ts.getNanos() });
        break;
      }
      case 3: {
        const di = new DeviceInfo();
        reader.readMessage(di, (m, r) => DeviceInfo.deserializeBinaryFromReader(m, r));
        out['deviceInfo'] = deviceInfo(di.toObject());
        break;
      }
      case 4:
        out['integrationName'] = empty(reader.readString());
        break;
      case 5:
        out['eventType'] = empty(reader.readString());
        break;
      case 6: {
        const s = new structPb.Struct() as StructMsg;
        reader.readMessage(s, (m, r) => structPb.Struct.deserializeBinaryFromReader(m, r));
        out['object'] = s.toJavaScript();
        break;
      }
      default:
        reader.skipField();
    }
  }
  return out;
}

/** Serialise an IntegrationEvent (used by tests and senders; mirrors decodeIntegrationEvent). */
export function encodeIntegrationEvent(f: IntegrationEventFields): Uint8Array {
  const w = new jspb.BinaryWriter();
  if (f.deduplicationId) w.writeString(1, f.deduplicationId);
  if (f.time) {
    const ts = new timestampPb.Timestamp() as unknown as TimestampMsg;
    ts.setSeconds(f.time.seconds);
    ts.setNanos(f.time.nanos);
    w.writeMessage(2, ts, (m, wr) => timestampPb.Timestamp.serializeBinaryToWriter(m, wr));
  }
  if (f.deviceInfo) {
    const DeviceInfo = integrationPb['DeviceInfo'];
    w.writeMessage(3, f.deviceInfo, (m, wr) => DeviceInfo.serializeBinaryToWriter(m, wr));
  }
  if (f.integrationName) w.writeString(4, f.integrationName);
  if (f.eventType) w.writeString(5, f.eventType);
  if (f.object) {
    const s = structPb.Struct.fromJavaScript(f.object);
    w.writeMessage(6, s, (m, wr) => structPb.Struct.serializeBinaryToWriter(m, wr));
  }
  return w.getResultBuffer();
}
