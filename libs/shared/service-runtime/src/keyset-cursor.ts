import { ValidationFailedError } from '@parking/problem-details';

/** Position after a row in (created_at, id) order; created_at in microseconds, as PostgreSQL keeps it. */
export interface KeysetCursor {
  createdAtMicros: string;
  id: string;
}

const MICROS = /^[0-9]{1,20}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Opaque to clients: base64url of `[micros, id]`. */
export function encodeCursor(cursor: KeysetCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAtMicros, cursor.id])).toString('base64url');
}

export function decodeCursor(value: string | undefined): KeysetCursor | undefined {
  if (value === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && MICROS.test(String(parsed[0])) && UUID.test(String(parsed[1]))) {
      return { createdAtMicros: String(parsed[0]), id: String(parsed[1]) };
    }
  } catch {
    // Falls through to the validation error below.
  }
  throw new ValidationFailedError([{ field: 'cursor', message: 'must be a nextCursor this list gave out' }]);
}
