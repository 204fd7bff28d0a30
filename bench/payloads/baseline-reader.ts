// The hand-written RPC reader ingest used before payloads were declared once in contracts
// (apps/ingest/src/devices/rpc-input.ts, device-fields.ts and dev-eui.ts at f515c7f), kept as the
// baseline of bench:payloads. Not used by the platform.
import { CODEC_IDS, isCodecId } from '@parking/ingest/codecs';
import { DEVICE_KINDS, DEVICE_PAGE_DEFAULT, DEVICE_PAGE_MAX, DEVICE_TAGS_MAX, DeviceKind } from '@parking/contracts';
import { FieldError, ValidationFailedError } from '@parking/problem-details';

interface DeviceQuery {
  tag?: { key: string; value: string };
  cursor?: string;
  limit: number;
}
/** 8 bytes in hex, optionally grouped by `-` or `:` (as printed on labels and in ChirpStack). */
const ACCEPTED = /^[0-9a-fA-F]{2}(?:[-:]?[0-9a-fA-F]{2}){7}$/;

/** `70-B3-D5-47-50-10-0A-1B` → `70b3d54750100a1b`; undefined when it is not a devEUI. */
export function normaliseDevEui(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  if (!ACCEPTED.test(trimmed)) return undefined;
  return trimmed.replace(/[-:]/g, '').toLowerCase();
}

export const DEV_EUI_HINT = 'must be 16 hex digits (upper or lower case, optionally separated by "-" or ":")';

const UUID_BASELINE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TAG_FILTER = /^([A-Za-z0-9_.-]{1,64}):(.{0,200})$/s;

/**
 * Reads the query fields of an RPC payload and collects every problem; `done()` throws one
 * VALIDATION_FAILED naming them all. Ingest trusts no caller, the gateway included.
 */
export class RpcInput {
  readonly errors: FieldError[] = [];
  readonly body: Record<string, unknown>;

  constructor(payload: unknown, ignore: readonly string[] = ['principal']) {
    const body = payload !== null && typeof payload === 'object' ? { ...(payload as Record<string, unknown>) } : {};
    for (const field of ignore) delete body[field];
    this.body = body;
  }

  devEui(): string {
    const devEui = normaliseDevEui(this.body.devEui);
    if (!devEui) this.fail('devEui', DEV_EUI_HINT);
    return devEui ?? '';
  }

  optionalString(field: string, max = 200): string | undefined {
    const value = this.body[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string' || value.length < 1 || value.length > max) {
      this.fail(field, `must be a string of 1 to ${max} characters`);
      return undefined;
    }
    return value;
  }

  reason(): string {
    const value = this.body.reason;
    if (typeof value !== 'string' || value.trim().length < 3 || value.length > 500) {
      this.fail('reason', 'must say why, in 3 to 500 characters (it goes to the audit trail)');
      return '';
    }
    return value.trim();
  }

  optionalUuid(field: string): string | undefined {
    const value = this.optionalString(field, 36);
    if (value !== undefined && !UUID_BASELINE.test(value)) {
      this.fail(field, 'must be a UUID');
      return undefined;
    }
    return value?.toLowerCase();
  }

  optionalInt(field: string, min: number, max: number): number | undefined {
    const value = this.body[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.fail(field, `must be an integer from ${min} to ${max}`);
      return undefined;
    }
    return value;
  }

  kind(): DeviceKind | undefined {
    const value = this.body.kind;
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string' || !(DEVICE_KINDS as readonly string[]).includes(value)) {
      this.fail('kind', `must be one of ${DEVICE_KINDS.join(', ')}`);
      return undefined;
    }
    return value as DeviceKind;
  }

  oneOf<T extends string>(field: string, allowed: readonly T[]): T | undefined {
    const value = this.body[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      this.fail(field, `must be one of ${allowed.join(', ')}`);
      return undefined;
    }
    return value as T;
  }

  tag(): DeviceQuery['tag'] {
    const value = this.optionalString('tag', 270);
    if (value === undefined) return undefined;
    const match = TAG_FILTER.exec(value);
    if (!match) {
      this.fail('tag', 'must be key:value (key of letters, digits, "_", ".", "-")');
      return undefined;
    }
    return { key: match[1], value: match[2] };
  }

  page(): Pick<DeviceQuery, 'cursor' | 'limit'> {
    return { cursor: this.optionalString('cursor', 512), limit: this.optionalInt('limit', 1, DEVICE_PAGE_MAX) ?? DEVICE_PAGE_DEFAULT };
  }

  /** Refuses fields nobody read, by name. */
  onlyKnown(known: readonly string[]): void {
    for (const field of Object.keys(this.body)) if (!known.includes(field)) this.fail(field, 'is not a parameter of this request');
  }

  fail(field: string, message: string): void {
    this.errors.push({ field, message });
  }

  done(): void {
    if (this.errors.length > 0) throw new ValidationFailedError(this.errors);
  }
}

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
