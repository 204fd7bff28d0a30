// Builds v4 Protobuf bodies from the docs' JSON examples with the @chirpstack/chirpstack-api
// classes (serializeBinary), so the same content can be parsed back in both encodings.
import { encodeIntegrationEvent } from '../lib/protobuf';

/* eslint-disable @typescript-eslint/no-require-imports */
const ipb = require('@chirpstack/chirpstack-api/integration/integration_pb') as Record<string, Ctor>;
const gw = require('@chirpstack/chirpstack-api/gw/gw_pb') as Record<string, Ctor>;
const common = require('@chirpstack/chirpstack-api/common/common_pb') as Record<string, Ctor> & {
  LocationSource: Record<string, number>;
};
const ts = require('google-protobuf/google/protobuf/timestamp_pb') as Record<string, Ctor>;
const struct = require('google-protobuf/google/protobuf/struct_pb') as { Struct: { fromJavaScript(o: unknown): Msg } };
/* eslint-enable @typescript-eslint/no-require-imports */

type Msg = Record<string, (...args: unknown[]) => unknown> & { serializeBinary(): Uint8Array };
type Ctor = new () => Msg;
type J = Record<string, unknown>;

function timestamp(iso: string): Msg {
  const t = new ts['Timestamp']();
  const m = /\.(\d+)/.exec(iso);
  const ms = Date.parse(iso.replace(/\.\d+/, ''));
  t.setSeconds(Math.floor(ms / 1000));
  t.setNanos(m ? Number(m[1].padEnd(9, '0').slice(0, 9)) : 0);
  return t;
}

function deviceInfo(d: J): Msg {
  const m = new ipb['DeviceInfo']();
  for (const k of ['tenantId', 'tenantName', 'applicationId', 'applicationName', 'deviceProfileId', 'deviceProfileName', 'deviceName', 'devEui']) {
    if (d[k] !== undefined) m[`set${k[0].toUpperCase()}${k.slice(1)}`](d[k]);
  }
  const tags = (d['tags'] ?? {}) as Record<string, string>;
  const map = m.getTagsMap() as { set(k: string, v: string): void };
  for (const [k, v] of Object.entries(tags)) map.set(k, v);
  return m;
}

function common3(m: Msg, j: J): void {
  if (j['deduplicationId']) m.setDeduplicationId(j['deduplicationId']);
  if (j['time']) m.setTime(timestamp(j['time'] as string));
  if (j['deviceInfo']) m.setDeviceInfo(deviceInfo(j['deviceInfo'] as J));
}

const LOG_LEVEL: Record<string, number> = { INFO: 0, WARNING: 1, ERROR: 2 };
const LOG_CODE: Record<string, number> = { UPLINK_MIC: 6, UPLINK_F_CNT_RESET: 5, UNKNOWN: 0 };

export function toProtobuf(kind: string, j: J): Uint8Array {
  switch (kind) {
    case 'up': {
      const m = new ipb['UplinkEvent']();
      common3(m, j);
      if (j['devAddr']) m.setDevAddr(j['devAddr']);
      if (j['dr'] !== undefined) m.setDr(j['dr']);
      if (j['fCnt'] !== undefined) m.setFCnt(j['fCnt']);
      if (j['fPort'] !== undefined) m.setFPort(j['fPort']);
      if (j['data']) m.setData(j['data']);
      if (j['object']) m.setObject(struct.Struct.fromJavaScript(j['object']));
      for (const r of (j['rxInfo'] ?? []) as J[]) {
        const rx = new gw['UplinkRxInfo']();
        rx.setGatewayId(r['gatewayId']);
        if (r['uplinkId'] !== undefined) rx.setUplinkId(r['uplinkId']);
        if (r['rssi'] !== undefined) rx.setRssi(r['rssi']);
        if (r['snr'] !== undefined) rx.setSnr(r['snr']);
        if (r['context']) rx.setContext(r['context']);
        m.addRxInfo(rx);
      }
      const t = j['txInfo'] as J | undefined;
      if (t) {
        const tx = new gw['UplinkTxInfo']();
        tx.setFrequency(t['frequency']);
        const l = ((t['modulation'] as J)['lora'] ?? {}) as J;
        const lora = new gw['LoraModulationInfo']();
        lora.setBandwidth(l['bandwidth']);
        lora.setSpreadingFactor(l['spreadingFactor']);
        lora.setCodeRate(1); // CR_4_5
        const mod = new gw['Modulation']();
        mod.setLora(lora);
        tx.setModulation(mod);
        m.setTxInfo(tx);
      }
      return m.serializeBinary();
    }
    case 'join': {
      const m = new ipb['JoinEvent']();
      common3(m, j);
      m.setDevAddr(j['devAddr']);
      return m.serializeBinary();
    }
    case 'status': {
      const m = new ipb['StatusEvent']();
      common3(m, j);
      m.setMargin(j['margin'] ?? 0);
      m.setBatteryLevel(j['batteryLevel'] ?? 0);
      m.setExternalPowerSource(j['externalPowerSource'] ?? false);
      m.setBatteryLevelUnavailable(j['batteryLevelUnavailable'] ?? false);
      return m.serializeBinary();
    }
    case 'ack': {
      const m = new ipb['AckEvent']();
      common3(m, j);
      m.setQueueItemId(j['queueItemId']);
      m.setAcknowledged(j['acknowledged']);
      m.setFCntDown(j['fCntDown']);
      return m.serializeBinary();
    }
    case 'txack': {
      const m = new ipb['TxAckEvent']();
      common3(m, j);
      m.setDownlinkId(j['downlinkId']);
      m.setQueueItemId(j['queueItemId']);
      m.setFCntDown(j['fCntDown']);
      m.setGatewayId(j['gatewayId']);
      return m.serializeBinary();
    }
    case 'log': {
      const m = new ipb['LogEvent']();
      common3(m, j);
      m.setLevel(LOG_LEVEL[j['level'] as string]);
      m.setCode(LOG_CODE[j['code'] as string]);
      m.setDescription(j['description']);
      const map = m.getContextMap() as { set(k: string, v: string): void };
      for (const [k, v] of Object.entries((j['context'] ?? {}) as Record<string, string>)) map.set(k, v);
      return m.serializeBinary();
    }
    case 'location': {
      const m = new ipb['LocationEvent']();
      common3(m, j);
      const l = j['location'] as J;
      const loc = new common['Location']();
      loc.setLatitude(l['latitude']);
      loc.setLongitude(l['longitude']);
      loc.setAltitude(l['altitude']);
      m.setLocation(loc);
      return m.serializeBinary();
    }
    case 'integration': {
      const iso = j['time'] as string;
      const t = timestamp(iso);
      return encodeIntegrationEvent({
        deduplicationId: j['deduplicationId'] as string,
        time: { seconds: t.getSeconds() as number, nanos: t.getNanos() as number },
        deviceInfo: deviceInfo(j['deviceInfo'] as J) as unknown as Parameters<typeof encodeIntegrationEvent>[0]['deviceInfo'],
        integrationName: j['integrationName'] as string,
        eventType: j['eventType'] as string,
        object: j['object'] as Record<string, unknown>,
      });
    }
  }
  throw new Error(`no builder for ${kind}`);
}
