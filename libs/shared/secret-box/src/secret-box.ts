import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 'sb1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

/** A key that cannot be used: wrong length or not base64. Says what to fix, never echoes the key. */
export class SecretBoxKeyError extends Error {
  override readonly name = 'SecretBoxKeyError';
}

/** A sealed value that cannot be opened: tampered, truncated, or sealed under a key we do not hold. */
export class SecretBoxOpenError extends Error {
  override readonly name = 'SecretBoxOpenError';
}

/**
 * AES-256-GCM for secrets we must be able to read back (HMAC secrets, signing keys), as
 * opposed to secrets we only compare (tokens, which are hashed). A sealed value names the
 * key it was sealed under (`sb1.<keyId>.<iv>.<ciphertext+tag>`, base64url), so a new key
 * can be introduced while the previous one still opens older values. Each key is held by the
 * services that need it: identity's own (SECRETS_KEY: signing keys), the one it shares with the
 * gateway (INTEGRATION_SECRETS_KEY: webhook HMAC secrets) and chirpstack-sync's own (its
 * SECRETS_KEY: ChirpStack API tokens); `sealedFor` names what each value is bound to.
 */
export class SecretBox {
  private readonly current: { id: string; key: Buffer };
  private readonly keys: Map<string, Buffer>;

  /** `currentKey` and `previousKeys`: base64 (or base64url) of 32 random bytes each. */
  constructor(currentKey: string, previousKeys: readonly string[] = []) {
    const decoded = [currentKey, ...previousKeys].map((k, i) => decodeKey(k, i === 0 ? 'the key' : `previous key ${i}`));
    this.current = { id: keyIdOf(decoded[0]), key: decoded[0] };
    this.keys = new Map(decoded.map((key) => [keyIdOf(key), key]));
  }

  get keyId(): string {
    return this.current.id;
  }

  /** `associatedData` binds the value to its place (e.g. a row id): opened elsewhere, it fails. */
  seal(plaintext: string | Buffer, associatedData?: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    if (associatedData !== undefined) cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    return [VERSION, this.current.id, iv.toString('base64url'), body.toString('base64url')].join('.');
  }

  open(sealed: string, associatedData?: string): Buffer {
    const parts = typeof sealed === 'string' ? sealed.split('.') : [];
    if (parts.length !== 4 || parts[0] !== VERSION) throw new SecretBoxOpenError(`not a ${VERSION} sealed value`);
    const [, keyId, ivText, bodyText] = parts;
    const key = this.keys.get(keyId);
    if (!key) throw new SecretBoxOpenError(`sealed under key ${keyId}, which is not configured`);
    const iv = Buffer.from(ivText, 'base64url');
    const body = Buffer.from(bodyText, 'base64url');
    if (iv.length !== IV_BYTES || body.length < TAG_BYTES) throw new SecretBoxOpenError('the sealed value is truncated');
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    if (associatedData !== undefined) decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new SecretBoxOpenError('the sealed value was altered or sealed with other associated data');
    }
  }

  openText(sealed: string, associatedData?: string): string {
    return this.open(sealed, associatedData).toString('utf8');
  }

  /** Sealed under the current key: nothing to do when looking for values to seal again after a key change. */
  isSealedUnderCurrentKey(sealed: string): boolean {
    return keyIdIn(sealed) === this.current.id;
  }

  /** Sealed under one of this box's keys (current or previous), so it can be opened here. */
  holdsKeyOf(sealed: string): boolean {
    const keyId = keyIdIn(sealed);
    return keyId !== undefined && this.keys.has(keyId);
  }
}

function keyIdIn(sealed: string): string | undefined {
  const parts = typeof sealed === 'string' ? sealed.split('.') : [];
  return parts.length === 4 && parts[0] === VERSION ? parts[1] : undefined;
}

/** `openssl rand -base64 32`, in code: for tests and the local launcher. */
export function generateSecretsKey(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}

function decodeKey(text: string, name: string): Buffer {
  if (typeof text !== 'string' || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(text.trim())) {
    throw new SecretBoxKeyError(`${name} must be base64 of ${KEY_BYTES} random bytes (openssl rand -base64 32)`);
  }
  const key = Buffer.from(text.trim().replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length !== KEY_BYTES) {
    throw new SecretBoxKeyError(`${name} must decode to ${KEY_BYTES} bytes, it decodes to ${key.length} (openssl rand -base64 32)`);
  }
  return key;
}

// A fingerprint, not the key: enough to pick the right key, useless to an attacker.
function keyIdOf(key: Buffer): string {
  return `k${createHash('sha256').update('parking-secret-box-key-id').update(key).digest('hex').slice(0, 8)}`;
}
