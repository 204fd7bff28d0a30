/**
 * The compiled gateway as a process (`npm run build` first) in front of a fake identity on a
 * real NATS: its OpenAPI document, input validation, security headers, CORS, and how it
 * answers while identity or NATS are away.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchService, removeNamespaceStreams, uniqueNamespace, type RunningService } from '@parking/testing';
import { OTHER_TENANTS_KEY_ID, startFakeIdentity, type FakeIdentity } from '../test/fake-identity';
import { validateOpenApi } from '../test/validate-openapi';

const ADMIN_KEY = 'pk_live_admin000_s3cretadmin000s3cretadmin000s3cretadmin000s';
const ALLOWED_ORIGIN = 'https://app.example.com';

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

describe('gateway edge (process, fake identity on NATS)', () => {
  let gateway: RunningService;
  let identity: FakeIdentity;
  let spool: string;

  async function call(method: string, url: string, options: { headers?: Record<string, string>; body?: unknown } = {}): Promise<Answer> {
    const response = await fetch(`${gateway.baseUrl}${url}`, {
      method,
      headers: { ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  function expectValidationProblem(answer: Answer, field: string): void {
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(answer.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: expect.arrayContaining([expect.objectContaining({ field })]) });
    expect(answer.body.detail).toContain(field);
  }

  // The gateway creates the WEBHOOKS stream of its namespace when it connects.
  const namespace = uniqueNamespace();

  beforeAll(async () => {
    spool = mkdtempSync(path.join(os.tmpdir(), 'gateway-spool-'));
    identity = await startFakeIdentity({
      namespace,
      apiKeys: { [ADMIN_KEY]: ['users:read', 'users:write', 'api-keys:read', 'api-keys:write'] },
    });
    gateway = await launchService('gateway', { env: { NATS_NAMESPACE: namespace, SPOOL_DIR: spool, CORS_ORIGINS: ALLOWED_ORIGIN } });
  }, 90_000);

  afterAll(async () => {
    await gateway?.stop();
    await identity?.close();
    await removeNamespaceStreams(namespace);
    rmSync(spool, { recursive: true, force: true });
  });

  describe('OpenAPI', () => {
    it('serves a valid OpenAPI 3.1 document at /docs/openapi.json', async () => {
      const document = (await call('GET', '/docs/openapi.json')).body;
      expect(document.openapi).toBe('3.1.0');
      expect(await validateOpenApi(document)).toEqual({ valid: true, openapi: '3.1.0' });
    });

    it('declares both security schemes and describes every route with examples and problem+json errors', async () => {
      const document = (await call('GET', '/docs/openapi.json')).body as {
        paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, { content?: Record<string, { example?: unknown; examples?: unknown }> }> }>>;
        components: { securitySchemes: Record<string, unknown>; schemas: Record<string, unknown> };
      };
      expect(Object.keys(document.components.securitySchemes).sort()).toEqual(['access-token', 'api-key']);
      expect(document.components.schemas.Problem).toBeDefined();
      for (const route of ['/api/v1/auth/login', '/api/v1/users', '/api/v1/api-keys/{id}', '/api/v1/admin/tenants/{id}/limits', '/.well-known/jwks.json']) {
        expect(document.paths[route]).toBeDefined();
      }
      for (const [route, operations] of Object.entries(document.paths)) {
        for (const [method, operation] of Object.entries(operations)) {
          const problems = Object.entries(operation.responses).filter(([status]) => Number(status) >= 400);
          expect({ route, method, problems: problems.length > 0 }).toEqual({ route, method, problems: true });
          for (const [, response] of problems) {
            const problem = response.content?.['application/problem+json'];
            expect({ route, method, example: Boolean(problem?.example ?? problem?.examples) }).toEqual({ route, method, example: true });
          }
        }
      }
      expect(document.paths['/api/v1/users'].get.security).toEqual([{ 'access-token': [] }, { 'api-key': [] }]);
    });

    it('serves the Swagger UI at /docs with its assets', async () => {
      const page = await fetch(`${gateway.baseUrl}/docs`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('swagger-ui-bundle.js');
      expect((await fetch(`${gateway.baseUrl}/docs/assets/swagger-ui-bundle.js`)).status).toBe(200);
    });
  });

  describe('input validation', () => {
    it('refuses an unknown query parameter with 400 naming it', async () => {
      expectValidationProblem(await call('GET', '/api/v1/users?limit=10&sort=name', { headers: { 'x-api-key': ADMIN_KEY } }), 'sort');
      expectValidationProblem(await call('GET', '/.well-known/jwks.json?debug=1'), 'debug');
    });

    it('refuses a page larger than 200', async () => {
      expectValidationProblem(await call('GET', '/api/v1/users?limit=201', { headers: { 'x-api-key': ADMIN_KEY } }), 'limit');
    });

    it('forwards a valid page request with the principal to identity', async () => {
      const answer = await call('GET', '/api/v1/users?limit=20&cursor=abc', { headers: { 'x-api-key': ADMIN_KEY } });
      expect(answer).toMatchObject({ status: 200, body: { items: [], nextCursor: null } });
      expect(identity.received.get('rpc.identity.v1.users.list')?.at(-1)).toMatchObject({
        limit: 20,
        cursor: 'abc',
        principal: { kind: 'api-key', tenantId: expect.any(String) },
      });
    });

    it('refuses an unknown body field with 400 naming it', async () => {
      expectValidationProblem(await call('POST', '/api/v1/auth/login', { body: { email: 'ada@example.com', password: 'x', rememberMe: true } }), 'rememberMe');
    });

    it.each(['tenantId', 'role', 'isPlatformAdmin'])('refuses mass assignment of %s with 400 naming it', async (field) => {
      const body = { email: 'ada@example.com', password: 'correct horse battery', name: 'Ada', tenantName: 'Harbour', tenantSlug: 'harbour', [field]: field === 'role' ? 'owner' : true };
      expectValidationProblem(await call('POST', '/api/v1/auth/register', { body }), field);
      expectValidationProblem(await call('POST', '/api/v1/api-keys', { headers: { 'x-api-key': ADMIN_KEY }, body: { name: 'k', scopes: ['users:read'], [field]: 'x' } }), field);
    });

    it('refuses an :id that is not a UUID with 400', async () => {
      expectValidationProblem(await call('DELETE', '/api/v1/api-keys/not-a-uuid', { headers: { 'x-api-key': ADMIN_KEY } }), 'id');
    });

    it("answers another tenant's id with the 404 identity gives under row-level security", async () => {
      const answer = await call('DELETE', `/api/v1/api-keys/${OTHER_TENANTS_KEY_ID}`, { headers: { 'x-api-key': ADMIN_KEY } });
      expect(answer).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    });

    it('accepts the old register body on /api/auth/register and refuses it on /api/v1', async () => {
      const old = { email: 'ada@example.com', password: 'correct horse battery', username: 'Ada', tenant_name: 'Harbour', tenant_slug: 'harbour' };
      // Valid input reaches identity; the fake does not serve register, so NATS has no responder.
      expect((await call('POST', '/api/auth/register', { body: old })).status).toBe(503);
      expectValidationProblem(await call('POST', '/api/v1/auth/register', { body: old }), 'username');
    });
  });

  describe('authentication with a real token', () => {
    it('accepts an access token verified against the JWKS fetched from identity', async () => {
      const token = await identity.accessToken('owner');
      expect((await call('GET', '/api/v1/users', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    });

    it('forbids a viewer to invite, naming users:write', async () => {
      const token = await identity.accessToken('viewer');
      const answer = await call('POST', '/api/v1/invitations', { headers: { authorization: `Bearer ${token}` }, body: { email: 'x@example.com', role: 'viewer' } });
      expect(answer).toMatchObject({ status: 403, body: { code: 'FORBIDDEN', missingPermission: 'users:write' } });
    });

    it('keeps admin routes for platform admins', async () => {
      const answer = await call('GET', '/api/v1/admin/tenants?reason=billing%20review', { headers: { authorization: `Bearer ${await identity.accessToken('owner')}` } });
      expect(answer).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    });

    it('answers 401 with WWW-Authenticate to an unknown API key', async () => {
      const answer = await call('GET', '/api/v1/users', { headers: { authorization: 'Bearer pk_live_unknown0_s3cretunknowns3cretunknowns3cretunknowns3cr' } });
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer realm="parking-api", error="invalid_token"/);
    });
  });

  describe('HTTP hardening', () => {
    it('sends helmet security headers and the request id', async () => {
      const response = await fetch(`${gateway.baseUrl}/health/live`, { headers: { 'x-request-id': 'edge-1' } });
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(response.headers.get('strict-transport-security')).toMatch(/max-age=/);
      expect(response.headers.get('x-request-id')).toBe('edge-1');
    });

    it('answers a CORS preflight from an allowed origin, and not from another', async () => {
      const preflight = (origin: string) =>
        fetch(`${gateway.baseUrl}/api/v1/users`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-api-key' } });
      const allowed = await preflight(ALLOWED_ORIGIN);
      expect(allowed.status).toBe(204);
      expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
      expect(allowed.headers.get('access-control-allow-headers')).toContain('x-api-key');
      // A browser may send a booking's Idempotency-Key, and read whether the answer was replayed.
      expect(allowed.headers.get('access-control-allow-headers')).toContain('idempotency-key');
      const answered = await fetch(`${gateway.baseUrl}/health/live`, { headers: { origin: ALLOWED_ORIGIN } });
      expect(answered.headers.get('access-control-expose-headers')).toContain('idempotent-replayed');
      const refused = await preflight('https://evil.example');
      expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('refuses a body over the limit with 413 problem+json', async () => {
      const answer = await call('POST', '/api/v1/auth/login', { body: { email: 'ada@example.com', password: 'x'.repeat(300 * 1024) } });
      expect(answer).toMatchObject({ status: 413, body: { code: 'PAYLOAD_TOO_LARGE' } });
    });
  });
});

describe('gateway without identity', () => {
  it('is ready and answers auth routes with 503 problem+json while identity is down', async () => {
    const spool = mkdtempSync(path.join(os.tmpdir(), 'gateway-spool-'));
    const namespace = uniqueNamespace();
    const gateway = await launchService('gateway', { env: { NATS_NAMESPACE: namespace, SPOOL_DIR: spool } });
    try {
      expect((await fetch(`${gateway.baseUrl}/health/ready`)).status).toBe(200);
      const response = await fetch(`${gateway.baseUrl}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'username=ada%40example.com&password=secret',
      });
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await response.json()).toMatchObject({ code: 'UNAVAILABLE', detail: expect.stringContaining('rpc.identity.v1.auth.login') });
    } finally {
      await gateway.stop();
      await removeNamespaceStreams(namespace);
      rmSync(spool, { recursive: true, force: true });
    }
  });

  it('is ready on its spool and answers a 5xx problem+json while NATS itself is down', async () => {
    const spool = mkdtempSync(path.join(os.tmpdir(), 'gateway-spool-'));
    const gateway = await launchService('gateway', { env: { NATS_URL: 'nats://127.0.0.1:1', SPOOL_DIR: spool, RPC_TIMEOUT_MS: '500' } });
    try {
      expect((await fetch(`${gateway.baseUrl}/health/ready`)).status).toBe(200);
      const response = await fetch(`${gateway.baseUrl}/api/v1/auth/me`, { headers: { authorization: 'Bearer pk_live_some0000_s3cretsomes3cretsomes3cretsomes3cretsomes3c' } });
      expect([503, 504]).toContain(response.status);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    } finally {
      await gateway.stop();
      rmSync(spool, { recursive: true, force: true });
    }
  });
});
