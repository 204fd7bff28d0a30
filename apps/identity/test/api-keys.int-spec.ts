/** API keys over request/reply against the compiled identity service (`npm run build` first). */
import {
  ApiKeySecretResponse,
  ApiKeyView,
  AuthenticateApiKeyResponse,
  IDENTITY_RPC,
  Page,
  Principal,
  RegisterResponse,
  ROLE_PERMISSIONS,
} from '@parking/contracts';
import { expectEventually } from '@parking/testing';
import { IdentityHarness, leakedSecrets, newRegistration, startIdentity, userPrincipal } from './identity-harness';

describe('identity API keys', () => {
  let identity: IdentityHarness;
  let owner: Principal;
  const secrets: string[] = [];

  beforeAll(async () => {
    identity = await startIdentity();
    const session = await identity.send<RegisterResponse>(IDENTITY_RPC.register, newRegistration());
    owner = userPrincipal(session, 'owner');
  }, 90_000);
  afterAll(async () => {
    await identity?.stop();
  });

  const create = (principal: Principal, body: Record<string, unknown>) =>
    identity.send<ApiKeySecretResponse>(IDENTITY_RPC.createApiKey, { principal, ...body }).then((created) => {
      secrets.push(created.key);
      return created;
    });

  it('creates a key shown once, authenticates it as a principal with its scopes, and counts its use per day', async () => {
    const created = await create(owner, { name: 'display board', scopes: ['spaces:read', 'displays:write'] });
    expect(created.key).toMatch(/^pk_live_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
    expect(created.key.startsWith(created.apiKey.prefix + '_')).toBe(true);

    const { principal } = await identity.send<AuthenticateApiKeyResponse>(IDENTITY_RPC.authenticateApiKey, { key: created.key });
    expect(principal).toEqual({
      kind: 'api-key',
      tenantId: owner.tenantId,
      actor: `api-key:${created.apiKey.id}`,
      apiKeyId: created.apiKey.id,
      permissions: ['spaces:read', 'displays:write'],
      isPlatformAdmin: false,
    });
    await identity.send(IDENTITY_RPC.authenticateApiKey, { key: created.key });

    const [stored] = await identity.sql<{ secret_hash: string; last_used_at: Date | null }>('SELECT secret_hash, last_used_at FROM identity.api_keys WHERE id = $1', [
      created.apiKey.id,
    ]);
    expect(stored.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.last_used_at).not.toBeNull();
    const usage = await identity.sql<{ requests: string }>('SELECT requests::text FROM identity.api_key_usage_daily WHERE api_key_id = $1', [created.apiKey.id]);
    expect(usage).toEqual([{ requests: '2' }]);

    const list = await identity.send<Page<ApiKeyView>>(IDENTITY_RPC.listApiKeys, { principal: owner });
    expect(list.items.map((k) => k.id)).toContain(created.apiKey.id);
    expect(JSON.stringify(list)).not.toContain(created.key);
  });

  it('answers 401 for an unknown, altered, revoked or expired key', async () => {
    const created = await create(owner, { name: 'short-lived', scopes: ['spaces:read'] });
    const altered = created.key.slice(0, -1) + (created.key.endsWith('A') ? 'B' : 'A');
    for (const key of ['pk_live_AAAAAAAA_' + 'x'.repeat(43), altered, 'not a key']) {
      expect(await identity.failure(IDENTITY_RPC.authenticateApiKey, { key })).toMatchObject({ code: 'UNAUTHENTICATED' });
    }

    await identity.sql("UPDATE identity.api_keys SET expires_at = now() - interval '1 second' WHERE id = $1", [created.apiKey.id]);
    expect(await identity.failure(IDENTITY_RPC.authenticateApiKey, { key: created.key })).toMatchObject({ code: 'UNAUTHENTICATED' });

    await identity.sql('UPDATE identity.api_keys SET expires_at = NULL WHERE id = $1', [created.apiKey.id]);
    await identity.send(IDENTITY_RPC.authenticateApiKey, { key: created.key });
    const revoked = await identity.send<ApiKeyView>(IDENTITY_RPC.revokeApiKey, { principal: owner, apiKeyId: created.apiKey.id });
    expect(revoked.revokedAt).not.toBeNull();
    expect(await identity.failure(IDENTITY_RPC.authenticateApiKey, { key: created.key })).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('rotates a key: the new one works with the same scopes, the old one stops at once', async () => {
    const created = await create(owner, { name: 'rotating', scopes: ['devices:read'] });
    const rotated = await identity.send<ApiKeySecretResponse>(IDENTITY_RPC.rotateApiKey, { principal: owner, apiKeyId: created.apiKey.id });
    secrets.push(rotated.key);
    expect(rotated.apiKey).toMatchObject({ name: 'rotating', scopes: ['devices:read'] });
    expect(rotated.key).not.toBe(created.key);
    await expect(identity.send(IDENTITY_RPC.authenticateApiKey, { key: rotated.key })).resolves.toMatchObject({ principal: { permissions: ['devices:read'] } });
    expect(await identity.failure(IDENTITY_RPC.authenticateApiKey, { key: created.key })).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('refuses scopes beyond what the creator holds, naming them', async () => {
    const session = await identity.send<RegisterResponse>(IDENTITY_RPC.register, newRegistration('scoped'));
    // An admin holds everything but tenant:write.
    await identity.sql("UPDATE identity.users SET role = 'admin' WHERE id = $1", [session.userId]);
    const admin = userPrincipal(session, 'admin');
    const failure = await identity.failure(IDENTITY_RPC.createApiKey, { principal: admin, name: 'too much', scopes: ['spaces:read', 'tenant:write'] });
    expect(failure).toMatchObject({ code: 'FORBIDDEN', errors: [{ field: 'scopes', message: expect.stringContaining('tenant:write') }] });

    // A token that still claims owner does not help once the database says admin.
    const stale = { ...admin, role: 'owner' as const, permissions: [...ROLE_PERMISSIONS.owner] };
    expect(await identity.failure(IDENTITY_RPC.createApiKey, { principal: stale, name: 'stale', scopes: ['tenant:write'] })).toMatchObject({ code: 'FORBIDDEN' });

    const viewer = { ...userPrincipal(session, 'viewer') };
    expect(await identity.failure(IDENTITY_RPC.createApiKey, { principal: viewer, name: 'viewer', scopes: ['spaces:read'] })).toMatchObject({ code: 'FORBIDDEN' });
  });

  it("enforces the plan's apiKeys limit with LIMIT_EXCEEDED naming the limit", async () => {
    const session = await identity.send<RegisterResponse>(IDENTITY_RPC.register, newRegistration('limited'));
    const principal = userPrincipal(session, 'owner');
    // The free plan allows 2 active keys; a revoked one does not count.
    const first = await create(principal, { name: 'one', scopes: ['spaces:read'] });
    await create(principal, { name: 'two', scopes: ['spaces:read'] });
    const failure = await identity.failure(IDENTITY_RPC.createApiKey, { principal, name: 'three', scopes: ['spaces:read'] });
    expect(failure).toMatchObject({ code: 'LIMIT_EXCEEDED', status: 403, errors: [{ field: 'limits.apiKeys', message: 'at most 2' }] });
    expect(failure.detail).toContain('apiKeys');
    await identity.send(IDENTITY_RPC.revokeApiKey, { principal, apiKeyId: first.apiKey.id });
    await expect(create(principal, { name: 'three', scopes: ['spaces:read'] })).resolves.toMatchObject({ apiKey: { name: 'three' } });
  });

  it('announces every revocation and rotation as identity.api_key.revoked.v1, once per key', async () => {
    const session = await identity.send<RegisterResponse>(IDENTITY_RPC.register, newRegistration('announcing'));
    const principal = userPrincipal(session as { userId: string; tenantId: string }, 'owner');
    const revoked = await create(principal, { name: 'to revoke', scopes: ['spaces:read'] });
    const rotated = await create(principal, { name: 'to rotate', scopes: ['spaces:read'] });
    await identity.send(IDENTITY_RPC.revokeApiKey, { principal, apiKeyId: revoked.apiKey.id });
    // Revoking again changes nothing, and announces nothing.
    await identity.send(IDENTITY_RPC.revokeApiKey, { principal, apiKeyId: revoked.apiKey.id });
    const next = await identity.send<ApiKeySecretResponse>(IDENTITY_RPC.rotateApiKey, { principal, apiKeyId: rotated.apiKey.id });
    secrets.push(next.key);

    const announced = await expectEventually(() => {
      const events = identity.events('identity.api_key.revoked.v1').filter((e) => [revoked.apiKey.id, rotated.apiKey.id].includes(e.data.apiKeyId as string));
      expect(events).toHaveLength(2);
      return events;
    });
    const byKey = Object.fromEntries(announced.map((e) => [e.data.apiKeyId as string, e]));
    expect(byKey[revoked.apiKey.id]).toMatchObject({
      tenantid: principal.tenantId,
      subject: revoked.apiKey.id,
      data: { apiKeyId: revoked.apiKey.id, tenantId: principal.tenantId, reason: 'revoked', revokedAt: expect.any(String) },
    });
    expect(byKey[rotated.apiKey.id]).toMatchObject({ data: { apiKeyId: rotated.apiKey.id, tenantId: principal.tenantId, reason: 'rotated' } });
    // The event carries no secret and no hash of one.
    expect(JSON.stringify(announced)).not.toContain(revoked.key.slice(17));
  });

  it('writes no API key into its logs', () => {
    expect(secrets.length).toBeGreaterThan(4);
    expect(leakedSecrets(identity.logs(), secrets)).toEqual([]);
  });
});
