import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** SHA-256 hex: how every bearer secret (refresh, reset, invitation, API key, webhook token) is stored. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** 256 random bits, base64url. */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Letters and digits only, so a prefix reads well and never contains the `_` separator. */
export function randomAlnum(length: number): string {
  const bytes = randomBytes(length * 2);
  let out = '';
  for (const byte of bytes) {
    // 248 = 4 × 62: rejecting the rest keeps every character equally likely.
    if (byte < 248) out += ALNUM[byte % 62];
    if (out.length === length) return out;
  }
  return out + randomAlnum(length - out.length);
}

/** A bearer secret with a public lookup prefix: `<kind>_<8 alnum>_<secret>`. */
export interface PrefixedSecret {
  prefix: string;
  token: string;
  hash: string;
}

export function prefixedSecret(kind: 'pk_live' | 'whk'): PrefixedSecret {
  const prefix = `${kind}_${randomAlnum(8)}`;
  const token = `${prefix}_${randomSecret()}`;
  return { prefix, token, hash: sha256Hex(token) };
}

/** The prefix of a well-formed token of `kind`, else null. */
export function prefixOf(kind: 'pk_live' | 'whk', token: unknown): string | null {
  if (typeof token !== 'string' || token.length > 200) return null;
  const match = new RegExp(`^(${kind}_[A-Za-z0-9]{8})_[A-Za-z0-9_-]{32,}$`).exec(token);
  return match ? match[1] : null;
}
