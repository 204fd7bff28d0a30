import { Reader, decodeBase64, isHex, isObject, type Json } from './read';
import type {
  ChirpstackContext,
  EventFormat,
  EventKind,
  FieldError,
  GatewayRx,
  ParsedEvent,
  UplinkRadio,
} from './types';

const UINT32 = 0xffffffff;
const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
export const LOG_LEVELS = ['INFO', 'WARNING', 'ERROR'] as const;
export const LOG_CODES = [
  'UNKNOWN',
  'DOWNLINK_PAYLOAD_SIZE',
  'UPLINK_CODEC',
  'DOWNLINK_CODEC',
  'OTAA',
  'UPLINK_F_CNT_RESET',
  'UPLINK_MIC',
  'UPLINK_F_CNT_RETRANSMISSION',
  'DOWNLINK_GATEWAY',
  'RELAY_NEW_END_DEVICE',
  'F_CNT_DOWN',
  'EXPIRED',
] as const;
export const LOCATION_SOURCES = [
  'UNKNOWN',
  'GPS',
  'CONFIG',
  'GEO_RESOLVER_TDOA',
  'GEO_RESOLVER_RSSI',
  'GEO_RESOLVER_GNSS',
  'GEO_RESOLVER_WIFI',
] as const;

export type Normalised = { event: ParsedEvent; errors: [] } | { event?: undefined; errors: FieldError[] };

/** Which JSON dialect a body is in, told apart by content. */
export function detectJsonFormat(body: Json): EventFormat {
  if (isObject(body['deviceInfo']) || typeof body['deduplicationId'] === 'string') return 'v4-json';
  const has = (k: string) => Object.prototype.hasOwnProperty.call(body, k);
  if (has('applicationID') || has('devEUI') || has('DevEUI') || has('objectJSON')) {
    const eui = body['devEUI'] ?? body['DevEUI'];
    if (typeof eui === 'string') {
      if (isHex(eui, 8)) return 'v3-json-legacy';
      const b = decodeBase64(eui);
      if (b && b.length === 8) return 'v3-json-protobuf';
    }
    return has('objectJSON') ? 'v3-json-protobuf' : 'v3-json-legacy';
  }
  return 'v4-json';
}

function finish(event: ParsedEvent, errors: FieldError[]): Normalised {
  return errors.length ? { errors } : { event, errors: [] };
}

function jsonObject(r: Reader, key: string): Record<string, unknown> | undefined {
  return r.object(key);
}

// ---------------------------------------------------------------- v4 (JSON and Protobuf)

export function normaliseV4(kind: EventKind, body: Json, format: 'v4-json' | 'v4-protobuf'): Normalised {
  const errors: FieldError[] = [];
  const r = new Reader(body, errors);
  const di = r.child('deviceInfo', true);
  const devEui = di?.hex('devEui', 8, true) ?? (di ? undefined : undefined);
  const chirpstack: ChirpstackContext = {};
  if (di) {
    const set = <K extends keyof ChirpstackContext>(k: K, v: ChirpstackContext[K] | undefined) => {
      if (v !== undefined) chirpstack[k] = v;
    };
    set('tenantId', di.string('tenantId'));
    set('applicationId', di.string('applicationId'));
    set('deviceProfileId', di.string('deviceProfileId'));
    set('deviceName', di.string('deviceName'));
    set('tags', di.stringMap('tags'));
  }
  const needsDedup = kind === 'up' || kind === 'join' || kind === 'status' || kind === 'ack' || kind === 'location';
  let deduplicationId = r.string('deduplicationId', needsDedup);
  if (deduplicationId !== undefined && !UUID_RE.test(deduplicationId)) {
    deduplicationId = r.fail('deduplicationId', 'must be a UUID');
  }
  const time = r.time('time');
  const base = { format, devEui: devEui ?? '', chirpstack, ...(deduplicationId ? { deduplicationId } : {}), ...(time ? { time } : {}) };

  switch (kind) {
    case 'up': {
      const devAddr = r.hex('devAddr', 4);
      const fCnt = r.int('fCnt', 0, UINT32, { def: 0 }) ?? 0;
      const fPort = r.int('fPort', 0, 255, { def: 0 });
      const payload = r.base64('data') ?? new Uint8Array(0);
      const object = jsonObject(r, 'object');
      const gateways: GatewayRx[] = [];
      for (const rx of r.array('rxInfo') ?? []) {
        const gatewayId = rx.hex('gatewayId', 8, true);
        const rssi = rx.number('rssi');
        const snr = rx.number('snr');
        if (gatewayId) gateways.push({ gatewayId, ...(rssi !== undefined ? { rssi } : {}), ...(snr !== undefined ? { snr } : {}) });
      }
      const radio: UplinkRadio = { gateways };
      const dr = r.int('dr', 0, 255);
      if (dr !== undefined) radio.dataRate = dr;
      const tx = r.child('txInfo');
      if (tx) {
        const f = tx.int('frequency', 0, UINT32);
        if (f !== undefined) radio.frequency = f;
        const lora = tx.child('modulation')?.child('lora');
        if (lora) {
          const bw = lora.int('bandwidth', 0, UINT32);
          const sf = lora.int('spreadingFactor', 0, 255);
          if (bw !== undefined) radio.bandwidth = bw;
          if (sf !== undefined) radio.spreadingFactor = sf;
        }
      }
      return finish(
        { kind, ...base, ...(devAddr ? { devAddr } : {}), fCnt, ...(fPort !== undefined ? { fPort } : {}), payload, ...(object ? { object } : {}), radio },
        errors,
      );
    }
    case 'join': {
      const devAddr = r.hex('devAddr', 4, true);
      return finish({ kind, ...base, ...(devAddr ? { devAddr } : {}) }, errors);
    }
    case 'status': {
      const margin = r.int('margin', -128, 127, { def: 0 }) ?? 0;
      const unavailable = r.bool('batteryLevelUnavailable');
      const batteryLevel = r.number('batteryLevel', { def: 0, min: 0, max: 100 });
      const externalPowerSource = r.bool('externalPowerSource');
      return finish(
        { kind, ...base, margin, ...(unavailable || batteryLevel === undefined ? {} : { batteryLevel }), externalPowerSource },
        errors,
      );
    }
    case 'ack': {
      const queueItemId = r.string('queueItemId', true);
      const acknowledged = r.bool('acknowledged');
      const fCntDown = r.int('fCntDown', 0, UINT32, { def: 0 }) ?? 0;
      return finish({ kind, ...base, ...(queueItemId ? { queueItemId } : {}), acknowledged, fCntDown }, errors);
    }
    case 'txack': {
      const queueItemId = r.string('queueItemId', true);
      const downlinkId = r.int('downlinkId', 0, UINT32, { def: 0 });
      const gatewayId = r.hex('gatewayId', 8);
      const fCntDown = r.int('fCntDown', 0, UINT32, { def: 0 }) ?? 0;
      return finish(
        {
          kind,
          ...base,
          ...(queueItemId ? { queueItemId } : {}),
          ...(downlinkId !== undefined ? { downlinkId } : {}),
          ...(gatewayId ? { gatewayId } : {}),
          acknowledged: true,
          fCntDown,
        },
        errors,
      );
    }
    case 'log': {
      const level = (r.enumName('level', LOG_LEVELS, 'INFO') ?? 'INFO') as 'INFO' | 'WARNING' | 'ERROR';
      const code = r.enumName('code', LOG_CODES, 'UNKNOWN', true) ?? 'UNKNOWN';
      const description = r.string('description') ?? '';
      const context = r.stringMap('context') ?? {};
      return finish({ kind, ...base, level, code, description, context }, errors);
    }
    case 'location': {
      const loc = r.child('location', true);
      const latitude = loc?.number('latitude', { def: 0, min: -90, max: 90 });
      const longitude = loc?.number('longitude', { def: 0, min: -180, max: 180 });
      const altitude = loc?.number('altitude', { def: 0 });
      const source = loc?.enumName('source', LOCATION_SOURCES, 'UNKNOWN', true) ?? 'UNKNOWN';
      return finish(
        { kind, ...base, latitude: latitude ?? 0, longitude: longitude ?? 0, altitude: altitude ?? 0, source },
        errors,
      );
    }
    case 'integration': {
      const integrationName = r.string('integrationName', true) ?? '';
      const eventType = r.string('eventType', true) ?? '';
      const object = jsonObject(r, 'object') ?? {};
      return finish({ kind, ...base, integrationName, eventType, object }, errors);
    }
  }
}

// ---------------------------------------------------------------- v3 (both JSON marshalers)

export function normaliseV3(kind: EventKind, body: Json, format: 'v3-json-protobuf' | 'v3-json-legacy'): Normalised {
  const errors: FieldError[] = [];
  const r = new Reader(body, errors);
  const pb = format === 'v3-json-protobuf';
  // The legacy join example spells it `DevEUI`.
  const euiKey = r.has('devEUI') || !r.has('DevEUI') ? 'devEUI' : 'DevEUI';
  const devEui = pb ? r.b64hex(euiKey, 8, true) : r.hex(euiKey, 8, true);
  const chirpstack: ChirpstackContext = {};
  const appId = r.raw('applicationID');
  if (typeof appId === 'string' && appId !== '') chirpstack.applicationId = appId;
  else if (typeof appId === 'number' && Number.isSafeInteger(appId)) chirpstack.applicationId = String(appId);
  else if (appId !== undefined && appId !== null) r.fail('applicationID', 'must be a string');
  const deviceName = r.string('deviceName');
  if (deviceName) chirpstack.deviceName = deviceName;
  const tags = r.stringMap('tags');
  if (tags) chirpstack.tags = tags;
  const time = r.time('publishedAt');
  const base = { format, devEui: devEui ?? '', chirpstack, ...(time ? { time } : {}) };
  const addr = (key: string, required = false) => (pb ? r.b64hex(key, 4, required) : r.hex(key, 4, required));

  switch (kind) {
    case 'up': {
      const devAddr = addr('devAddr');
      const fCnt = r.int('fCnt', 0, UINT32, { def: 0 }) ?? 0;
      const fPort = r.int('fPort', 0, 255);
      const payload = r.base64('data') ?? new Uint8Array(0);
      let object: Record<string, unknown> | undefined;
      const objectJSON = r.string('objectJSON');
      if (objectJSON !== undefined) {
        try {
          const parsed: unknown = JSON.parse(objectJSON);
          if (isObject(parsed)) object = parsed;
          else if (parsed !== null) r.fail('objectJSON', 'must encode a JSON object');
        } catch {
          r.fail('objectJSON', 'must be valid JSON');
        }
      } else {
        object = jsonObject(r, 'object');
      }
      const gateways: GatewayRx[] = [];
      for (const rx of r.array('rxInfo') ?? []) {
        const gwKey = rx.has('gatewayID') ? 'gatewayID' : 'mac';
        const gwRaw = rx.raw(gwKey);
        // Each marshaler should use its own encoding, but the docs mix them: accept either.
        const gatewayId =
          typeof gwRaw === 'string' && isHex(gwRaw, 8) ? gwRaw.toLowerCase() : rx.b64hex(gwKey, 8, true);
        const rssi = rx.number('rssi');
        const snr = rx.number('loRaSNR');
        if (gatewayId) gateways.push({ gatewayId, ...(rssi !== undefined ? { rssi } : {}), ...(snr !== undefined ? { snr } : {}) });
      }
      const radio: UplinkRadio = { gateways };
      const tx = r.child('txInfo');
      const dr = r.int('dr', 0, 255) ?? tx?.int('dr', 0, 255);
      if (dr !== undefined) radio.dataRate = dr;
      if (tx) {
        const f = tx.int('frequency', 0, UINT32);
        if (f !== undefined) radio.frequency = f;
        const lora = tx.child('loRaModulationInfo') ?? tx.child('dataRate');
        if (lora) {
          const bw = lora.number('bandwidth', { min: 0, max: UINT32 });
          const sf = lora.int('spreadingFactor', 0, 255) ?? lora.int('spreadFactor', 0, 255);
          // v3 reports bandwidth in kHz; normalise to Hz like v4.
          if (bw !== undefined) radio.bandwidth = bw < 1000 ? Math.round(bw * 1000) : bw;
          if (sf !== undefined) radio.spreadingFactor = sf;
        }
      }
      return finish(
        { kind, ...base, ...(devAddr ? { devAddr } : {}), fCnt, ...(fPort !== undefined ? { fPort } : {}), payload, ...(object ? { object } : {}), radio },
        errors,
      );
    }
    case 'join': {
      const devAddr = addr('devAddr', true);
      return finish({ kind, ...base, ...(devAddr ? { devAddr } : {}) }, errors);
    }
    case 'status': {
      const margin = r.int('margin', -128, 127, { def: 0 }) ?? 0;
      let externalPowerSource = r.bool('externalPowerSource');
      let batteryLevel: number | undefined;
      if (r.has('battery') && !r.has('batteryLevel')) {
        // Oldest format: 0 = external power, 1..254 = level, 255 = unknown.
        const b = r.int('battery', 0, 255);
        if (b === 0) externalPowerSource = true;
        else if (b !== undefined && b < 255) batteryLevel = Math.round((b / 254) * 10000) / 100;
      } else if (!r.bool('batteryLevelUnavailable')) {
        batteryLevel = r.number('batteryLevel', { def: 0, min: 0, max: 100 });
      }
      return finish({ kind, ...base, margin, ...(batteryLevel !== undefined ? { batteryLevel } : {}), externalPowerSource }, errors);
    }
    case 'ack': {
      const acknowledged = r.bool('acknowledged');
      const fCntDown = r.int('fCnt', 0, UINT32, { def: 0 }) ?? 0;
      return finish({ kind, ...base, acknowledged, fCntDown }, errors);
    }
    case 'txack': {
      const fCntDown = r.int('fCnt', 0, UINT32, { def: 0 }) ?? 0;
      return finish({ kind, ...base, acknowledged: true, fCntDown }, errors);
    }
    case 'log': {
      // v3 has no log event; its `error` event (type, error) maps onto it.
      const code = r.string('type') ?? 'UNKNOWN';
      const description = r.string('error') ?? '';
      const context: Record<string, string> = {};
      const fCnt = r.int('fCnt', 0, UINT32);
      if (fCnt !== undefined) context['fCnt'] = String(fCnt);
      return finish({ kind, ...base, level: 'ERROR', code, description, context }, errors);
    }
    case 'location': {
      const loc = r.child('location', true);
      const latitude = loc?.number('latitude', { def: 0, min: -90, max: 90 }) ?? 0;
      const longitude = loc?.number('longitude', { def: 0, min: -180, max: 180 }) ?? 0;
      const altitude = loc?.number('altitude', { def: 0 }) ?? 0;
      const source = loc?.enumName('source', LOCATION_SOURCES, 'UNKNOWN', true) ?? 'UNKNOWN';
      return finish({ kind, ...base, latitude, longitude, altitude, source }, errors);
    }
    case 'integration': {
      const integrationName = r.string('integrationName', true) ?? '';
      const eventType = r.string('eventType', true) ?? '';
      const object = jsonObject(r, 'object') ?? {};
      return finish({ kind, ...base, integrationName, eventType, object }, errors);
    }
  }
}
