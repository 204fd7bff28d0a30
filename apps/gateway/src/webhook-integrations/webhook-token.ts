import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

const WEBHOOK_TOKEN = /^(whk_[A-Za-z0-9]{8})_[A-Za-z0-9_-]{32,}$/;

/** The public lookup prefix (`whk_<8 alnum>`) of a well-formed webhook token, else null (same rule as identity). */
export function webhookTokenPrefix(token: unknown): string | null {
  if (typeof token !== 'string' || token.length > 200) return null;
  return WEBHOOK_TOKEN.exec(token)?.[1] ?? null;
}

/** SHA-256 of the whole token, as raw bytes (identity stores the hex of the same digest). */
export function tokenDigest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** Constant time for equal lengths; different lengths are never equal (and say nothing secret). */
export function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The HMAC key of a secret as the client was shown it (base64url text): its UTF-8 bytes, the
 * way `openssl dgst -sha256 -hmac "<secret>"` and most webhook senders use a shared secret.
 */
export function hmacKeyOf(secretText: string): Buffer {
  return Buffer.from(secretText, 'utf8');
}

export function hmacSha256(key: Buffer, body: Buffer): Buffer {
  return createHmac('sha256', key).update(body).digest();
}

const SIGNATURE_HEX = /^[0-9a-fA-F]{64}$/;

/** The 32 bytes a signature header carries (`<hex>` or `sha256=<hex>`), or null if it is malformed. */
export function parseSignatureHeader(header: unknown): Buffer | null {
  if (typeof header !== 'string') return null;
  const trimmed = header.trim();
  const hex = trimmed.toLowerCase().startsWith('sha256=') ? trimmed.slice('sha256='.length) : trimmed;
  return SIGNATURE_HEX.test(hex) ? Buffer.from(hex, 'hex') : null;
}
