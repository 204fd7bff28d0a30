import { generateSecretsKey, SecretBox, SecretBoxKeyError, SecretBoxOpenError } from './secret-box';
import { sealedFor } from './bindings';

describe('SecretBox (AES-256-GCM)', () => {
  const key = generateSecretsKey();

  it('opens what it sealed, and never seals the same value to the same text twice', () => {
    const box = new SecretBox(key);
    const a = box.seal('hmac-secret');
    const b = box.seal('hmac-secret');
    expect(a).not.toBe(b);
    expect(a).not.toContain('hmac-secret');
    expect(box.openText(a)).toBe('hmac-secret');
    expect(a.split('.')).toEqual(['sb1', box.keyId, expect.any(String), expect.any(String)]);
  });

  it('refuses a value with one altered character', () => {
    const box = new SecretBox(key);
    const sealed = box.seal('hmac-secret');
    const last = sealed.at(-1) === 'A' ? 'B' : 'A';
    expect(() => box.open(sealed.slice(0, -1) + last)).toThrow(SecretBoxOpenError);
  });

  it('binds a value to its associated data', () => {
    const box = new SecretBox(key);
    const sealed = box.seal('signing-key', 'signing-key:1');
    expect(box.openText(sealed, 'signing-key:1')).toBe('signing-key');
    expect(() => box.open(sealed, 'signing-key:2')).toThrow(SecretBoxOpenError);
  });

  it('opens values sealed under a previous key after the key changed', () => {
    const old = new SecretBox(key);
    const sealed = old.seal('kept');
    const rotated = new SecretBox(generateSecretsKey(), [key]);
    expect(rotated.openText(sealed)).toBe('kept');
    expect(() => new SecretBox(generateSecretsKey()).open(sealed)).toThrow(/not configured/);
  });

  it('tells whether a value is sealed under its current key, so old values can be found and sealed again', () => {
    const previous = generateSecretsKey();
    const old = new SecretBox(previous).seal('kept');
    const box = new SecretBox(key, [previous]);
    expect(box.isSealedUnderCurrentKey(old)).toBe(false);
    expect(box.isSealedUnderCurrentKey(box.seal('kept'))).toBe(true);
    expect(box.isSealedUnderCurrentKey('not sealed at all')).toBe(false);
    expect(box.holdsKeyOf(old)).toBe(true);
    expect(new SecretBox(generateSecretsKey()).holdsKeyOf(old)).toBe(false);
  });

  it('names what each kind of secret is bound to, so one cannot stand in for another', () => {
    const box = new SecretBox(key);
    const hmac = box.seal('hmac-secret', sealedFor.webhookIntegration('1d4f0c8e-2a7b-4c61-9e3f-5b8a7d6c4e21'));
    expect(box.openText(hmac, 'webhook-integration:1d4f0c8e-2a7b-4c61-9e3f-5b8a7d6c4e21')).toBe('hmac-secret');
    expect(() => box.open(hmac, sealedFor.webhookIntegration('2d4f0c8e-2a7b-4c61-9e3f-5b8a7d6c4e22'))).toThrow(SecretBoxOpenError);
    expect(() => box.open(hmac, sealedFor.signingKey('1d4f0c8e-2a7b-4c61-9e3f-5b8a7d6c4e21'))).toThrow(SecretBoxOpenError);
    expect(sealedFor.signingKey('kid-1')).toBe('signing-key:kid-1');
  });

  it.each(['', 'short', Buffer.alloc(16).toString('base64'), 'not base64 at all!'])('refuses the key %j and says what a key is', (bad) => {
    expect(() => new SecretBox(bad)).toThrow(SecretBoxKeyError);
    expect(() => new SecretBox(bad)).toThrow(/base64 of 32 random bytes|decode to 32 bytes/);
  });
});
