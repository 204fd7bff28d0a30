import { DEVICE_KINDS, DEVICE_PAGE_DEFAULT, DEVICE_PAGE_MAX, DeviceKind } from '@parking/contracts';
import { FieldError, ValidationFailedError } from '@parking/problem-details';
import { DEV_EUI_HINT, normaliseDevEui } from './dev-eui';
import { DeviceQuery } from './device-query';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
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
    if (value !== undefined && !UUID.test(value)) {
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
