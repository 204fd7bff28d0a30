import fc from 'fast-check';
import { prefixedSecret, prefixOf, randomAlnum, sha256Hex } from './opaque-token';

describe('prefixed bearer secrets', () => {
  it('issues pk_live_<8>_<secret> whose prefix finds it and whose hash is SHA-256 of the whole token', () => {
    const secret = prefixedSecret('pk_live');
    expect(secret.token).toMatch(/^pk_live_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
    expect(prefixOf('pk_live', secret.token)).toBe(secret.prefix);
    expect(secret.hash).toBe(sha256Hex(secret.token));
    expect(prefixOf('whk', secret.token)).toBeNull();
  });

  it('finds no prefix in anything that is not a well-formed token', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (text) => {
        const prefix = prefixOf('whk', text);
        if (prefix !== null) expect(text.startsWith(`${prefix}_`)).toBe(true);
      }),
    );
    expect(prefixOf('whk', 'whk_short_x')).toBeNull();
    expect(prefixOf('whk', 42)).toBeNull();
  });

  it('draws prefix characters from letters and digits only', () => {
    expect(randomAlnum(500)).toMatch(/^[A-Za-z0-9]{500}$/);
  });
});
