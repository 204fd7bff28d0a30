import { CodecError, CodecId, DecodeInput } from './types';

/** Validates the common shape of an input; throws CodecError('invalid_input') otherwise. */
export function checkInput(id: CodecId, input: DecodeInput): void {
  if (!Number.isInteger(input.fPort) || input.fPort < 0 || input.fPort > 255) {
    throw new CodecError('unknown_port', id, `fPort ${String(input.fPort)}`);
  }
  if (!(input.bytes instanceof Uint8Array)) {
    throw new CodecError('invalid_input', id, 'bytes must be a Uint8Array');
  }
}

export function requireLength(id: CodecId, bytes: Uint8Array, min: number, max = min, what = 'frame'): void {
  if (bytes.length < min || bytes.length > max) {
    const expected = min === max ? `${min}` : max === Infinity ? `>=${min}` : `${min}..${max}`;
    throw new CodecError('wrong_length', id, `${what}: expected ${expected} bytes, got ${bytes.length}`);
  }
}

export function int8(b: number): number {
  return b > 0x7f ? b - 0x100 : b;
}

export function uint16be(bytes: Uint8Array, i: number): number {
  return (bytes[i] << 8) | bytes[i + 1];
}

export function int16be(bytes: Uint8Array, i: number): number {
  const v = uint16be(bytes, i);
  return v > 0x7fff ? v - 0x10000 : v;
}

/** Unsigned 32-bit big-endian (no sign wrap, unlike `<< 24`). */
export function uint32be(bytes: Uint8Array, i: number): number {
  return bytes[i] * 0x1000000 + ((bytes[i + 1] << 16) | (bytes[i + 2] << 8) | bytes[i + 3]);
}

export function uint32le(bytes: Uint8Array, i: number): number {
  return bytes[i + 3] * 0x1000000 + ((bytes[i + 2] << 16) | (bytes[i + 1] << 8) | bytes[i]);
}

/** Removes keys whose value is undefined (vendor JS objects may carry them; JSON drops them). */
export function compact<T extends Record<string, unknown>>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}
