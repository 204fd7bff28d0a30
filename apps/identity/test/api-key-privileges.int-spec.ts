/**
 * What an API key may hand on (docs/security.md, "Privilege escalation by API key"): it invites or
 * promotes only to roles whose permissions lie within its scopes, and a key it creates or
 * rotates gets at most its scopes and its expiry. Against the compiled identity service
 * (`npm run build` first), on real PostgreSQL and NATS.
 */
import { ApiKeySecretResponse, AuthenticateApiKeyResponse, IDENTITY_RPC, InvitationView, LoginResponse, Permission, Principal, RegisterResponse, ROLE_PERMISSIONS } from '@parking/contracts';
import { CALLER, IdentityHarness, newRegistration, startIdentity, userPrincipal } from './identity-harness';

const READ = ROLE_PERMISSIONS.viewer;

describe('what an API key may hand on', () => {
  let identity: IdentityHarness;
  let owner: Principal;

  beforeAll(async () => {
    identity = await startIdentity();
    const session = await identity.send<RegisterResponse>(IDENTITY_RPC.register, newRegistration('escalation'));
    owner = userPrincipal(session, 'owner');
    // Room for the keys and users of these tests.
    await identity.sql("UPDATE identity.tenants SET plan = 'enterprise' WHERE id = $1", [owner.tenantId]);
  }, 90_000);
  afterAll(async () => {
    await identity?.stop();
  });

  /** A key the owner creates, and the principal the gateway derives from it. */
  async function keyWith(scopes: readonly Permission[], expiresAt?: string): Promise<{ created: ApiKeySecretResponse; principal: Principal }> {
    const created = await identity.send<ApiKeySecretResponse>(IDENTITY_RPC.createApiKey, { principal: owner, name: `key ${scopes.length}`, scopes, ...(expiresAt ? { expiresAt } : {}) });
    const { principal } = await identity.send<AuthenticateApiKeyResponse>(IDENTITY_RPC.authenticateApiKey, { key: created.key });
    return { created, principal };
  }

  async function userWithRole(role: 'viewer' | 'admin'): Promise<string> {
    const email = `${role}-${Date.now()}-${Math.random().toString(36).slice(2, 6)}@example.test`;
    await identity.send(IDENTITY_RPC.inviteUser, { principal: owner, email, role });
    const session = await identity.send<LoginResponse>(IDENTITY_RPC.acceptInvitation, {
      token: await identity.tokenMailedTo(email),
      name: `A ${role}`,
      password: `${role} password 12345`,
      caller: CALLER,
    });
    return session.userId;
  }

  it('invites only to a role whose permissions lie within its scopes, and names what is missing', async () => {
    const narrow = await keyWith(['users:read', 'users:write']);
    const escalation = await identity.failure(IDENTITY_RPC.inviteUser, { principal: narrow.principal, email: `boss-${Date.now()}@example.test`, role: 'admin' });
    expect(escalation).toMatchObject({ code: 'FORBIDDEN', errors: [{ field: 'role', message: expect.stringContaining('api-keys:write') }] });
    expect(await identity.sql('SELECT 1 FROM identity.invitations WHERE role = $1 AND tenant_id = $2', ['admin', owner.tenantId])).toEqual([]);

    // Every read permission plus users:write: a viewer is within it, an operator is not.
    const readers = await keyWith([...READ, 'users:write']);
    await expect(identity.send<InvitationView>(IDENTITY_RPC.inviteUser, { principal: readers.principal, email: `reader-${Date.now()}@example.test`, role: 'viewer' })).resolves.toMatchObject({
      role: 'viewer',
    });
    expect(await identity.failure(IDENTITY_RPC.inviteUser, { principal: readers.principal, email: `op-${Date.now()}@example.test`, role: 'operator' })).toMatchObject({
      code: 'FORBIDDEN',
      errors: [{ field: 'role', message: expect.stringContaining('spaces:write') }],
    });
  });

  it('promotes only to a role within its scopes, and manages no user whose role lies beyond them', async () => {
    const viewerId = await userWithRole('viewer');
    const readers = await keyWith([...READ, 'users:write']);

    expect(await identity.failure(IDENTITY_RPC.changeRole, { principal: readers.principal, userId: viewerId, role: 'admin' })).toMatchObject({
      code: 'FORBIDDEN',
      errors: [{ field: 'role', message: expect.stringContaining('api-keys:write') }],
    });
    const [still] = await identity.sql<{ role: string }>('SELECT role FROM identity.users WHERE id = $1', [viewerId]);
    expect(still.role).toBe('viewer');

    // An admin holds more than the key: the key may not demote (or otherwise manage) it either.
    const adminId = await userWithRole('admin');
    expect(await identity.failure(IDENTITY_RPC.changeRole, { principal: readers.principal, userId: adminId, role: 'viewer' })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await identity.failure(IDENTITY_RPC.removeUser, { principal: readers.principal, userId: adminId })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await identity.sql('SELECT 1 FROM identity.users WHERE id = $1', [adminId])).toHaveLength(1);

    // A key holding everything an admin holds may promote to admin.
    const broad = await keyWith(ROLE_PERMISSIONS.admin);
    await expect(identity.send(IDENTITY_RPC.changeRole, { principal: broad.principal, userId: viewerId, role: 'admin' })).resolves.toMatchObject({ role: 'admin' });
  });

  it('gives a key created by a key at most its creator’s expiry', async () => {
    const inADay = new Date(Date.now() + 86_400_000);
    const creator = await keyWith(['api-keys:write', 'spaces:read'], inADay.toISOString());

    // No expiry asked: the creator's.
    const inherited = await identity.send<ApiKeySecretResponse>(IDENTITY_RPC.createApiKey, { principal: creator.principal, name: 'child', scopes: ['spaces:read'] });
    expect(inherited.apiKey.expiresAt).toBe(inADay.toISOString());

    // Later than the creator's: refused, naming the field.
    const later = new Date(inADay.getTime() + 86_400_000).toISOString();
    expect(await identity.failure(IDENTITY_RPC.createApiKey, { principal: creator.principal, name: 'outlives', scopes: ['spaces:read'], expiresAt: later })).toMatchObject({
      code: 'FORBIDDEN',
      errors: [{ field: 'expiresAt', message: expect.stringContaining(inADay.toISOString()) }],
    });

    // Earlier is fine; scopes beyond the creator's are refused as before.
    const sooner = new Date(Date.now() + 3_600_000).toISOString();
    await expect(identity.send<ApiKeySecretResponse>(IDENTITY_RPC.createApiKey, { principal: creator.principal, name: 'sooner', scopes: ['spaces:read'], expiresAt: sooner })).resolves.toMatchObject({
      apiKey: { expiresAt: new Date(sooner).toISOString() },
    });
    expect(await identity.failure(IDENTITY_RPC.createApiKey, { principal: creator.principal, name: 'wider', scopes: ['devices:read'] })).toMatchObject({
      code: 'FORBIDDEN',
      errors: [{ field: 'scopes', message: expect.stringContaining('devices:read') }],
    });

    // Rotating a key that never expires would hand out a key outliving the rotating one.
    const forever = await keyWith(['spaces:read']);
    expect(await identity.failure(IDENTITY_RPC.rotateApiKey, { principal: creator.principal, apiKeyId: forever.created.apiKey.id })).toMatchObject({ code: 'FORBIDDEN' });
    await expect(identity.send(IDENTITY_RPC.authenticateApiKey, { key: forever.created.key })).resolves.toMatchObject({ principal: { apiKeyId: forever.created.apiKey.id } });
  });

  it('reads the acting key from the database: a revoked key’s principal can do nothing more, whatever its proof says', async () => {
    const creator = await keyWith(['api-keys:write', 'api-keys:read', 'spaces:read']);
    await identity.send(IDENTITY_RPC.revokeApiKey, { principal: owner, apiKeyId: creator.created.apiKey.id });
    expect(await identity.failure(IDENTITY_RPC.createApiKey, { principal: creator.principal, name: 'after revocation', scopes: ['spaces:read'] })).toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect(await identity.failure(IDENTITY_RPC.listApiKeys, { principal: creator.principal })).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
