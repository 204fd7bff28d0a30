import { isPermission, Permission, TENANT_ROLES, TenantRole } from '@parking/contracts';
import { FieldError, ValidationFailedError } from '@parking/problem-details';

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

/**
 * Reads an RPC payload field by field and collects every problem, then `done()` throws one
 * VALIDATION_FAILED naming them all. Identity trusts no caller, the gateway included.
 */
export class RequestReader {
  private readonly errors: FieldError[] = [];
  private readonly body: Record<string, unknown>;

  constructor(payload: unknown) {
    this.body = payload !== null && typeof payload === 'object' ? (payload as Record<string, unknown>) : {};
  }

  string(field: string, options: { min?: number; max?: number; pattern?: RegExp; hint?: string } = {}): string {
    const value = this.body[field];
    const { min = 1, max = 500 } = options;
    if (typeof value !== 'string' || value.trim().length < min || value.length > max) {
      this.fail(field, `must be a string of ${min} to ${max} characters`);
      return '';
    }
    if (options.pattern && !options.pattern.test(value)) {
      this.fail(field, options.hint ?? `must match ${options.pattern.source}`);
      return '';
    }
    return value.trim();
  }

  optionalString(field: string, options: { max?: number } = {}): string | undefined {
    return this.body[field] === undefined || this.body[field] === null ? undefined : this.string(field, options);
  }

  email(field = 'email'): string {
    return this.string(field, { max: 320, pattern: EMAIL, hint: 'must be an email address' }).toLowerCase();
  }

  password(field = 'password'): string {
    const value = this.body[field];
    // Never trimmed: spaces are part of a password.
    if (typeof value !== 'string' || value.length < PASSWORD_MIN || value.length > PASSWORD_MAX) {
      this.fail(field, `must be ${PASSWORD_MIN} to ${PASSWORD_MAX} characters`);
      return '';
    }
    return value;
  }

  /** A presented secret: only its shape is checked, and a wrong one is told apart from nothing. */
  secret(field: string): string {
    const value = this.body[field];
    if (typeof value !== 'string' || value.length < 1 || value.length > 500) {
      this.fail(field, 'must be the token as it was issued');
      return '';
    }
    return value;
  }

  uuid(field: string): string {
    return this.string(field, { max: 36, pattern: UUID, hint: 'must be a UUID' }).toLowerCase();
  }

  role(field = 'role'): TenantRole {
    const value = this.body[field];
    if (typeof value !== 'string' || !(TENANT_ROLES as readonly string[]).includes(value)) {
      this.fail(field, `must be one of ${TENANT_ROLES.join(', ')}`);
      return 'viewer';
    }
    return value as TenantRole;
  }

  permissions(field: string): Permission[] {
    const value = this.body[field];
    if (!Array.isArray(value) || value.length === 0 || !value.every(isPermission)) {
      this.fail(field, 'must be a non-empty list of permissions (see docs/permissions.md)');
      return [];
    }
    return [...new Set(value)];
  }

  optionalFutureDate(field: string): Date | null {
    const value = this.body[field];
    if (value === undefined || value === null) return null;
    const date = typeof value === 'string' ? new Date(value) : new Date(NaN);
    if (Number.isNaN(date.getTime()) || date.getTime() <= Date.now()) {
      this.fail(field, 'must be an RFC 3339 date-time in the future');
      return null;
    }
    return date;
  }

  optionalInt(field: string, range: { min: number; max: number }): number | undefined {
    const value = this.body[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < range.min || value > range.max) {
      this.fail(field, `must be an integer between ${range.min} and ${range.max}`);
      return undefined;
    }
    return value;
  }

  optionalBoolean(field: string): boolean | undefined {
    const value = this.body[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') this.fail(field, 'must be true or false');
    return value === true;
  }

  /** `{ cursor?, limit? }` of a list request. */
  page(): { cursor: string | undefined; limit: number } {
    const limit = this.optionalInt('limit', { min: 1, max: 200 }) ?? 50;
    return { cursor: this.optionalString('cursor', { max: 200 }), limit };
  }

  raw(field: string): unknown {
    return this.body[field];
  }

  fail(field: string, message: string): void {
    this.errors.push({ field, message });
  }

  done(): void {
    if (this.errors.length > 0) throw new ValidationFailedError(this.errors);
  }
}

/** The request's caller context; a missing IP still throttles, under one shared key. */
export function callerIp(payload: unknown): string {
  const caller = (payload as { caller?: { ip?: unknown } } | null)?.caller;
  return typeof caller?.ip === 'string' && caller.ip.length > 0 && caller.ip.length <= 64 ? caller.ip : 'unknown';
}
