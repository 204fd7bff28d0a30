import { ValidationFailedError } from '@parking/problem-details';

const ID = /^[0-9]{1,19}$/;

/** Opaque to clients: base64url of the last transition id of the page (ids only grow). */
export function encodeTransitionCursor(id: string): string {
  return Buffer.from(JSON.stringify(['t', id])).toString('base64url');
}

export function decodeTransitionCursor(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && parsed[0] === 't' && ID.test(String(parsed[1]))) return String(parsed[1]);
  } catch {
    // Falls through to the validation error below.
  }
  throw new ValidationFailedError([{ field: 'cursor', message: 'must be a nextCursor this list gave out' }]);
}
