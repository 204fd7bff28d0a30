import type { FieldError } from './types';

export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Own-property read: never follows the prototype chain (`__proto__`, `constructor` …). */
export function own(o: Json, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
}

const HEX_RE = /^[0-9a-fA-F]*$/;
const B64_RE = /^(?:[A-Za-z0-9+/_-]{4})*(?:[A-Za-z0-9+/_-]{2}(?:==)?|[A-Za-z0-9+/_-]{3}=?)?$/;

export function isHex(s: string, bytes: number): boolean {
  return s.length === bytes * 2 && HEX_RE.test(s);
}

/** Strict base64 (standard or URL-safe alphabet, padding optional); undefined when invalid. */
export function decodeBase64(s: string): Uint8Array | undefined {
  if (!B64_RE.test(s)) return undefined;
  return new Uint8Array(Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
}

export function toHex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

const TIME_RE = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})$/;

/** RFC 3339 (any fraction length, e.g. ChirpStack's nanoseconds) → ISO 8601 with milliseconds. */
export function normaliseTime(s: string): string | undefined {
  const m = TIME_RE.exec(s);
  if (!m) return undefined;
  const frac = (m[3] ?? '').padEnd(3, '0').slice(0, 3);
  const ms = Date.parse(`${m[1]}T${m[2]}.${frac}${m[4].toUpperCase()}`);
  if (!Number.isFinite(ms)) return undefined;
  const d = new Date(ms);
  return Number.isFinite(d.getTime()) ? d.toISOString() : undefined;
}

/**
 * Reads typed fields out of an untrusted JSON object and collects one error per bad field.
 * `prefix` names the path (e.g. `deviceInfo.`) in the error list.
 */
export class Reader {
  constructor(
    readonly obj: Json,
    readonly errors: FieldError[],
    readonly prefix = '',
  ) {}

  child(key: string, required = false): Reader | undefined {
    const v = own(this.obj, key);
    if (v === undefined || v === null) {
      if (required) this.fail(key, 'is required');
      return undefined;
    }
    if (!isObject(v)) {
      this.fail(key, 'must be an object');
      return undefined;
    }
    return new Reader(v, this.errors, `${this.prefix}${key}.`);
  }

  fail(key: string, message: string): undefined {
    this.errors.push({ field: `${this.prefix}${key}`, message });
    return undefined;
  }

  has(key: string): boolean {
    const v = own(this.obj, key);
    return v !== undefined && v !== null;
  }

  raw(key: string): unknown {
    return own(this.obj, key);
  }

  string(key: string, required = false): string | undefined {
    const v = own(this.obj, key);
    if (v === undefined || v === null || v === '') {
      if (required) this.fail(key, 'is required');
      return undefined;
    }
    if (typeof v !== 'string') return this.fail(key, 'must be a string');
    return v;
  }

  /**
   * An integer in [min, max]. Protobuf JSON allows integers as numbers or decimal strings.
   * `def` applies when absent (proto3 zero values were dropped by early v4 releases).
   */
  int(key: string, min: number, max: number, opts: { required?: boolean; def?: number } = {}): number | undefined {
    let v = own(this.obj, key);
    if (v === undefined || v === null) {
      if (opts.required) this.fail(key, 'is required');
      return opts.def;
    }
    if (typeof v === 'string' && /^-?\d{1,20}$/.test(v)) v = Number(v);
    if (typeof v !== 'number' || !Number.isInteger(v)) return this.fail(key, 'must be an integer');
    if (v < min || v > max) return this.fail(key, `must be between ${min} and ${max}`);
    return v;
  }

  number(key: string, opts: { required?: boolean; def?: number; min?: number; max?: number } = {}): number | undefined {
    let v = own(this.obj, key);
    if (v === undefined || v === null) {
      if (opts.required) this.fail(key, 'is required');
      return opts.def;
    }
    if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) v = Number(v);
    if (typeof v !== 'number' || !Number.isFinite(v)) return this.fail(key, 'must be a finite number');
    if ((opts.min !== undefined && v < opts.min) || (opts.max !== undefined && v > opts.max)) {
      return this.fail(key, `must be between ${opts.min ?? '-inf'} and ${opts.max ?? 'inf'}`);
    }
    return v;
  }

  bool(key: string, def = false): boolean {
    const v = own(this.obj, key);
    if (v === undefined || v === null) return def;
    if (typeof v !== 'boolean') {
      this.fail(key, 'must be a boolean');
      return def;
    }
    return v;
  }

  /** Lower-case hex of `bytes` bytes. */
  hex(key: string, bytes: number, required = false): string | undefined {
    const s = this.string(key, required);
    if (s === undefined) return undefined;
    if (!isHex(s, bytes)) return this.fail(key, `must be ${bytes * 2} hex characters`);
    return s.toLowerCase();
  }

  /** Base64 bytes field (v3 protobuf-JSON EUIs and addresses) rendered as lower-case hex. */
  b64hex(key: string, bytes: number, required = false): string | undefined {
    const s = this.string(key, required);
    if (s === undefined) return undefined;
    const b = decodeBase64(s);
    if (!b || b.length !== bytes) return this.fail(key, `must be base64 of ${bytes} bytes`);
    return toHex(b);
  }

  base64(key: string): Uint8Array | undefined {
    const v = own(this.obj, key);
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string') return this.fail(key, 'must be a base64 string');
    const b = decodeBase64(v);
    if (!b) return this.fail(key, 'must be valid base64');
    return b;
  }

  time(key: string): string | undefined {
    const s = this.string(key);
    if (s === undefined) return undefined;
    const t = normaliseTime(s);
    if (t === undefined) return this.fail(key, 'must be an RFC 3339 timestamp');
    return t;
  }

  object(key: string): Json | undefined {
    const v = own(this.obj, key);
    if (v === undefined || v === null) return undefined;
    if (!isObject(v)) return this.fail(key, 'must be an object');
    return v;
  }

  stringMap(key: string): Record<string, string> | undefined {
    const v = this.object(key);
    if (v === undefined) return undefined;
    const entries: [string, string][] = [];
    for (const [k, val] of Object.entries(v)) {
      if (typeof val === 'string') entries.push([k, val]);
      else if (typeof val === 'number' || typeof val === 'boolean') entries.push([k, String(val)]);
      else {
        this.fail(`${key}.${k}`, 'must be a string');
      }
    }
    // Object.fromEntries defines own data properties: a `__proto__` key stays plain data.
    return Object.fromEntries(entries);
  }

  array(key: string): Reader[] | undefined {
    const v = own(this.obj, key);
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) return this.fail(key, 'must be an array');
    const out: Reader[] = [];
    v.forEach((item: unknown, i: number) => {
      if (isObject(item)) out.push(new Reader(item, this.errors, `${this.prefix}${key}[${i}].`));
      else this.fail(`${key}[${i}]`, 'must be an object');
    });
    return out;
  }

  /** Enum as name or number (protobuf JSON allows both). */
  enumName(key: string, names: readonly string[], def: string, open = false): string | undefined {
    const v = own(this.obj, key);
    if (v === undefined || v === null) return def;
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < names.length) return names[v];
    if (typeof v === 'string' && v.length > 0 && v.length <= 100) {
      // open enums keep unknown names: ChirpStack adds log codes over time
      if (names.includes(v) || (open && /^[A-Z0-9_]+$/.test(v))) return v;
    }
    return this.fail(key, `must be one of ${names.join(', ')}`);
  }
}
