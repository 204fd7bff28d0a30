import { CODEC_IDS, isCodecId } from '@parking/ingest/codecs';
import { DEVICE_KINDS, DEVICE_TAGS_MAX, DeviceKind } from '@parking/contracts';
import type { FieldError } from '@parking/problem-details';
import { DEV_EUI_HINT, normaliseDevEui } from './dev-eui';

/** A device's registry fields after validation, as stored. */
export interface DeviceFields {
  devEui: string;
  kind: DeviceKind;
  codec: string;
  name: string;
  chirpstackApplicationId: string | null;
  chirpstackProfileId: string | null;
  heartbeatSeconds: number | null;
  tags: Record<string, string>;
}

export const NEW_DEVICE_FIELDS = [
  'devEui',
  'kind',
  'codec',
  'name',
  'chirpstackApplicationId',
  'chirpstackProfileId',
  'heartbeatSeconds',
  'tags',
] as const;
export const UPDATABLE_FIELDS = ['name', 'kind', 'codec', 'heartbeatSeconds', 'tags', 'chirpstackApplicationId', 'chirpstackProfileId'] as const;

const TAG_KEY = /^[A-Za-z0-9_.-]{1,64}$/;
const HEARTBEAT_MAX = 30 * 24 * 3600;
const EXTERNAL_ID_MAX = 200;

/** Reads fields one by one into `errors`; every reader answers a placeholder when the input is bad. */
export class DeviceFieldReader {
  constructor(
    private readonly body: Record<string, unknown>,
    readonly errors: FieldError[] = [],
  ) {}

  has(field: string): boolean {
    return this.body[field] !== undefined;
  }

  devEui(field = 'devEui'): string {
    const devEui = normaliseDevEui(this.body[field]);
    if (!devEui) this.fail(field, DEV_EUI_HINT);
    return devEui ?? '';
  }

  kind(): DeviceKind {
    const value = this.body.kind;
    if (typeof value !== 'string' || !(DEVICE_KINDS as readonly string[]).includes(value)) {
      this.fail('kind', `must be one of ${DEVICE_KINDS.join(', ')}`);
      return 'sensor';
    }
    return value as DeviceKind;
  }

  codec(): string {
    const value = this.body.codec;
    if (typeof value !== 'string' || !isCodecId(value)) {
      const shown = typeof value === 'string' ? `"${value.slice(0, 64)}" is not a known codec; ` : '';
      this.fail('codec', `${shown}must be one of ${CODEC_IDS.join(', ')}`);
      return '';
    }
    return value;
  }

  name(): string {
    const value = this.body.name;
    if (typeof value !== 'string' || value.trim().length < 1 || value.trim().length > 200) {
      this.fail('name', 'must be a string of 1 to 200 characters');
      return '';
    }
    return value.trim();
  }

  /** An id in ChirpStack; absent, null or empty is none. */
  externalId(field: 'chirpstackApplicationId' | 'chirpstackProfileId'): string | null {
    const value = this.body[field];
    if (value === undefined || value === null || value === '') return null;
    if (typeof value !== 'string' || value.trim().length > EXTERNAL_ID_MAX) {
      this.fail(field, `must be a string of at most ${EXTERNAL_ID_MAX} characters, or null`);
      return null;
    }
    return value.trim() || null;
  }

  /** The heartbeat override in seconds; absent or null: the codec's default. */
  heartbeatSeconds(): number | null {
    const value = this.body.heartbeatSeconds;
    if (value === undefined || value === null) return null;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > HEARTBEAT_MAX) {
      this.fail('heartbeatSeconds', `must be an integer from 1 to ${HEARTBEAT_MAX} (30 days), or null for the codec's default`);
      return null;
    }
    return value;
  }

  tags(): Record<string, string> {
    const value = this.body.tags;
    if (value === undefined || value === null) return {};
    const entries = typeof value === 'object' && !Array.isArray(value) ? Object.entries(value as Record<string, unknown>) : undefined;
    if (
      !entries ||
      entries.length > DEVICE_TAGS_MAX ||
      !entries.every(([key, tag]) => TAG_KEY.test(key) && typeof tag === 'string' && tag.length <= 200)
    ) {
      this.fail('tags', `must map at most ${DEVICE_TAGS_MAX} keys (letters, digits, "_", ".", "-"; up to 64) to strings of up to 200 characters`);
      return {};
    }
    return Object.fromEntries(entries) as Record<string, string>;
  }

  /** Fields the reader does not know are refused by name, like the gateway's DTOs do. */
  onlyKnown(known: readonly string[]): void {
    for (const field of Object.keys(this.body)) {
      if (!known.includes(field)) this.fail(field, 'is not a field of a device');
    }
  }

  fail(field: string, message: string): void {
    this.errors.push({ field, message });
  }
}

/** A new device, all fields checked; `errors` lists what is wrong with it. */
export function readNewDevice(body: Record<string, unknown>): { fields: DeviceFields; errors: FieldError[] } {
  const reader = new DeviceFieldReader(body);
  reader.onlyKnown(NEW_DEVICE_FIELDS);
  const fields: DeviceFields = {
    devEui: reader.devEui(),
    kind: reader.kind(),
    codec: reader.codec(),
    name: reader.name(),
    chirpstackApplicationId: reader.externalId('chirpstackApplicationId'),
    chirpstackProfileId: reader.externalId('chirpstackProfileId'),
    heartbeatSeconds: reader.heartbeatSeconds(),
    tags: reader.tags(),
  };
  return { fields, errors: reader.errors };
}

/** The fields a PATCH names; only those change. */
export function readDeviceChanges(body: Record<string, unknown>): { changes: Partial<DeviceFields>; errors: FieldError[] } {
  const reader = new DeviceFieldReader(body);
  const changes: Partial<DeviceFields> = {};
  if (reader.has('name')) changes.name = reader.name();
  if (reader.has('kind')) changes.kind = reader.kind();
  if (reader.has('codec')) changes.codec = reader.codec();
  if (reader.has('heartbeatSeconds')) changes.heartbeatSeconds = reader.heartbeatSeconds();
  if (reader.has('tags')) changes.tags = reader.tags();
  if (reader.has('chirpstackApplicationId')) changes.chirpstackApplicationId = reader.externalId('chirpstackApplicationId');
  if (reader.has('chirpstackProfileId')) changes.chirpstackProfileId = reader.externalId('chirpstackProfileId');
  return { changes, errors: reader.errors };
}
