import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';

/**
 * Ed25519 keys of RPC callers, in the forms configuration carries them: a private key as
 * base64url PKCS#8 DER (`RPC_SIGNING_KEY`), public keys as `issuer:base64url SPKI DER`
 * pairs (`RPC_TRUSTED_KEYS`, comma-separated; several per issuer while keys rotate).
 * Ed25519, not ES256: verifying costs about half as much, and every RPC is verified.
 */
export interface TrustedKey {
  issuer: string;
  kid: string;
  key: KeyObject;
}

const ISSUER = /^[a-z][a-z0-9-]{0,62}$/;

/** A key's id: what the proof's header names so the verifier needs no search. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ format: 'der', type: 'spki' })).digest('base64url').slice(0, 16);
}

export function generateProofKeyPair(): { privateKey: string; publicKey: string } {
  const pair = generateKeyPairSync('ed25519');
  return {
    privateKey: pair.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64url'),
    publicKey: pair.publicKey.export({ format: 'der', type: 'spki' }).toString('base64url'),
  };
}

export function readPrivateKey(encoded: string): KeyObject {
  const key = createPrivateKey({ key: Buffer.from(encoded, 'base64url'), format: 'der', type: 'pkcs8' });
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('RPC_SIGNING_KEY must be an Ed25519 private key (base64url PKCS#8 DER)');
  return key;
}

export function publicKeyOf(privateKey: KeyObject): KeyObject {
  return createPublicKey(privateKey);
}

/** `gateway:MCowBQYDK2VwAyEA…,downlink:…` → the keys each issuer may sign with. */
export function readTrustedKeys(encoded: string): TrustedKey[] {
  return encoded
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0)
    .map((entry) => {
      const at = entry.indexOf(':');
      const issuer = entry.slice(0, at);
      if (at < 1 || !ISSUER.test(issuer)) throw new Error(`RPC_TRUSTED_KEYS: "${entry.slice(0, 20)}…" must be issuer:base64url-public-key`);
      const key = createPublicKey({ key: Buffer.from(entry.slice(at + 1), 'base64url'), format: 'der', type: 'spki' });
      if (key.asymmetricKeyType !== 'ed25519') throw new Error(`RPC_TRUSTED_KEYS: the key of ${issuer} is not an Ed25519 public key`);
      return { issuer, kid: keyIdOf(key), key };
    });
}

/** The `issuer:public-key` entry of RPC_TRUSTED_KEYS for a key pair's public half. */
export function trustedKeyEntry(issuer: string, publicKey: string): string {
  return `${issuer}:${publicKey}`;
}
