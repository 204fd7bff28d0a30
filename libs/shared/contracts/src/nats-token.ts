/**
 * A NATS subject token may not contain '.', '*', '>' or whitespace: any of these would
 * split the token or turn it into a wildcard and route the message somewhere else.
 */
const ILLEGAL_TOKEN_CHARACTERS = /[.*>\s]/;

export function isNatsToken(value: string): boolean {
  return value.length > 0 && !ILLEGAL_TOKEN_CHARACTERS.test(value);
}

export function assertNatsToken(value: string, what: string): void {
  if (!isNatsToken(value)) {
    throw new Error(`${what} "${value}" cannot be a NATS subject token: it must be non-empty without '.', '*', '>' or whitespace`);
  }
}
