/**
 * The inventory import and the plan's space limit through the compiled gateway, identity,
 * ingest and occupancy processes (real PostgreSQL with RLS, NATS): a CSV that builds a site
 * with zones, spaces and sensors; a rejected import that writes nothing; another tenant's ids
 * named in an import; the space limit on single creates, the v6 create and the import.
 */
import { randomBytes } from 'node:crypto';
import { expectEventually } from '@parking/testing';
import { startApiStack, unknownId, type ApiAnswer, type ApiStack, type SignedIn } from '../../test/api-stack';
import { validateOpenApi } from '../../test/validate-openapi';

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

const newEui = () => randomBytes(8).toString('hex');

describe('inventory import and space limits through the gateway', () => {
  let api: ApiStack;
  let owner: SignedIn;

  const raw = async (who: SignedIn, contentType: string, body: string, url = '/api/v1/sites/import'): Promise<ApiAnswer> => {
    const response = await fetch(`${api.baseUrl}${url}`, { method: 'POST', headers: { authorization: `Bearer ${who.accessToken}`, 'content-type': contentType }, body });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  };
  const get = async (who: SignedIn, url: string) => expectStatus(await api.call('GET', url, { accessToken: who.accessToken }), 200);
  const siteNames = async (who: SignedIn) => (await get(who, '/api/v1/sites?limit=500')).items.map((s: { name: string }) => s.name).sort();
  const spaceCount = async (who: SignedIn) =>
    (await api.sql<{ n: number }>('SELECT count(*)::int AS n FROM occupancy.spaces WHERE tenant_id = $1', [who.tenantId]))[0].n;

  /** Registers sensors in ingest and waits until occupancy knows them from ingest's events. */
  async function registerSensors(who: SignedIn, count: number): Promise<string[]> {
    const euis = Array.from({ length: count }, newEui);
    for (const devEui of euis) {
      expectStatus(await api.call('POST', '/api/v1/devices', { accessToken: who.accessToken, body: { devEui, kind: 'sensor', codec: 'nwave-nps405', name: `bay ${devEui}` } }), 201);
    }
    await expectEventually(async () => expect(await api.sql('SELECT 1 FROM occupancy.sensors WHERE dev_eui = ANY ($1::text[])', [euis])).toHaveLength(count), {
      timeoutMs: 15_000,
      intervalMs: 100,
    });
    return euis;
  }

  /** A tenant on the enterprise plan, once occupancy has learnt it (no site or space limit). */
  async function unlimitedTenant(label: string): Promise<SignedIn> {
    const tenant = await api.register(label);
    await api.upgrade(tenant.tenantId);
    await expectEventually(
      async () => expect(await api.sql('SELECT sites, spaces FROM occupancy.tenant_limits WHERE tenant_id = $1', [tenant.tenantId])).toEqual([{ sites: null, spaces: null }]),
      { timeoutMs: 15_000, intervalMs: 100 },
    );
    return tenant;
  }

  beforeAll(async () => {
    api = await startApiStack({ prefix: 'gateway-import', services: ['identity', 'gateway', 'ingest', 'occupancy'] });
    owner = await unlimitedTenant('import');
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
  });

  it('builds a site with nested zones, spaces and their sensors from one CSV, counted at once', async () => {
    const [a, b] = await registerSensors(owner, 2);
    const csv = [
      'kind,site,name,code,zone,parent,category,type,tags,devEui',
      'site,,Harbour Garage,,,,off_street,,,',
      'level,Harbour Garage,Level 1,,,,,,,',
      'zone,Harbour Garage,North,,,Level 1,,,,',
      `space,Harbour Garage,,L1-001,North,,,ev,covered;charger,${a.toUpperCase().match(/../g)?.join('-')}`,
      'space,Harbour Garage,,L1-002,Level 1,,,,,',
      'space,Harbour Garage,,L1-003,,,,,,',
      `assignment,Harbour Garage,,L1-002,,,,,,${b}`,
    ].join('\r\n');
    const result = expectStatus(await raw(owner, 'text/csv; charset=utf-8', csv), 201);
    expect(result.created).toEqual({ sites: 1, zones: 2, spaces: 3, assignments: 2 });
    const siteId = result.sites[0].id;
    const level = result.zones.find((z: { name: string }) => z.name === 'Level 1').id;
    const north = result.zones.find((z: { name: string }) => z.name === 'North').id;

    const availability = await get(owner, `/api/v1/sites/${siteId}/availability`);
    expect(availability.counts).toEqual({ free: 0, occupied: 0, reserved: 0, maintenance: 0, unknown: 3, total: 3 });
    expect(Object.fromEntries(availability.zones.map((z: { zoneId: string; counts: { total: number } }) => [z.zoneId, z.counts.total]))).toEqual({ [level]: 2, [north]: 1 });
    const spaces = (await get(owner, `/api/v1/spaces?siteId=${siteId}`)).items;
    expect(spaces.map((s: { code: string; sensorDevEui: string | null; zoneId: string | null }) => [s.code, s.sensorDevEui, s.zoneId]).sort()).toEqual([
      ['L1-001', a, north],
      ['L1-002', b, level],
      ['L1-003', null, null],
    ]);
    expect(await get(owner, `/api/v1/zones/${north}`)).toMatchObject({ parentZoneId: level, siteId });

    // JSON adds to what exists, naming the site and zone by name.
    const more = expectStatus(await api.call('POST', '/api/v1/sites/import', { accessToken: owner.accessToken, body: { spaces: [{ site: 'Harbour Garage', code: 'L1-004', zone: 'North' }] } }), 201);
    expect(more).toEqual({ created: { sites: 0, zones: 0, spaces: 1, assignments: 0 }, sites: [], zones: [] });
    expect((await get(owner, `/api/v1/sites/${siteId}/availability`)).counts.total).toBe(4);

    // Larger than the 256 KiB other routes take: the import route has its own body limit.
    const bays = Array.from({ length: 2_000 }, (_, i) => ({ site: 'Harbour Garage', code: `B-${i}`, name: `Bay ${i} ${'x'.repeat(150)}` }));
    const big = JSON.stringify({ spaces: bays });
    expect(big.length).toBeGreaterThan(300 * 1024);
    expect(expectStatus(await raw(owner, 'application/json', big), 201).created.spaces).toBe(2_000);
    expect((await get(owner, `/api/v1/sites/${siteId}/availability`)).counts.total).toBe(2_004);
  });

  it('rejects an import with a bad row as 422 naming line and field, and writes nothing', async () => {
    const sites = await siteNames(owner);
    const spaces = await spaceCount(owner);
    const csv = [
      'kind,site,name,code,zone,category,devEui',
      'site,,Airport P2,,,off_street,',
      'site,,Airport P3,,,,', // no category
      'space,Airport P2,,P2-1,Level 9,,', // no such zone
      `space,Airport P2,,P2-2,,,${newEui()}`, // no such device
    ].join('\n');
    const rejected = expectProblem(await raw(owner, 'text/csv', csv), 422, 'IMPORT_REJECTED');
    expect(rejected.rows.map((r: { line: number; field: string }) => `${r.line}:${r.field}`)).toEqual(['3:category', '4:zone', '5:devEui']);
    expect(rejected.errors.map((e: { field: string }) => e.field)).toEqual(['line 3.category', 'line 4.zone', 'line 5.devEui']);
    expect(rejected.detail).toContain('3 of 4 rows cannot be imported');
    expect(await siteNames(owner)).toEqual(sites);
    expect(await spaceCount(owner)).toBe(spaces);

    expectProblem(await raw(owner, 'application/json', JSON.stringify({ sites: [], garages: [] })), 400, 'VALIDATION_FAILED');
    expectProblem(await raw(owner, 'application/json', '[]'), 400, 'VALIDATION_FAILED');
    expectProblem(await raw(owner, 'text/plain', 'kind\n'), 415, 'UNSUPPORTED_MEDIA_TYPE');
    const huge = `kind,site,code\n${'space,Harbour Garage,X-0000000000\n'.repeat(30_000)}`;
    expectProblem(await raw(owner, 'text/csv', huge), 413, 'PAYLOAD_TOO_LARGE');
    const viewer = await api.inviteAndAccept(owner, 'viewer');
    expectProblem(await raw(viewer, 'text/csv', csv), 403, 'FORBIDDEN');
  });

  it("treats another tenant's site and sensor named in an import as unknown, and leaves them as they were", async () => {
    const other = await unlimitedTenant('import-other');
    const [theirs] = await registerSensors(other, 1);
    const theirSite = expectStatus(await api.call('POST', '/api/v1/sites', { accessToken: other.accessToken, body: { name: 'Their Lot', category: 'on_street' } }), 201);
    const before = await get(other, `/api/v1/sites/${theirSite.id}/availability`);

    const missing = unknownId();
    const named = (site: string, devEui: string) =>
      raw(owner, 'application/json', JSON.stringify({ spaces: [{ site, code: 'INTRUDER-1' }], assignments: [{ site: 'Harbour Garage', code: 'L1-003', devEui }] }));
    const cross = expectProblem(await named(theirSite.id, theirs), 422, 'IMPORT_REJECTED');
    const nowhere = expectProblem(await named(missing, newEui()), 422, 'IMPORT_REJECTED');
    expect(cross.rows.map((r: { field: string }) => r.field)).toEqual(['site', 'devEui']);
    // No existence oracle: another tenant's ids read exactly like ids nobody has.
    expect(cross.rows.map((r: { message: string }) => r.message.replace(theirs, '<eui>'))).toEqual(nowhere.rows.map((r: { message: string }) => r.message.replace(/[0-9a-f]{16}/, '<eui>')));
    expect(expectProblem(await named('Their Lot', theirs), 422, 'IMPORT_REJECTED').rows[0]).toMatchObject({ field: 'site', message: 'names no site of this import or of the tenant' });
    expect(await get(other, `/api/v1/sites/${theirSite.id}/availability`)).toEqual(before);
  });

  it("refuses spaces beyond the plan's space limit with 403 on the single create, the v6 create and the import, changing nothing", async () => {
    const tenant = await api.register('import-limit');
    const site = expectStatus(await api.call('POST', '/api/v1/sites', { accessToken: tenant.accessToken, body: { name: 'Small Lot', category: 'off_street' } }), 201);
    expectStatus(
      await api.call('PUT', `/api/v1/admin/tenants/${tenant.tenantId}/limits`, { accessToken: api.admin.accessToken, body: { reason: 'e2e: space limit', limits: { spaces: 2 } } }),
      200,
    );
    await expectEventually(async () => expect(await api.sql('SELECT spaces FROM occupancy.tenant_limits WHERE tenant_id = $1', [tenant.tenantId])).toEqual([{ spaces: 2 }]), {
      timeoutMs: 15_000,
      intervalMs: 100,
    });
    expectStatus(await api.call('POST', '/api/v1/spaces', { accessToken: tenant.accessToken, body: { siteId: site.id, code: 'S-1' } }), 201);

    // Two more would make three: the import is refused as a whole.
    const imported = expectProblem(await raw(tenant, 'text/csv', 'kind,site,code\nspace,Small Lot,S-2\nspace,Small Lot,S-3\n'), 403, 'LIMIT_EXCEEDED');
    expect(imported).toMatchObject({ limit: 'spaces', max: 2, used: 1, errors: [{ field: 'limits.spaces', message: 'at most 2' }] });
    expect(imported.detail).toContain('2 more would exceed it');
    expect(await spaceCount(tenant)).toBe(1);

    expectStatus(await api.call('POST', '/api/v6/spaces', { accessToken: tenant.accessToken, body: { site_id: site.id, code: 'S-2', name: 'Second' } }), 201);
    const single = expectProblem(await api.call('POST', '/api/v1/spaces', { accessToken: tenant.accessToken, body: { siteId: site.id, code: 'S-3' } }), 403, 'LIMIT_EXCEEDED');
    expect(single).toMatchObject({ limit: 'spaces', max: 2, used: 2, errors: [{ field: 'limits.spaces', message: 'at most 2' }] });
    expect(single.detail).toContain('one more would exceed it');
    const legacy = expectProblem(await api.call('POST', '/api/v6/spaces', { accessToken: tenant.accessToken, body: { site_id: site.id, code: 'S-3', name: 'Third' } }), 403, 'LIMIT_EXCEEDED');
    expect(legacy).toMatchObject({ limit: 'spaces', max: 2, used: 2 });
    expectProblem(await raw(tenant, 'application/json', JSON.stringify({ spaces: [{ site: 'Small Lot', code: 'S-3' }] })), 403, 'LIMIT_EXCEEDED');

    expect(await spaceCount(tenant)).toBe(2);
    expect((await get(tenant, `/api/v1/sites/${site.id}/availability`)).counts).toMatchObject({ unknown: 2, total: 2 });
    expect(await api.sql('SELECT code FROM occupancy.spaces WHERE tenant_id = $1 ORDER BY code', [tenant.tenantId])).toEqual([{ code: 'S-1' }, { code: 'S-2' }]);
  });

  it('documents the import with both content types in a valid OpenAPI document', async () => {
    const document = expectStatus(await api.call('GET', '/docs/openapi.json'), 200);
    const operation = document.paths['/api/v1/sites/import']?.post;
    expect(Object.keys(operation?.requestBody?.content ?? {}).sort()).toEqual(['application/json', 'text/csv']);
    expect(Object.keys(operation.responses).sort()).toEqual(expect.arrayContaining(['201', '403', '409', '413', '415', '422']));
    expect(await validateOpenApi(document)).toEqual({ valid: true, openapi: '3.1.0' });
  });
});
