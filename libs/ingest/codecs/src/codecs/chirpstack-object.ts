/**
 * Fallback codec: ChirpStack already ran a device-profile codec and supplies `object`.
 * Maps common field names to the normalised reading; the bytes are ignored.
 *
 *   occupancy: occupied, occupancy, status, parkingStatus, p_status, state, car_presence
 *     accepts booleans, 0/1, and strings such as occupied/free/vacant/true/false/on/off/1/0
 *     (anything else => 'unknown').
 *   battery: batteryVoltage / battery_voltage / volt (V); batteryPercent / battery_level / batteryLevel (%);
 *     plain `battery`: <= 5 is read as volts, otherwise percent (heuristic).
 *   temperature: temperature / temp / temperatureC (degC).
 * Missing or non-object `object` => CodecError('missing_object').
 */
import { checkInput } from '../bytes';
import { CodecError, CodecId, DecodedReading, DecodeInput, Occupancy, SensorCodec } from '../types';

const ID: CodecId = 'chirpstack-object';

const OCCUPANCY_KEYS = ['occupied', 'occupancy', 'status', 'parkingStatus', 'p_status', 'state', 'car_presence'];
const TRUE_WORDS = new Set(['occupied', 'true', '1', 'on', 'yes', 'busy', 'taken', 'present', 'car', 'parked']);
const FALSE_WORDS = new Set(['free', 'vacant', 'empty', 'false', '0', 'off', 'no', 'available', 'absent', 'unoccupied']);

export function toOccupancy(v: unknown): Occupancy {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v === 1 ? true : v === 0 ? false : 'unknown';
  if (typeof v === 'string') {
    const w = v.trim().toLowerCase();
    if (TRUE_WORDS.has(w)) return true;
    if (FALSE_WORDS.has(w)) return false;
  }
  return 'unknown';
}

function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

function first(o: Record<string, unknown>, keys: readonly string[]): unknown {
  for (const k of keys) if (k in o && o[k] !== undefined && o[k] !== null) return o[k];
  return undefined;
}

function decode(input: DecodeInput): DecodedReading {
  checkInput(ID, input);
  const o = input.object;
  if (o === undefined || o === null || typeof o !== 'object' || Array.isArray(o)) {
    throw new CodecError('missing_object', ID);
  }
  let occupied: Occupancy = 'unknown';
  for (const k of OCCUPANCY_KEYS) {
    if (!(k in o)) continue;
    occupied = toOccupancy(o[k]);
    if (occupied !== 'unknown') break;
  }
  let batteryVoltage = num(first(o, ['batteryVoltage', 'battery_voltage', 'volt']));
  let batteryPercent = num(first(o, ['batteryPercent', 'battery_level', 'batteryLevel']));
  const plain = num(o.battery);
  if (plain !== undefined) {
    if (plain <= 5) batteryVoltage ??= plain;
    else batteryPercent ??= plain;
  }
  const temperatureC = num(first(o, ['temperature', 'temp', 'temperatureC']));
  const type = first(o, ['type', 'frameType']);
  const reading: DecodedReading = { occupied, extra: {}, vendor: { ...o } };
  if (batteryVoltage !== undefined) reading.batteryVoltage = batteryVoltage;
  if (batteryPercent !== undefined) reading.batteryPercent = batteryPercent;
  if (temperatureC !== undefined) reading.temperatureC = temperatureC;
  if (typeof type === 'string') reading.frameType = type;
  return reading;
}

export const chirpstackObject: SensorCodec = {
  id: ID,
  name: 'ChirpStack decoded object (generic field mapping)',
  defaultHeartbeatSeconds: 24 * 3600,
  decode,
};
