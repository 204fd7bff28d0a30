import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A fresh prefix for one test's NATS subjects and stream names (`<ns>.<subject>`,
 * `<NS>_<NAME>`): lower-case letters and digits, starting with a letter, so tests running
 * in parallel against one server never see each other's messages.
 */
export function uniqueNamespace(): string {
  const bytes = randomBytes(8);
  return `t${Array.from(bytes, (byte) => ALPHABET[byte % ALPHABET.length]).join('')}`;
}
