/**
 * The whole sign-in story through the compiled gateway and identity processes (real
 * PostgreSQL, NATS): register, log in (JSON and form), me, refresh, reuse of a used refresh
 * token revokes the family, log out.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, expectEventually, launchPlatform, uniqueNamespace, type PlatformStack, type TestDatabase } from '@parking/testing';

interface Session {
  accessToken: string;
  refreshToken: string;
  tokenType: string;
  userId: string;
  tenantId: string;
}

describe('auth flow through the gateway and identity', () => {
  let database: TestDatabase;
  let stack: PlatformStack;
  let scratch: string;
  let baseUrl: string;

  async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${baseUrl}${url}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    scratch = mkdtempSync(path.join(os.tmpdir(), 'gateway-auth-flow-'));
    stack = await launchPlatform(database, {
      namespace: uniqueNamespace(),
      services: ['identity', 'gateway'],
      env: { SECRETS_KEY: randomBytes(32).toString('base64'), SPOOL_DIR: path.join(scratch, 'spool'), MAIL_DIR: path.join(scratch, 'mail') },
    });
    baseUrl = stack.services.gateway.baseUrl;
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    await database?.drop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('registers, logs in, reads me, refreshes, revokes the family on reuse, and logs out', async () => {
    const credentials = { email: 'ada@example.com', password: 'correct horse battery staple' };
    const registered = await post('/api/v1/auth/register', { ...credentials, name: 'Ada Lovelace', tenantName: 'Harbour Car Parks', tenantSlug: 'harbour-car-parks' });
    expect(registered.status).toBe(201);
    expect(registered.body).toMatchObject({ tokenType: 'Bearer', accessToken: expect.any(String), refreshToken: expect.any(String) });

    const form = await fetch(`${baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: credentials.email, password: credentials.password, grant_type: 'password' }),
    });
    expect(form.status).toBe(200);
    const login = await post('/api/v1/auth/login', credentials);
    expect(login.status).toBe(200);
    const session = login.body as unknown as Session;

    const me = await fetch(`${baseUrl}/api/v1/auth/me`, { headers: { authorization: `Bearer ${session.accessToken}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({
      user: { email: credentials.email, isPlatformAdmin: false },
      tenant: { slug: 'harbour-car-parks', status: 'active' },
      role: 'owner',
    });

    const refreshed = await post('/api/v1/auth/refresh', { refreshToken: session.refreshToken });
    expect(refreshed.status).toBe(200);
    const next = refreshed.body as unknown as Session;
    expect(next.refreshToken).not.toBe(session.refreshToken);

    const reused = await post('/api/auth/refresh', { refreshToken: session.refreshToken });
    expect(reused.status).toBe(401);
    expect(reused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    // Reuse revoked the whole family, the token handed out by the refresh included.
    expect((await post('/api/v1/auth/refresh', { refreshToken: next.refreshToken })).status).toBe(401);

    const other = (await post('/api/v1/auth/login', credentials)).body as unknown as Session;
    expect((await post('/api/v1/auth/logout', { refreshToken: other.refreshToken })).body).toEqual({ ok: true });
    expect((await post('/api/v1/auth/refresh', { refreshToken: other.refreshToken })).status).toBe(401);
  });

  it("limits a tenant to its plan's apiRequestsPerMinute, learnt from identity's limits_changed event", async () => {
    const credentials = { email: 'grace@example.com', password: 'correct horse battery staple' };
    const session = (await post('/api/v1/auth/register', { ...credentials, name: 'Grace', tenantName: 'Dockside', tenantSlug: 'dockside' })).body as unknown as Session;
    const me = () => fetch(`${baseUrl}/api/v1/auth/me`, { headers: { authorization: `Bearer ${session.accessToken}` } });
    // The free plan allows 60 per minute; the per-user default (600) is far above it.
    const refused = await expectEventually(
      async () => {
        const response = await me();
        expect(response.status).toBe(429);
        return response;
      },
      { timeoutMs: 20_000, intervalMs: 0 },
    );
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ code: 'RATE_LIMITED', limit: 60, detail: expect.stringContaining("tenant's plan") });
  });

  it('serves the JWKS identity signs with', async () => {
    const response = await fetch(`${baseUrl}/.well-known/jwks.json`);
    expect(response.status).toBe(200);
    const { keys } = (await response.json()) as { keys: Array<Record<string, unknown>> };
    expect(keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', kid: expect.any(String) });
    expect(keys[0]).not.toHaveProperty('d');
  });
});
