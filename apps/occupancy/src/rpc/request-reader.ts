import { GeoPoint, OCCUPANCY_PAGE_DEFAULT, OCCUPANCY_PAGE_MAX, OpeningHours } from '@parking/contracts';
import { FieldError, ValidationFailedError } from '@parking/problem-details';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const HOURS_RANGE = /^([01][0-9]|2[0-3]):[0-5][0-9]-(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$/;
/** An RFC 3339 instant with a time zone (what the gateway accepts as `from` / `to`). */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** `present(x)`: the field was given (null included, which clears an optional field). */
export type Maybe<T> = { present: false } | { present: true; value: T };

/**
 * Reads an RPC payload field by field and collects every problem; `done()` throws one
 * VALIDATION_FAILED naming them all. Occupancy trusts no caller, the gateway included.
 */
export class RequestReader {
  private readonly errors: FieldError[] = [];
  private readonly body: Record<string, unknown>;

  constructor(payload: unknown) {
    this.body = payload !== null && typeof payload === 'object' ? (payload as Record<string, unknown>) : {};
  }

  has(field: string): boolean {
    return this.body[field] !== undefined;
  }

  string(field: string, options: { max?: number; pattern?: RegExp; hint?: string } = {}): string {
    const value = this.body[field];
    const max = options.max ?? 200;
    if (typeof value !== 'string' || value.trim().length === 0 || value.length > max) {
      this.fail(field, `must be a string of 1 to ${max} characters`);
      return '';
    }
    if (options.pattern && !options.pattern.test(value.trim())) {
      this.fail(field, options.hint ?? `must match ${options.pattern.source}`);
      return '';
    }
    return value.trim();
  }

  /** Absent → undefined; null → null; else a string. */
  nullableString(field: string, options: { max?: number; pattern?: RegExp; hint?: string } = {}): string | null | undefined {
    const value = this.body[field];
    if (value === undefined) return undefined;
    if (value === null) return null;
    return this.string(field, options);
  }

  uuid(field: string): string {
    return this.string(field, { max: 36, pattern: UUID, hint: 'must be a UUID' }).toLowerCase();
  }

  nullableUuid(field: string): string | null | undefined {
    const value = this.body[field];
    if (value === undefined) return undefined;
    if (value === null) return null;
    return this.uuid(field);
  }

  oneOf<T extends string>(field: string, allowed: readonly T[]): T | undefined {
    const value = this.body[field];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      this.fail(field, `must be one of ${allowed.join(', ')}`);
      return undefined;
    }
    return value as T;
  }

  requiredOneOf<T extends string>(field: string, allowed: readonly T[]): T {
    if (this.body[field] === undefined) this.fail(field, `is required: one of ${allowed.join(', ')}`);
    return this.oneOf(field, allowed) ?? allowed[0];
  }

  int(field: string, range: { min: number; max: number }): number | undefined {
    const value = this.body[field];
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < range.min || value > range.max) {
      this.fail(field, `must be an integer between ${range.min} and ${range.max}`);
      return undefined;
    }
    return value;
  }

  nullableInt(field: string, range: { min: number; max: number }): number | null | undefined {
    return this.body[field] === null ? null : this.int(field, range);
  }

  location(field = 'location'): GeoPoint | null | undefined {
    const value = this.body[field];
    if (value === undefined || value === null) return value as null | undefined;
    const point = value as Partial<GeoPoint>;
    const keys = typeof value === 'object' ? Object.keys(value) : [];
    if (
      typeof point.latitude !== 'number' ||
      typeof point.longitude !== 'number' ||
      !(Math.abs(point.latitude) <= 90) ||
      !(Math.abs(point.longitude) <= 180) ||
      keys.some((k) => k !== 'latitude' && k !== 'longitude')
    ) {
      this.fail(field, 'must be {latitude: -90..90, longitude: -180..180}');
      return undefined;
    }
    return { latitude: point.latitude, longitude: point.longitude };
  }

  timeZone(field = 'timeZone'): string | undefined {
    const value = this.body[field];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value.length > 64 || !isTimeZone(value)) {
      this.fail(field, 'must be an IANA time zone such as Europe/Berlin');
      return undefined;
    }
    return value;
  }

  openingHours(field = 'openingHours'): OpeningHours | null | undefined {
    const value = this.body[field];
    if (value === undefined || value === null) return value as null | undefined;
    const hint = 'must map weekdays (mon … sun) to lists of HH:MM-HH:MM ranges, e.g. {"mon": ["07:00-22:00"]}';
    if (typeof value !== 'object' || Array.isArray(value)) {
      this.fail(field, hint);
      return undefined;
    }
    const entries = Object.entries(value as Record<string, unknown>);
    const valid = entries.every(
      ([day, ranges]) =>
        (WEEKDAYS as readonly string[]).includes(day) &&
        Array.isArray(ranges) &&
        ranges.length <= 8 &&
        ranges.every((r) => typeof r === 'string' && HOURS_RANGE.test(r) && r.slice(0, 5) < r.slice(6)),
    );
    if (!valid) {
      this.fail(field, hint);
      return undefined;
    }
    return value as OpeningHours;
  }

  tags(field: string, limits: { max: number; pattern: RegExp }): string[] | undefined {
    const value = this.body[field];
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || value.length > limits.max || !value.every((t) => typeof t === 'string' && limits.pattern.test(t))) {
      this.fail(field, `must be a list of at most ${limits.max} tags, each matching ${limits.pattern.source}`);
      return undefined;
    }
    return [...new Set(value as string[])];
  }

  /** Absent → undefined; else an RFC 3339 instant with a time zone. */
  instant(field: string): Date | undefined {
    if (!this.has(field)) return undefined;
    const value = this.string(field, { max: 40, pattern: INSTANT, hint: 'must be an RFC 3339 date-time with a time zone, e.g. 2026-12-01T00:00:00Z' });
    if (!value) return undefined;
    const at = new Date(value);
    if (Number.isNaN(at.getTime())) {
      this.fail(field, 'must be a valid date-time');
      return undefined;
    }
    return at;
  }

  /** `{ cursor?, limit? }` of a list request. */
  page(): { cursor: string | undefined; limit: number } {
    const limit = this.int('limit', { min: 1, max: OCCUPANCY_PAGE_MAX }) ?? OCCUPANCY_PAGE_DEFAULT;
    const cursor = this.nullableString('cursor', { max: 200 }) ?? undefined;
    return { cursor, limit };
  }

  fail(field: string, message: string): void {
    this.errors.push({ field, message });
  }

  /** What is wrong so far, for callers that report many requests at once (the import's rows). */
  get problems(): readonly FieldError[] {
    return this.errors;
  }

  done(): void {
    if (this.errors.length > 0) throw new ValidationFailedError(this.errors);
  }
}
