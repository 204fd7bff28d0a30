import { generateSecretsKey, SecretBox, SecretBoxKeyError, SecretBoxOpenError } from './secret-box';

describe('SecretBox (AES-256-GCM under SECRETS_KEY)', () => {
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

  it.each(['', 'short', Buffer.alloc(16).toString('base64'), 'not base64 at all!'])('refuses the key %j and says what a key is', (bad) => {
    expect(() => new SecretBox(bad)).toThrow(SecretBoxKeyError);
    expect(() => new SecretBox(bad)).toThrow(/base64 of 32 random bytes|decode to 32 bytes/);
  });
});
