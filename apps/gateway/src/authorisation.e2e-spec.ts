/**
 * Who may do what, through the compiled gateway and identity processes (real PostgreSQL,
 * NATS): roles and API key scopes, revoked and expired keys, mass assignment, and the mailed
 * flows (invitation, password reset) end to end through the gateway routes.
 */
import { expectEventually } from '@parking/testing';
import { startApiStack, uniquePassword, type ApiAnswer, type ApiStack, type SignedIn } from '../test/api-stack';

function expectProblem(answer: ApiAnswer, status: number, code: string): void {
  expect({ status: answer.status, code: answer.body?.code, contentType: answer.headers.get('content-type') }).toEqual({
    status,
    code,
    contentType: expect.stringMatching(/^application\/problem\+json/),
  });
}

function expectInvalidFields(answer: ApiAnswer, fields: string[]): void {
  expectProblem(answer, 400, 'VALIDATION_FAILED');
  expect((answer.body.errors as Array<{ field: string }>).map((error) => error.field).sort()).toEqual([...fields].sort());
}

describe('authorisation through the gateway and identity', () => {
  let api: ApiStack;
  let owner: SignedIn;
  let viewer: SignedIn;

  beforeAll(async () => {
    // API_KEY_CACHE_TTL_MS=0: the gateway asks identity on every request, so revocation is immediate.
    api = await startApiStack({ prefix: 'gateway-authorisation', env: { API_KEY_CACHE_TTL_MS: '0' } });
    owner = await api.register('owner');
    await api.upgrade(owner.tenantId);
    viewer = await api.inviteAndAccept(owner, 'viewer');
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
  });

  it('lets a viewer read but not write, naming the missing permission', async () => {
    const as = { accessToken: viewer.accessToken };
    const me = await api.call('GET', '/api/v1/auth/me', as);
    expect(me.body).toMatchObject({ role: 'viewer', tenant: { id: owner.tenantId }, user: { email: viewer.email } });

    const key = await api.call('POST', '/api/v1/api-keys', { ...as, body: { name: 'viewer key', scopes: ['spaces:read'] } });
    expectProblem(key, 403, 'FORBIDDEN');
    expect(key.body).toMatchObject({ detail: expect.stringContaining('api-keys:write'), missingPermission: 'api-keys:write' });

    const integration = await api.call('POST', '/api/v1/webhook-integrations', { ...as, body: { name: 'viewer integration' } });
    expectProblem(integration, 403, 'FORBIDDEN');
    expect(integration.body).toMatchObject({ detail: expect.stringContaining('integrations:write'), missingPermission: 'integrations:write' });

    const invite = await api.call('POST', '/api/v1/invitations', { ...as, body: { email: 'friend@example.com', role: 'viewer' } });
    expectProblem(invite, 403, 'FORBIDDEN');
    expect(invite.body.detail).toContain('users:write');

    // Nothing was created by the refused writes, and reading is allowed.
    const keys = await api.call('GET', '/api/v1/api-keys', as);
    expect(keys.status).toBe(200);
    expect(keys.body.items.map((k: { name: string }) => k.name)).not.toContain('viewer key');
    const integrations = await api.call('GET', '/api/v1/webhook-integrations', as);
    expect(integrations.status).toBe(200);
    expect(integrations.body.items).toEqual([]);
    const users = await api.call('GET', '/api/v1/users', as);
    expect(users.status).toBe(200);
    expect(users.body.items.map((u: { email: string }) => u.email).sort()).toEqual([owner.email, viewer.email].sort());
    expect(api.mails().filter((mail) => mail.to === 'friend@example.com')).toEqual([]);
  });

  it('refuses an API key a route outside its scopes, naming the scope, and honours the ones it has', async () => {
    const created = await api.call('POST', '/api/v1/api-keys', { accessToken: owner.accessToken, body: { name: 'read keys only', scopes: ['api-keys:read'] } });
    expect(created.status).toBe(201);
    const key = created.body.key as string;

    const allowed = await api.call('GET', '/api/v1/api-keys', { apiKey: key });
    expect(allowed.status).toBe(200);
    expect(allowed.body.items.map((k: { id: string }) => k.id)).toContain(created.body.apiKey.id);

    const refused = await api.call('GET', '/api/v1/webhook-integrations', { apiKey: key });
    expectProblem(refused, 403, 'FORBIDDEN');
    expect(refused.body).toMatchObject({ detail: expect.stringContaining('scope integrations:read'), missingPermission: 'integrations:read' });
    // As a bearer token too.
    expectProblem(await api.call('POST', '/api/v1/api-keys', { accessToken: key, body: { name: 'child', scopes: ['api-keys:read'] } }), 403, 'FORBIDDEN');
  });

  it('refuses a revoked key at once and an expired key once it expires (401)', async () => {
    const created = await api.call('POST', '/api/v1/api-keys', { accessToken: owner.accessToken, body: { name: 'to revoke', scopes: ['api-keys:read'] } });
    const key = created.body.key as string;
    expect((await api.call('GET', '/api/v1/api-keys', { apiKey: key })).status).toBe(200);
    expect((await api.call('DELETE', `/api/v1/api-keys/${created.body.apiKey.id}`, { accessToken: owner.accessToken })).body).toMatchObject({ revokedAt: expect.any(String) });
    const revoked = await api.call('GET', '/api/v1/api-keys', { apiKey: key });
    expectProblem(revoked, 401, 'UNAUTHENTICATED');
    expect(revoked.headers.get('www-authenticate')).toContain('invalid_token');

    const expiresAt = new Date(Date.now() + 1_500).toISOString();
    const shortLived = await api.call('POST', '/api/v1/api-keys', { accessToken: owner.accessToken, body: { name: 'short lived', scopes: ['api-keys:read'], expiresAt } });
    expect(shortLived.status).toBe(201);
    expect((await api.call('GET', '/api/v1/api-keys', { apiKey: shortLived.body.key })).status).toBe(200);
    const expired = await expectEventually(
      async () => {
        const answer = await api.call('GET', '/api/v1/api-keys', { apiKey: shortLived.body.key });
        expect(answer.status).toBe(401);
        return answer;
      },
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    expectProblem(expired, 401, 'UNAUTHENTICATED');
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(expiresAt));
  });

  it('refuses fields a client may not set (400 naming them) and creates nothing', async () => {
    const foreignTenant = api.admin.tenantId;
    const fresh = () => {
      const suffix = Math.random().toString(36).slice(2, 10);
      return { email: `mass-${suffix}@example.com`, password: uniquePassword(), name: 'Mallory', tenantName: 'Mallory Parking', tenantSlug: `mallory-${suffix}` };
    };
    for (const [extra, field] of [
      [{ tenantId: foreignTenant }, 'tenantId'],
      [{ role: 'owner' }, 'role'],
      [{ isPlatformAdmin: true }, 'isPlatformAdmin'],
    ] as const) {
      for (const route of ['/api/v1/auth/register', '/api/auth/register']) {
        const body = fresh();
        expectInvalidFields(await api.call('POST', route, { body: { ...body, ...extra } }), [field]);
        // No user was created: the login fails, and the same registration without the field works.
        expectProblem(await api.call('POST', '/api/v1/auth/login', { body: { email: body.email, password: body.password } }), 401, 'INVALID_CREDENTIALS');
        const clean = await api.call('POST', route, { body });
        expect(clean.status).toBe(201);
        const me = await api.call('GET', '/api/v1/auth/me', { accessToken: clean.body.accessToken });
        expect(me.body).toMatchObject({ role: 'owner', user: { isPlatformAdmin: false } });
        expect(me.body.tenant.id).not.toBe(foreignTenant);
      }
    }

    for (const [extra, field] of [
      [{ tenantId: foreignTenant }, 'tenantId'],
      [{ isPlatformAdmin: true }, 'isPlatformAdmin'],
      [{ principal: { kind: 'user', tenantId: foreignTenant } }, 'principal'],
    ] as const) {
      const email = `mass-invite-${field.toLowerCase()}@example.com`;
      expectInvalidFields(await api.call('POST', '/api/v1/invitations', { accessToken: owner.accessToken, body: { email, role: 'viewer', ...extra } }), [field]);
      expect(api.mails().filter((mail) => mail.to === email)).toEqual([]);
      expect(await api.sql('SELECT id FROM identity.invitations WHERE email = $1', [email])).toEqual([]);

      const name = `mass key ${field}`;
      expectInvalidFields(await api.call('POST', '/api/v1/api-keys', { accessToken: owner.accessToken, body: { name, scopes: ['spaces:read'], ...extra } }), [field]);
    }
    expectInvalidFields(await api.call('POST', '/api/v1/api-keys', { accessToken: owner.accessToken, body: { name: 'mass key role', scopes: ['spaces:read'], role: 'owner' } }), ['role']);
    const keys = await api.call('GET', '/api/v1/api-keys?limit=200', { accessToken: owner.accessToken });
    expect(keys.body.items.filter((k: { name: string }) => k.name.startsWith('mass key'))).toEqual([]);
    expect(await api.sql('SELECT id FROM identity.api_keys WHERE name LIKE $1', ['mass key%'])).toEqual([]);

    // An invitation says the role; accepting it cannot choose another one.
    const email = `mass-accept-${Math.random().toString(36).slice(2, 10)}@example.com`;
    expect((await api.call('POST', '/api/v1/invitations', { accessToken: owner.accessToken, body: { email, role: 'viewer' } })).status).toBe(201);
    const token = await api.tokenMailedTo(email, /invited/);
    const password = uniquePassword();
    for (const [extra, field] of [
      [{ role: 'owner' }, 'role'],
      [{ isPlatformAdmin: true }, 'isPlatformAdmin'],
      [{ tenantId: foreignTenant }, 'tenantId'],
    ] as const) {
      expectInvalidFields(await api.call('POST', '/api/v1/invitations/accept', { body: { token, name: 'Mallory', password, ...extra } }), [field]);
    }
    const accepted = await api.call('POST', '/api/v1/invitations/accept', { body: { token, name: 'Mallory', password } });
    expect(accepted.status).toBe(201);
    expect((await api.call('GET', '/api/v1/auth/me', { accessToken: accepted.body.accessToken })).body).toMatchObject({
      role: 'viewer',
      tenant: { id: owner.tenantId },
      user: { isPlatformAdmin: false },
    });
  });

  it('invites by mail: the owner invites, the invitee accepts the mailed token once and signs in', async () => {
    const email = `operator-${Math.random().toString(36).slice(2, 10)}@example.com`;
    const invited = await api.call('POST', '/api/v1/invitations', { accessToken: owner.accessToken, body: { email, role: 'operator' } });
    expect(invited.status).toBe(201);
    expect(invited.body).toMatchObject({ email, role: 'operator', id: expect.any(String) });
    expect(invited.body).not.toHaveProperty('token');
    const token = await api.tokenMailedTo(email, /invited/);
    expect(token).toMatch(/^inv_/);

    const password = uniquePassword();
    const accepted = await api.call('POST', '/api/v1/invitations/accept', { body: { token, name: 'Olive Operator', password } });
    expect(accepted.status).toBe(201);
    expect(accepted.body).toMatchObject({ tenantId: owner.tenantId, tokenType: 'Bearer' });
    expectProblem(await api.call('POST', '/api/v1/invitations/accept', { body: { token, name: 'Olive Again', password: uniquePassword() } }), 401, 'INVALID_TOKEN');

    const session = await api.login(email, password);
    const me = await api.call('GET', '/api/v1/auth/me', { accessToken: session.accessToken });
    expect(me.body).toMatchObject({ role: 'operator', user: { email, name: 'Olive Operator' }, tenant: { id: owner.tenantId } });
    expect(me.body.permissions).toContain('spaces:write');
    expect(me.body.permissions).not.toContain('users:write');
  });

  it('resets a password by mail: single-use token, new password works, old one and old sessions do not, unknown emails answer alike', async () => {
    const member = await api.inviteAndAccept(owner, 'operator', 'forgetful');
    const unknown = `nobody-${Math.random().toString(36).slice(2, 10)}@example.com`;

    const forUnknown = await api.call('POST', '/api/v1/auth/password-reset', { body: { email: unknown } });
    const forKnown = await api.call('POST', '/api/v1/auth/password-reset', { body: { email: member.email } });
    expect(forKnown.status).toBe(202);
    expect({ status: forUnknown.status, body: forUnknown.body }).toEqual({ status: forKnown.status, body: forKnown.body });
    expect(forKnown.body).toEqual({ accepted: true });

    const token = await api.tokenMailedTo(member.email, /reset/i);
    expect(api.mails().filter((mail) => mail.to === unknown)).toEqual([]);

    const newPassword = uniquePassword();
    const confirmed = await api.call('POST', '/api/v1/auth/password-reset/confirm', { body: { token, newPassword } });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toEqual({ ok: true });

    await api.login(member.email, newPassword);
    expectProblem(await api.call('POST', '/api/v1/auth/login', { body: { email: member.email, password: member.password } }), 401, 'INVALID_CREDENTIALS');
    // The reset ended the sessions that existed before it.
    expectProblem(await api.call('POST', '/api/v1/auth/refresh', { body: { refreshToken: member.refreshToken } }), 401, 'INVALID_TOKEN');
    // Single use: the token cannot set a password twice.
    const again = await api.call('POST', '/api/v1/auth/password-reset/confirm', { body: { token, newPassword: uniquePassword() } });
    expectProblem(again, 401, 'INVALID_TOKEN');
    await api.login(member.email, newPassword);
  });
});
