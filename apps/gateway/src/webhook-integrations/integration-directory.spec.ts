import { createHash, createHmac, randomBytes } from 'node:crypto';
import { SecretBox, generateSecretsKey } from '@parking/secret-box';
import { IntegrationDirectory } from './integration-directory';

const box = new SecretBox(generateSecretsKey());
/** As identity seals an HMAC secret: under INTEGRATION_SECRETS_KEY, bound to its integration's id. */
const sealFor = (integrationId: string, secret: string) => box.seal(secret, `webhook-integration:${integrationId}`);
const openBound = (integrationId: string, sealed: string) => box.openText(sealed, `webhook-integration:${integrationId}`);
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const NOW = Date.parse('2025-03-01T12:00:00.000Z');
const ID = '1d4f0c8e-2a7b-4c61-9e3f-5b8a7d6c4e21';
const TENANT = '6f1f7e52-3b0a-4d8e-9a53-2f6b0c1d9e41';

function credential(prefix: string) {
  const token = `${prefix}_${randomBytes(32).toString('base64url')}`;
  const secret = randomBytes(32).toString('base64url');
  return { prefix, token, secret };
}
const sign = (secret: string, body: Buffer) => createHmac('sha256', secret).update(body).digest('hex');

describe('IntegrationDirectory', () => {
  const current = credential('whk_Cur12345');
  const previous = credential('whk_Prev1234');
  let now = NOW;
  let directory: IntegrationDirectory;

  const upsert = (version: number, options: { enabled?: boolean; previousUntil?: string | null } = {}) => {
    const withPrevious = options.previousUntil !== undefined && options.previousUntil !== null;
    return directory.applyUpsert({
      id: ID,
      tenantId: TENANT,
      enabled: options.enabled ?? true,
      version,
      tokens: [
        { prefix: current.prefix, sha256: sha256(current.token), validUntil: null },
        ...(withPrevious ? [{ prefix: previous.prefix, sha256: sha256(previous.token), validUntil: options.previousUntil! }] : []),
      ],
      hmacSecrets: [
        { sealed: sealFor(ID, current.secret), validUntil: null },
        ...(withPrevious ? [{ sealed: sealFor(ID, previous.secret), validUntil: options.previousUntil! }] : []),
      ],
    });
  };

  beforeEach(() => {
    now = NOW;
    directory = new IntegrationDirectory(openBound, () => now);
  });

  describe('authenticateBearer', () => {
    it('resolves the right token to its integration and tenant', () => {
      upsert(1);
      expect(directory.authenticateBearer(current.token)).toEqual({ ok: true, integrationId: ID, tenantId: TENANT });
    });

    it('refuses a wrong token with a known prefix, an unknown prefix and a malformed token', () => {
      upsert(1);
      const forged = `${current.prefix}_${randomBytes(32).toString('base64url')}`;
      expect(directory.authenticateBearer(forged)).toEqual({ ok: false, reason: 'wrong-token' });
      expect(directory.authenticateBearer(credential('whk_Unknown1').token)).toEqual({ ok: false, reason: 'unknown-prefix' });
      expect(directory.authenticateBearer('Bearer nonsense')).toEqual({ ok: false, reason: 'malformed-token' });
    });

    it('accepts the previous token during the grace and refuses it after', () => {
      upsert(2, { previousUntil: new Date(NOW + 60_000).toISOString() });
      expect(directory.authenticateBearer(previous.token)).toMatchObject({ ok: true, integrationId: ID });
      expect(directory.authenticateBearer(current.token)).toMatchObject({ ok: true, integrationId: ID });
      now = NOW + 60_001;
      expect(directory.authenticateBearer(previous.token)).toEqual({ ok: false, reason: 'expired' });
      expect(directory.authenticateBearer(current.token)).toMatchObject({ ok: true });
    });

    it('refuses a disabled integration (suspended tenant)', () => {
      upsert(1, { enabled: false });
      expect(directory.authenticateBearer(current.token)).toEqual({ ok: false, reason: 'disabled' });
    });
  });

  describe('verifySignature', () => {
    const body = Buffer.from('{"deviceInfo":{"devEui":"0102030405060708"}}');

    it('accepts the HMAC-SHA256 of the raw body in hex, with or without `sha256=`, in any case', () => {
      upsert(1);
      const signature = sign(current.secret, body);
      expect(directory.verifySignature(ID, body, signature)).toEqual({ ok: true, integrationId: ID, tenantId: TENANT });
      expect(directory.verifySignature(ID, body, `sha256=${signature}`)).toMatchObject({ ok: true });
      expect(directory.verifySignature(ID, body, signature.toUpperCase())).toMatchObject({ ok: true });
    });

    it('refuses a signature of another body or under another secret', () => {
      upsert(1);
      expect(directory.verifySignature(ID, Buffer.from('{}'), sign(current.secret, body))).toEqual({ ok: false, reason: 'bad-signature' });
      expect(directory.verifySignature(ID, body, sign('not the secret', body))).toEqual({ ok: false, reason: 'bad-signature' });
    });

    it.each([
      ['odd-length hex', 'abc'],
      ['short hex', 'ab'.repeat(31)],
      ['too long', 'ab'.repeat(33)],
      ['not hex', 'zz'.repeat(32)],
      ['empty', ''],
      ['another algorithm', `sha1=${'ab'.repeat(32)}`],
      ['missing', undefined],
    ])('gives a reason for a malformed header (%s), never a throw', (_name, header) => {
      upsert(1);
      expect(directory.verifySignature(ID, body, header)).toEqual({ ok: false, reason: 'malformed-signature' });
    });

    it('accepts the previous secret during the grace only', () => {
      upsert(2, { previousUntil: new Date(NOW + 1_000).toISOString() });
      expect(directory.verifySignature(ID, body, sign(previous.secret, body))).toMatchObject({ ok: true });
      now = NOW + 1_000;
      expect(directory.verifySignature(ID, body, sign(previous.secret, body))).toEqual({ ok: false, reason: 'expired' });
      expect(directory.verifySignature(ID, body, sign(current.secret, body))).toMatchObject({ ok: true });
    });

    it('refuses an unknown integration, and signatures it cannot check without INTEGRATION_SECRETS_KEY', () => {
      upsert(1);
      expect(directory.verifySignature('00000000-0000-4000-8000-000000000000', body, sign(current.secret, body))).toEqual({ ok: false, reason: 'unknown-integration' });
      const withoutKey = new IntegrationDirectory(null, () => now);
      withoutKey.applyUpsert({ id: ID, tenantId: TENANT, enabled: true, version: 1, tokens: [{ prefix: current.prefix, sha256: sha256(current.token), validUntil: null }], hmacSecrets: [{ sealed: sealFor(ID, current.secret), validUntil: null }] });
      expect(withoutKey.verifySignature(ID, body, sign(current.secret, body))).toEqual({ ok: false, reason: 'secret-unavailable' });
      expect(withoutKey.authenticateBearer(current.token)).toMatchObject({ ok: true });
    });

    it('opens a secret only for the integration it is bound to: one copied onto another integration checks nothing', () => {
      const other = '3e5a1d9f-3b8c-4d72-8f40-6c9b8e7d5f33';
      const otherToken = credential('whk_Other123');
      // Another tenant's integration carrying this integration's sealed secret (say, a forged event).
      directory.applyUpsert({
        id: other,
        tenantId: '7a2e8f63-4c1b-4e9f-8b64-3a7c1d2e0f52',
        enabled: true,
        version: 1,
        tokens: [{ prefix: otherToken.prefix, sha256: sha256(otherToken.token), validUntil: null }],
        hmacSecrets: [{ sealed: sealFor(ID, current.secret), validUntil: null }],
      });
      expect(directory.verifySignature(other, body, sign(current.secret, body))).toEqual({ ok: false, reason: 'secret-unavailable' });
      upsert(1);
      expect(directory.verifySignature(ID, body, sign(current.secret, body))).toMatchObject({ ok: true, integrationId: ID });
    });
  });

  describe('versions, deletes and the snapshot', () => {
    it('ignores an upsert not newer than what it holds (late or repeated events)', () => {
      expect(upsert(3, { enabled: false })).toBe('applied');
      expect(upsert(2, { enabled: true })).toBe('stale');
      expect(upsert(3, { enabled: true })).toBe('stale');
      expect(directory.authenticateBearer(current.token)).toEqual({ ok: false, reason: 'disabled' });
      expect(upsert(4, { enabled: true })).toBe('applied');
      expect(directory.authenticateBearer(current.token)).toMatchObject({ ok: true });
    });

    it('forgets a deleted integration for good, also against a replayed upsert', () => {
      upsert(1);
      directory.applyDelete(ID);
      expect(directory.authenticateBearer(current.token)).toEqual({ ok: false, reason: 'unknown-prefix' });
      expect(upsert(2)).toBe('deleted-before');
      expect(directory.size).toBe(0);
    });

    it('lets events seen in this process outrank a snapshot, and a snapshot replace the spool file', () => {
      const fromFile = { id: '2d4f0c8e-2a7b-4c61-9e3f-5b8a7d6c4e22', tenantId: TENANT, enabled: true, version: 1, tokens: [{ prefix: previous.prefix, sha256: sha256(previous.token), validUntil: null }], hmacSecrets: [{ sealed: sealFor('2d4f0c8e-2a7b-4c61-9e3f-5b8a7d6c4e22', previous.secret), validUntil: null }] };
      directory.loadFromFile([fromFile]);
      expect(directory.authenticateBearer(previous.token)).toMatchObject({ ok: true, integrationId: fromFile.id });
      upsert(5, { enabled: false });
      directory.applySnapshot([{ id: ID, tenantId: TENANT, enabled: true, tokens: [{ prefix: current.prefix, sha256: sha256(current.token), validUntil: null }], hmacSecrets: [{ sealed: sealFor(ID, current.secret), validUntil: null }] }]);
      expect(directory.authenticateBearer(current.token)).toEqual({ ok: false, reason: 'disabled' });
      expect(directory.authenticateBearer(previous.token)).toEqual({ ok: false, reason: 'unknown-prefix' });
      expect(directory.size).toBe(1);
    });

    it('drops a token prefix that a rotation retired', () => {
      upsert(1, { previousUntil: new Date(NOW + 1_000).toISOString() });
      upsert(2);
      expect(directory.authenticateBearer(previous.token)).toEqual({ ok: false, reason: 'unknown-prefix' });
      expect(directory.authenticateBearer(current.token)).toMatchObject({ ok: true });
    });
  });
});
