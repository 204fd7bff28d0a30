/**
 * A retired signing key stops being trusted by the gateway (docs/security.md, "Signing keys"): the
 * gateway refreshes identity's JWKS periodically, not only for an unknown `kid`, so a key
 * identity no longer publishes is dropped. The platform admin rotates through the REST API
 * (audited with its reason). Compiled gateway and identity (`npm run build` first).
 */
import { expectEventually } from '@parking/testing';
import { startApiStack, type ApiStack, type SignedIn } from '../api-stack';

describe('signing key rotation through the gateway', () => {
  let api: ApiStack;
  let owner: SignedIn;

  beforeAll(async () => {
    api = await startApiStack({ prefix: 'signing-keys', env: { JWKS_REFRESH_INTERVAL_MS: '500' } });
    owner = await api.register('keyholder');
  }, 120_000);
  afterAll(async () => {
    await api?.stop();
  });

  it('is for platform admins only, and needs a reason', async () => {
    expect(await api.call('POST', '/api/v1/admin/signing-keys/rotate', { accessToken: owner.accessToken, body: { reason: 'I want one' } })).toMatchObject({ status: 403 });
    const noReason = await api.call('POST', '/api/v1/admin/signing-keys/rotate', { accessToken: api.admin.accessToken, body: {} });
    expect(noReason.status).toBe(400);
    expect(noReason.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(noReason.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: expect.arrayContaining([expect.objectContaining({ field: 'reason' })]) });
  });

  it('keeps trusting tokens of the previous key after a routine rotation, and stops once it is retired', async () => {
    expect((await api.call('GET', '/api/v1/auth/me', { accessToken: owner.accessToken })).status).toBe(200);

    const routine = await api.call('POST', '/api/v1/admin/signing-keys/rotate', { accessToken: api.admin.accessToken, body: { reason: 'Quarterly rotation' } });
    expect(routine.status).toBe(200);
    expect(routine.body).toMatchObject({ kid: expect.any(String), retired: [expect.any(String)] });
    // Tokens signed before the rotation stay valid until they expire.
    expect((await api.call('GET', '/api/v1/auth/me', { accessToken: owner.accessToken })).status).toBe(200);
    const fresh = await api.login(owner.email, owner.password);

    // A compromised key: every earlier key leaves the JWKS at once. The gateway's next JWKS refresh drops them.
    const admin = await api.login(api.admin.email, api.admin.password);
    // The new key reaches the gateway on its next JWKS fetch (asked by the token, or periodic).
    await expectEventually(async () => expect((await api.call('GET', '/api/v1/auth/me', { accessToken: admin.accessToken })).status).toBe(200));
    const urgent = await api.call('POST', '/api/v1/admin/signing-keys/rotate', {
      accessToken: admin.accessToken,
      body: { reason: 'Key found in a leaked backup', retirePrevious: true },
    });
    expect(urgent.status).toBe(200);
    await expectEventually(async () => expect((await api.call('GET', '/api/v1/auth/me', { accessToken: fresh.accessToken })).status).toBe(401), {
      timeoutMs: 5_000,
      intervalMs: 100,
    });
    expect((await api.call('GET', '/api/v1/auth/me', { accessToken: owner.accessToken })).status).toBe(401);

    // A new sign-in is signed with the new key, which the gateway learns on its next fetch.
    const after = await api.login(owner.email, owner.password);
    await expectEventually(async () => expect((await api.call('GET', '/api/v1/auth/me', { accessToken: after.accessToken })).status).toBe(200));
  });
});
