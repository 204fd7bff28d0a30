/**
 * The device registry through the compiled gateway, identity and ingest processes (real
 * PostgreSQL with RLS, NATS): the REST routes under /api/v1 and their /api/v6 aliases,
 * authorisation, conflicts, imports and the device limit set by a platform admin.
 */
import { randomBytes } from 'node:crypto';
import { DEVICE_IMPORTS_PER_MINUTE } from '@parking/contracts';
import { expectEventually } from '@parking/testing';
import { startApiStack, type ApiAnswer, type ApiStack, type SignedIn } from '../../test/api-stack';
import { validateOpenApi } from '../../test/validate-openapi';

function newEui(): string {
  return randomBytes(8).toString('hex');
}

/** `70b3d54750100a1b` → `70-B3-D5-47-50-10-0A-1B`, as printed on a label. */
function labelled(devEui: string): string {
  return devEui.toUpperCase().match(/../g)?.join('-') ?? devEui;
}

function expectStatus(answer: ApiAnswer, status: number): ApiAnswer['body'] {
  if (answer.status !== status) throw new Error(`expected ${status}, got ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

function expectProblem(answer: ApiAnswer, status: number, code: string): ApiAnswer['body'] {
  expect({ status: answer.status, code: answer.body?.code, type: answer.headers.get('content-type') }).toEqual({
    status,
    code,
    type: expect.stringMatching(/^application\/problem\+json/),
  });
  return answer.body;
}

describe('device registry through the gateway', () => {
  let api: ApiStack;
  let owner: SignedIn;
  let viewer: SignedIn;

  const sensor = (overrides: Record<string, unknown> = {}) => ({ devEui: newEui(), kind: 'sensor', codec: 'nwave-nps405', name: 'Bay 1', ...overrides });
  const raw = async (method: string, url: string, accessToken: string, contentType: string, body: string): Promise<ApiAnswer> => {
    const response = await fetch(`${api.baseUrl}${url}`, { method, headers: { authorization: `Bearer ${accessToken}`, 'content-type': contentType }, body });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  };

  beforeAll(async () => {
    api = await startApiStack({ prefix: 'gateway-devices', services: ['identity', 'gateway', 'ingest'] });
    owner = await api.register('devices');
    viewer = await api.inviteAndAccept(owner, 'viewer');
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
  });

  it('registers, reads, lists, changes and removes a device through /api/v1 and the /api/v6 aliases', async () => {
    const auth = { accessToken: owner.accessToken };
    const devEui = newEui();
    const created = expectStatus(await api.call('POST', '/api/v1/devices', { ...auth, body: sensor({ devEui: labelled(devEui), tags: { level: '2' } }) }), 201);
    expect(created).toMatchObject({ devEui, kind: 'sensor', codec: 'nwave-nps405', version: 1, tags: { level: '2' }, health: { online: false, heartbeatSeconds: 86400, lastSeenAt: null } });

    expect(expectStatus(await api.call('GET', `/api/v1/devices/${labelled(devEui)}`, auth), 200)).toEqual(created);
    expect(expectStatus(await api.call('GET', `/api/v6/devices/${devEui.toUpperCase()}`, auth), 200)).toEqual(created);
    const listed = expectStatus(await api.call('GET', '/api/v1/devices?tag=level:2&limit=10', auth), 200);
    expect(listed.items.map((d: { devEui: string }) => d.devEui)).toEqual([devEui]);
    expect(expectStatus(await api.call('GET', '/api/v6/devices?status=offline', auth), 200).items.map((d: { devEui: string }) => d.devEui)).toContain(devEui);
    expect(expectStatus(await api.call('GET', '/api/v1/devices/offline', auth), 200).items.map((d: { devEui: string }) => d.devEui)).toContain(devEui);
    expect(expectStatus(await api.call('GET', '/api/v1/devices/low-battery?threshold=30', auth), 200).items).toEqual([]);

    const patched = expectStatus(await api.call('PATCH', `/api/v6/devices/${devEui}`, { ...auth, body: { name: 'Bay 1 (EV)', heartbeatSeconds: 600, version: 1 } }), 200);
    expect(patched).toMatchObject({ name: 'Bay 1 (EV)', heartbeatSeconds: 600, version: 2, health: { heartbeatSeconds: 600 } });
    expectProblem(await api.call('PATCH', `/api/v1/devices/${devEui}`, { ...auth, body: { name: 'stale', version: 1 } }), 409, 'CONFLICT');

    expect(expectStatus(await api.call('DELETE', `/api/v1/devices/${devEui}`, auth), 200)).toMatchObject({ devEui, version: 2 });
    expectProblem(await api.call('GET', `/api/v1/devices/${devEui}`, auth), 404, 'NOT_FOUND');
    expectProblem(await api.call('DELETE', `/api/v6/devices/${devEui}`, auth), 404, 'NOT_FOUND');

    const v6 = expectStatus(await api.call('POST', '/api/v6/devices', { ...auth, body: sensor() }), 201);
    expect(expectStatus(await api.call('DELETE', `/api/v6/devices/${v6.devEui}`, auth), 200).id).toBe(v6.id);
  });

  it('answers 401 without credentials and 403 to a viewer who writes', async () => {
    expectProblem(await api.call('GET', '/api/v1/devices'), 401, 'UNAUTHENTICATED');
    expectProblem(await api.call('POST', '/api/v6/devices', { body: sensor() }), 401, 'UNAUTHENTICATED');
    expectStatus(await api.call('GET', '/api/v1/devices', { accessToken: viewer.accessToken }), 200);
    const refused = expectProblem(await api.call('POST', '/api/v1/devices', { accessToken: viewer.accessToken, body: sensor() }), 403, 'FORBIDDEN');
    expect(refused.detail).toContain('devices:write');
    const created = expectStatus(await api.call('POST', '/api/v1/devices', { accessToken: owner.accessToken, body: sensor() }), 201);
    expectProblem(await api.call('PATCH', `/api/v1/devices/${created.devEui}`, { accessToken: viewer.accessToken, body: { name: 'x' } }), 403, 'FORBIDDEN');
    expectProblem(await api.call('DELETE', `/api/v6/devices/${created.devEui}`, { accessToken: viewer.accessToken }), 403, 'FORBIDDEN');
  });

  it('refuses a devEUI registered in any tenant with 409 DEVICE_EXISTS, and bad input with 400', async () => {
    const other = await api.register('devices-other');
    const devEui = newEui();
    expectStatus(await api.call('POST', '/api/v1/devices', { accessToken: owner.accessToken, body: sensor({ devEui }) }), 201);
    const own = expectProblem(await api.call('POST', '/api/v1/devices', { accessToken: owner.accessToken, body: sensor({ devEui: labelled(devEui) }) }), 409, 'DEVICE_EXISTS');
    const foreign = expectProblem(await api.call('POST', '/api/v1/devices', { accessToken: other.accessToken, body: sensor({ devEui }) }), 409, 'DEVICE_EXISTS');
    expect(foreign.detail).toBe(own.detail);
    expect(JSON.stringify(foreign)).not.toContain(owner.tenantId);

    const codec = expectProblem(await api.call('POST', '/api/v1/devices', { accessToken: owner.accessToken, body: sensor({ codec: 'nwave' }) }), 400, 'VALIDATION_FAILED');
    expect(codec.errors).toEqual([{ field: 'codec', message: expect.stringContaining('nwave-nps405, nwave-nps310, bosch-tps110, dingtek-do201, browan-tbdw100, kuando-busylight, count-display, chirpstack-object') }]);
    const shape = expectProblem(await api.call('POST', '/api/v1/devices', { accessToken: owner.accessToken, body: sensor({ devEui: '12345', colour: 'red' }) }), 400, 'VALIDATION_FAILED');
    expect(shape.errors.map((e: { field: string }) => e.field).sort()).toEqual(['colour', 'devEui']);
    expectProblem(await api.call('GET', '/api/v1/devices/not-a-eui', { accessToken: owner.accessToken }), 400, 'VALIDATION_FAILED');
  });

  it('imports CSV and JSON all or nothing, naming bad rows by line and index', async () => {
    const tenant = await api.register('devices-import');
    const [a, b] = [newEui(), newEui()];
    const bad = `devEui,kind,codec,name\n${labelled(a)},sensor,nwave-nps405,ok\n${b},sensor,unknown-codec,bad\n${a},sensor,nwave-nps405,twice\n`;
    const rejected = expectProblem(await raw('POST', '/api/v1/devices/import', tenant.accessToken, 'text/csv', bad), 422, 'IMPORT_REJECTED');
    expect(rejected.rows.map((r: { line: number; field: string }) => [r.line, r.field])).toEqual([
      [3, 'codec'],
      [4, 'devEui'],
    ]);
    expect(expectStatus(await api.call('GET', '/api/v1/devices', { accessToken: tenant.accessToken }), 200).items).toEqual([]);

    const good = `devEui,kind,codec,name,tags\n${labelled(a)},sensor,nwave-nps405,"Bay 1, north",level:1\n${b},display,chirpstack-object,Sign,\n`;
    expect(expectStatus(await raw('POST', '/api/v1/devices/import', tenant.accessToken, 'text/csv; charset=utf-8', good), 201)).toEqual({ imported: 2, devEuis: [a, b] });

    const json = expectProblem(
      await raw('POST', '/api/v1/devices/import', tenant.accessToken, 'application/json', JSON.stringify({ devices: [sensor(), sensor({ devEui: a })] })),
      422,
      'IMPORT_REJECTED',
    );
    expect(json.rows).toEqual([{ index: 1, devEui: a, field: 'devEui', message: 'is registered in this tenant already' }]);
    expect(expectStatus(await raw('POST', '/api/v1/devices/import', tenant.accessToken, 'application/json', JSON.stringify([sensor()])), 201).imported).toBe(1);
    expect(expectStatus(await api.call('GET', '/api/v1/devices', { accessToken: tenant.accessToken }), 200).items).toHaveLength(3);

    // Larger than the 256 KiB other routes take: the import route's own limit lets it through to ingest (whose free-plan limit then refuses it).
    const big = JSON.stringify(Array.from({ length: 1_500 }, (_, i) => sensor({ name: `${i} ${'x'.repeat(190)}` })));
    expect(big.length).toBeGreaterThan(300 * 1024);
    expectProblem(await raw('POST', '/api/v1/devices/import', tenant.accessToken, 'application/json', big), 403, 'LIMIT_EXCEEDED');
    expectProblem(await raw('POST', '/api/v1/devices/import', tenant.accessToken, 'text/plain', 'devEui'), 415, 'UNSUPPORTED_MEDIA_TYPE');
    const huge = `devEui,kind,codec,name\n${'0011223344556677,sensor,nwave-nps405,x\n'.repeat(15_000)}`;
    expectProblem(await raw('POST', '/api/v1/devices/import', tenant.accessToken, 'text/csv', huge), 413, 'PAYLOAD_TOO_LARGE');
    expectProblem(await raw('POST', '/api/v1/devices/import', viewer.accessToken, 'text/csv', good), 403, 'FORBIDDEN');
  });

  it("does not name the rows of an import another tenant holds, and throttles a tenant's imports with 429 and Retry-After", async () => {
    const [tenant, other] = [await api.register('devices-throttle'), await api.register('devices-holder')];
    const held = expectStatus(await api.call('POST', '/api/v1/devices', { accessToken: other.accessToken, body: sensor() }), 201).devEui;
    const oracle = expectProblem(await raw('POST', '/api/v1/devices/import', tenant.accessToken, 'application/json', JSON.stringify([sensor(), sensor({ devEui: held })])), 422, 'IMPORT_REJECTED');
    expect({ rows: oracle.rows, unavailable: oracle.unavailable }).toEqual({ rows: [], unavailable: 1 });
    expect(JSON.stringify(oracle)).not.toContain(held);

    for (let i = 1; i < DEVICE_IMPORTS_PER_MINUTE; i++) {
      expectProblem(await raw('POST', '/api/v1/devices/import', tenant.accessToken, 'application/json', JSON.stringify([sensor({ devEui: held })])), 422, 'IMPORT_REJECTED');
    }
    const limited = await raw('POST', '/api/v1/devices/import', tenant.accessToken, 'application/json', JSON.stringify([sensor()]));
    const problem = expectProblem(limited, 429, 'RATE_LIMITED');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(problem).toMatchObject({ limit: DEVICE_IMPORTS_PER_MINUTE, retryAfterSeconds: retryAfter });
    // Single registrations are not imports; another tenant imports as usual.
    expectStatus(await api.call('POST', '/api/v1/devices', { accessToken: tenant.accessToken, body: sensor() }), 201);
    expectStatus(await raw('POST', '/api/v1/devices/import', other.accessToken, 'application/json', JSON.stringify([sensor()])), 201);
  });

  it('refuses registrations beyond the device limit a platform admin sets, with 403 LIMIT_EXCEEDED', async () => {
    const tenant = await api.register('devices-limit');
    expectStatus(await api.call('POST', '/api/v1/devices', { accessToken: tenant.accessToken, body: sensor() }), 201);
    expectStatus(
      await api.call('PUT', `/api/v1/admin/tenants/${tenant.tenantId}/limits`, { accessToken: api.admin.accessToken, body: { reason: 'e2e: device limit', limits: { devices: 1 } } }),
      200,
    );
    // Ingest learns the limit from identity's limits_changed event.
    await expectEventually(
      async () => {
        const rows = await api.sql<{ devices: number | null }>('SELECT devices FROM ingest.tenant_limits WHERE tenant_id = $1', [tenant.tenantId]);
        expect(rows).toEqual([{ devices: 1 }]);
      },
      { timeoutMs: 15_000, intervalMs: 100 },
    );
    const refused = expectProblem(await api.call('POST', '/api/v1/devices', { accessToken: tenant.accessToken, body: sensor() }), 403, 'LIMIT_EXCEEDED');
    expect(refused).toMatchObject({ limit: 'devices', max: 1, used: 1, errors: [{ field: 'limits.devices', message: 'at most 1' }] });
    expectProblem(await raw('POST', '/api/v1/devices/import', tenant.accessToken, 'application/json', JSON.stringify([sensor()])), 403, 'LIMIT_EXCEEDED');
  });

  it('shows platform admins the pool and its counts, and nobody else', async () => {
    const admin = { accessToken: api.admin.accessToken };
    const page = expectStatus(await api.call('GET', `/api/v1/admin/devices?reason=${encodeURIComponent('e2e: pool')}&tenantId=${owner.tenantId}&limit=500`, admin), 200);
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.items.every((d: { tenantId: string }) => d.tenantId === owner.tenantId)).toBe(true);
    const stats = expectStatus(await api.call('GET', `/api/v1/admin/devices/stats?reason=${encodeURIComponent('e2e: stats')}`, admin), 200);
    expect(stats.byTenant.find((t: { tenantId: string }) => t.tenantId === owner.tenantId)?.devices).toBe(page.items.length);
    expect(await api.sql("SELECT actor FROM ingest.platform_audit WHERE reason = 'e2e: stats'")).toEqual([{ actor: `user:${api.admin.userId}` }]);
    expectProblem(await api.call('GET', '/api/v1/admin/devices/stats?reason=nosy', { accessToken: owner.accessToken }), 403, 'FORBIDDEN');
    expectProblem(await api.call('GET', '/api/v1/admin/devices', admin), 400, 'VALIDATION_FAILED');
  });

  it('documents every device route in a valid OpenAPI document', async () => {
    const document = expectStatus(await api.call('GET', '/docs/openapi.json'), 200);
    for (const route of ['/api/v1/devices', '/api/v1/devices/{devEui}', '/api/v1/devices/import', '/api/v1/devices/offline', '/api/v1/devices/low-battery', '/api/v6/devices', '/api/v6/devices/{devEui}', '/api/v1/admin/devices', '/api/v1/admin/devices/stats']) {
      expect({ route, documented: document.paths[route] !== undefined }).toEqual({ route, documented: true });
    }
    expect(Object.keys(document.paths['/api/v1/devices/import'].post.requestBody.content).sort()).toEqual(['application/json', 'text/csv']);
    expect(await validateOpenApi(document)).toEqual({ valid: true, openapi: '3.1.0' });
  });
});
