import { Transform } from 'class-transformer';
import { ValidateBy } from 'class-validator';

// Each decorator carries one sentence saying what the variable expects; ConfigError prints
// it next to the variable name, so a failing check never needs class-validator's wording.

/**
 * Converts from the raw string itself: implicit conversion needs a `: number` annotation
 * (decorator metadata), and would also accept `1e3` or `0x10`.
 */
export function EnvInt(range: { min: number; max: number }): PropertyDecorator {
  const parse = Transform(({ obj, key }) => {
    const raw = (obj as Record<string, unknown>)[key];
    return typeof raw === 'string' && /^[+-]?\d+$/.test(raw) ? Number(raw) : raw;
  });
  const check = ValidateBy({
    name: 'envInt',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'number' && Number.isInteger(value) && value >= range.min && value <= range.max,
      defaultMessage: () => `must be an integer between ${range.min} and ${range.max}`,
    },
  });
  return both(parse, check);
}

export function EnvOneOf(values: readonly string[]): PropertyDecorator {
  return ValidateBy({
    name: 'envOneOf',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && values.includes(value),
      defaultMessage: () => `must be one of ${values.join(', ')}`,
    },
  });
}

export function EnvPattern(pattern: RegExp, expectation: string): PropertyDecorator {
  return ValidateBy({
    name: 'envPattern',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && pattern.test(value),
      defaultMessage: () => `must be ${expectation}`,
    },
  });
}

/**
 * A key for @parking/secret-box: base64 (or base64url) of 32 random bytes. `also` adds a
 * condition to the sentence, e.g. `not the value of SECRETS_KEY`.
 */
export function EnvSecretsKey(also?: string): PropertyDecorator {
  return EnvPattern(/^[A-Za-z0-9+/_-]{43}=?$/, `base64 of 32 random bytes (openssl rand -base64 32)${also ? `, ${also}` : ''}`);
}

/** A URL whose scheme is one of `schemes` (without `:`), e.g. `['postgres', 'postgresql']`. */
export function EnvUrl(schemes: readonly string[], options: { list?: boolean } = {}): PropertyDecorator {
  const shape = schemes.map((s) => `${s}://`).join(' or ');
  return ValidateBy({
    name: 'envUrl',
    validator: {
      validate: (value: unknown) => {
        if (typeof value !== 'string') return false;
        const urls = options.list ? splitList(value) : [value];
        return urls.length > 0 && urls.every((url) => hasScheme(url, schemes));
      },
      defaultMessage: () =>
        options.list ? `must be a comma-separated list of ${shape} URLs` : `must be a ${shape} URL`,
    },
  });
}

/** `true/false`, `1/0`, `yes/no`; anything else stays a string and fails validation. */
export function EnvBoolean(): PropertyDecorator {
  const parse = Transform(({ obj, key }) => {
    const raw = String((obj as Record<string, unknown>)[key]).toLowerCase();
    if (['true', '1', 'yes'].includes(raw)) return true;
    if (['false', '0', 'no'].includes(raw)) return false;
    return raw;
  });
  const check = ValidateBy({
    name: 'envBoolean',
    validator: {
      validate: (value: unknown) => typeof value === 'boolean',
      defaultMessage: () => 'must be true or false',
    },
  });
  return both(parse, check);
}

/** `nats://a:4222, nats://b:4222` → `['nats://a:4222', 'nats://b:4222']`. */
export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

function both(first: PropertyDecorator, second: PropertyDecorator): PropertyDecorator {
  return (target, property) => {
    first(target, property);
    second(target, property);
  };
}

function hasScheme(value: string, schemes: readonly string[]): boolean {
  try {
    const url = new URL(value);
    return schemes.includes(url.protocol.slice(0, -1)) && url.host.length > 0;
  } catch {
    return false;
  }
}
