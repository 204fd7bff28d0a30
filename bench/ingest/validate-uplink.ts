/**
 * The baselines' validation of a ChirpStack v4 `up` body: JSON.parse plus the fields the
 * platform requires (deduplicationId, deviceInfo.devEui) and the types of the counters.
 * Deliberately about as much work as a thin edge does before making the body durable.
 */
export interface ValidUplink {
  deduplicationId: string;
  devEui: string;
  fCnt: number;
}

export type UplinkCheck = { ok: true; uplink: ValidUplink } | { ok: false; detail: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EUI = /^[0-9a-f]{16}$/i;
const UINT32_MAX = 0xffffffff;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isUint = (value: unknown, max: number) => typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max;

export function validateUplink(body: Buffer): UplinkCheck {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    return { ok: false, detail: 'The body is not valid JSON' };
  }
  if (!isObject(json)) return { ok: false, detail: 'The body must be a JSON object' };
  const { deduplicationId, deviceInfo, fCnt, fPort, data } = json;
  if (typeof deduplicationId !== 'string' || !UUID.test(deduplicationId)) return { ok: false, detail: 'deduplicationId must be a UUID' };
  if (!isObject(deviceInfo) || typeof deviceInfo.devEui !== 'string' || !EUI.test(deviceInfo.devEui)) {
    return { ok: false, detail: 'deviceInfo.devEui must be 16 hex digits' };
  }
  // Early v4 releases drop zero-valued fields: a missing fCnt is 0.
  if (fCnt !== undefined && !isUint(fCnt, UINT32_MAX)) return { ok: false, detail: 'fCnt must be an unsigned 32-bit integer' };
  if (fPort !== undefined && !isUint(fPort, 255)) return { ok: false, detail: 'fPort must be an integer from 0 to 255' };
  if (data !== undefined && typeof data !== 'string') return { ok: false, detail: 'data must be base64' };
  return { ok: true, uplink: { deduplicationId, devEui: deviceInfo.devEui.toLowerCase(), fCnt: (fCnt as number | undefined) ?? 0 } };
}
