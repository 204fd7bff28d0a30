/**
 * Sites, zones and spaces through the compiled gateway, identity, ingest and occupancy
 * processes (real PostgreSQL with RLS, NATS): the REST routes under /api/v1 and the previous
 * platform's /api/v6 space routes, sensors, maintenance, availability and authorisation.
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

function fieldsOf(problem: { errors?: Array<{ field: string }> }): string[] {
  return (problem.errors ?? []).map((error) => error.field).sort();
}

const ids = (page: { items: Array<{ id: string }> }) => page.items.map((item) => item.id);

describe('sites, zones and spaces through the gateway', () => {
  let api: ApiStack;
  let owner: SignedIn;
  let viewer: SignedIn;

  const as = (who: SignedIn, body?: unknown) => ({ accessToken: who.accessToken, body });
  const newSite = async (overrides: Record<string, unknown> = {}) =>
    expectStatus(await api.call('POST', '/api/v1/sites', as(owner, { name: `Site ${randomBytes(3).toString('hex')}`, category: 'off_street', ...overrides })), 201);
  const newSpace = async (siteId: string, overrides: Record<string, unknown> = {}) =>
    expectStatus(await api.call('POST', '/api/v1/spaces', as(owner, { siteId, code: `S-${randomBytes(3).toString('hex')}`, ...overrides })), 201);

  beforeAll(async () => {
    api = await startApiStack({ prefix: 'gateway-occupancy', services: ['identity', 'gateway', 'ingest', 'occupancy'] });
    owner = await api.register('occupancy');
    await api.upgrade(owner.tenantId);
    // Occupancy learns the plan's limits from identity's limits_changed event.
    await expectEventually(
      async () => expect(await api.sql('SELECT sites, spaces FROM occupancy.tenant_limits WHERE tenant_id = $1', [owner.tenantId])).toEqual([{ sites: null, spaces: null }]),
      { timeoutMs: 15_000, intervalMs: 100 },
    );
    viewer = await api.inviteAndAccept(owner, 'viewer');
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
  });

  it('creates, reads, lists, changes and deletes sites and zones; a site with spaces is a 409 that says why', async () => {
    const site = await newSite({
      name: 'Alexa car park',
      address: 'Alexanderplatz 1',
      location: { latitude: 52.5219, longitude: 13.4132 },
      timeZone: 'Europe/Berlin',
      openingHours: { mon: ['07:00-22:00'] },
      heartbeatTimeoutSeconds: 1800,
    });
    expect(site).toMatchObject({ name: 'Alexa car park', category: 'off_street', timeZone: 'Europe/Berlin', openingHours: { mon: ['07:00-22:00'] }, heartbeatTimeoutSeconds: 1800, version: 1 });
    expect(expectStatus(await api.call('GET', `/api/v1/sites/${site.id}`, as(owner)), 200)).toEqual(site);
    expect(expectStatus(await api.call('GET', `/api/v1/sites/${site.id}`, as(viewer)), 200).id).toBe(site.id);

    const patched = expectStatus(await api.call('PATCH', `/api/v1/sites/${site.id}`, as(owner, { name: 'Alexa (north)', address: null, version: 1 })), 200);
    expect(patched).toMatchObject({ name: 'Alexa (north)', address: null, version: 2, timeZone: 'Europe/Berlin' });
    const stale = expectProblem(await api.call('PATCH', `/api/v1/sites/${site.id}`, as(owner, { name: 'stale', version: 1 })), 409, 'CONFLICT');
    expect(stale.detail).toContain('version 2');

    const street = await newSite({ category: 'on_street' });
    const onStreet = expectStatus(await api.call('GET', '/api/v1/sites?category=on_street&limit=500', as(owner)), 200);
    expect(ids(onStreet)).toContain(street.id);
    expect(ids(onStreet)).not.toContain(site.id);
    const first = expectStatus(await api.call('GET', '/api/v1/sites?limit=1', as(owner)), 200);
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = expectStatus(await api.call('GET', `/api/v1/sites?limit=1&cursor=${encodeURIComponent(first.nextCursor)}`, as(owner)), 200);
    expect(second.items).toHaveLength(1);
    expect(second.items[0].id).not.toBe(first.items[0].id);

    const level = expectStatus(await api.call('POST', `/api/v1/sites/${site.id}/zones`, as(owner, { name: 'Level 2', kind: 'level' })), 201);
    expect(level).toMatchObject({ siteId: site.id, parentZoneId: null, name: 'Level 2', kind: 'level', version: 1 });
    const north = expectStatus(await api.call('POST', `/api/v1/sites/${site.id}/zones`, as(owner, { name: 'North', parentZoneId: level.id })), 201);
    expect(north).toMatchObject({ parentZoneId: level.id, kind: 'zone' });
    expect(ids(expectStatus(await api.call('GET', `/api/v1/sites/${site.id}/zones`, as(owner)), 200))).toEqual([level.id, north.id]);
    expect(ids(expectStatus(await api.call('GET', `/api/v1/sites/${site.id}/zones?parentZoneId=${level.id}`, as(viewer)), 200))).toEqual([north.id]);
    expect(ids(expectStatus(await api.call('GET', `/api/v1/sites/${site.id}/zones?kind=level`, as(owner)), 200))).toEqual([level.id]);
    expect(expectStatus(await api.call('GET', `/api/v1/zones/${north.id}`, as(owner)), 200)).toEqual(north);
    expect(expectStatus(await api.call('PATCH', `/api/v1/zones/${north.id}`, as(owner, { name: 'North wing', version: 1 })), 200)).toMatchObject({ name: 'North wing', version: 2 });
    const moveParent = expectProblem(await api.call('PATCH', `/api/v1/zones/${north.id}`, as(owner, { parentZoneId: null })), 400, 'VALIDATION_FAILED');
    expect(fieldsOf(moveParent)).toEqual(['parentZoneId']);

    const space = await newSpace(site.id, { zoneId: north.id });
    const siteInUse = expectProblem(await api.call('DELETE', `/api/v1/sites/${site.id}`, as(owner)), 409, 'CONFLICT');
    expect(siteInUse).toMatchObject({ detail: 'The site still has 1 space; delete them first, then the site.', spaces: 1 });
    expect(expectProblem(await api.call('DELETE', `/api/v1/zones/${north.id}`, as(owner)), 409, 'CONFLICT').detail).toContain('1 space');
    expect(expectProblem(await api.call('DELETE', `/api/v1/zones/${level.id}`, as(owner)), 409, 'CONFLICT').detail).toContain('nested zone');

    expectStatus(await api.call('DELETE', `/api/v1/spaces/${space.id}`, as(owner)), 200);
    expect(expectStatus(await api.call('DELETE', `/api/v1/zones/${north.id}`, as(owner)), 200).id).toBe(north.id);
    expectProblem(await api.call('GET', `/api/v1/zones/${north.id}`, as(owner)), 404, 'NOT_FOUND');
    expect(expectStatus(await api.call('DELETE', `/api/v1/sites/${site.id}`, as(owner)), 200)).toMatchObject({ id: site.id, version: 2 });
    expectProblem(await api.call('GET', `/api/v1/sites/${site.id}`, as(owner)), 404, 'NOT_FOUND');
    expectProblem(await api.call('GET', `/api/v1/zones/${level.id}`, as(owner)), 404, 'NOT_FOUND');
    expectProblem(await api.call('GET', `/api/v1/sites/${unknownId()}/availability`, as(owner)), 404, 'NOT_FOUND');
  });

  it('lists spaces filtered by site, zone, state, type and tag, page by page, and changes them', async () => {
    const site = await newSite();
    const other = await newSite();
    const zone = expectStatus(await api.call('POST', `/api/v1/sites/${site.id}/zones`, as(owner, { name: 'East' })), 201);
    const ev = await newSpace(site.id, { code: 'E-1', name: 'EV bay', zoneId: zone.id, type: 'ev', tags: ['covered', 'level:1'], priceZone: 'A', location: { latitude: 52.5, longitude: 13.4 } });
    expect(ev).toMatchObject({
      siteId: site.id,
      zoneId: zone.id,
      code: 'E-1',
      name: 'EV bay',
      type: 'ev',
      category: 'off_street',
      tags: ['covered', 'level:1'],
      priceZone: 'A',
      sensorDevEui: null,
      version: 1,
      state: { state: 'unknown', maintenance: null, sensorOccupied: null, reading: null },
    });
    const plain = await newSpace(site.id, { code: 'P-1', tags: ['covered'] });
    const loading = await newSpace(site.id, { code: 'L-1', type: 'loading', category: 'on_street' });
    const elsewhere = await newSpace(other.id, { code: 'E-1' });

    const list = async (query: string) => ids(expectStatus(await api.call('GET', `/api/v1/spaces?${query}`, as(viewer)), 200));
    expect(await list(`siteId=${site.id}`)).toEqual([ev.id, plain.id, loading.id]);
    expect(await list(`siteId=${other.id}`)).toEqual([elsewhere.id]);
    expect(await list(`zoneId=${zone.id}`)).toEqual([ev.id]);
    expect(await list(`siteId=${site.id}&type=loading`)).toEqual([loading.id]);
    expect(await list(`siteId=${site.id}&tag=covered`)).toEqual([ev.id, plain.id]);
    expect(await list(`siteId=${site.id}&tag=level:1`)).toEqual([ev.id]);
    expect(await list(`siteId=${site.id}&state=unknown`)).toEqual([ev.id, plain.id, loading.id]);
    expectStatus(await api.call('PUT', `/api/v1/spaces/${plain.id}/maintenance`, as(owner, {})), 200);
    expect(await list(`siteId=${site.id}&state=maintenance`)).toEqual([plain.id]);
    expect(await list(`siteId=${site.id}&state=free`)).toEqual([]);

    const first = expectStatus(await api.call('GET', `/api/v1/spaces?siteId=${site.id}&limit=2`, as(owner)), 200);
    expect(ids(first)).toEqual([ev.id, plain.id]);
    const rest = expectStatus(await api.call('GET', `/api/v1/spaces?siteId=${site.id}&limit=2&cursor=${encodeURIComponent(first.nextCursor)}`, as(owner)), 200);
    expect(rest).toMatchObject({ nextCursor: null });
    expect(ids(rest)).toEqual([loading.id]);

    const changed = expectStatus(await api.call('PATCH', `/api/v1/spaces/${ev.id}`, as(owner, { code: 'E-2', zoneId: null, tags: [], name: null, version: 1 })), 200);
    expect(changed).toMatchObject({ code: 'E-2', zoneId: null, tags: [], name: null, version: 2, type: 'ev' });
    expect(expectStatus(await api.call('GET', `/api/v1/spaces/${ev.id}`, as(viewer)), 200)).toEqual(changed);
    expect(await list(`zoneId=${zone.id}`)).toEqual([]);
    const taken = expectProblem(await api.call('PATCH', `/api/v1/spaces/${ev.id}`, as(owner, { code: 'P-1' })), 409, 'CONFLICT');
    expect(taken.detail).toContain('"P-1"');
    expectProblem(await api.call('POST', '/api/v1/spaces', as(owner, { siteId: site.id, code: 'L-1' })), 409, 'CONFLICT');
    expectProblem(await api.call('POST', '/api/v1/spaces', as(owner, { siteId: unknownId(), code: 'X-1' })), 404, 'NOT_FOUND');
    expectProblem(await api.call('PATCH', `/api/v1/spaces/${ev.id}`, as(owner, { siteId: other.id })), 400, 'VALIDATION_FAILED');
  });

  it('assigns a registered sensor to one space only, and keeps maintenance and availability counts current', async () => {
    const site = await newSite();
    const level = expectStatus(await api.call('POST', `/api/v1/sites/${site.id}/zones`, as(owner, { name: 'Level 1', kind: 'level' })), 201);
    const [a, b] = [await newSpace(site.id, { code: 'A', zoneId: level.id }), await newSpace(site.id, { code: 'B' })];
    const devEui = randomBytes(8).toString('hex');
    expectStatus(await api.call('POST', '/api/v1/devices', as(owner, { devEui, kind: 'sensor', codec: 'nwave-nps405', name: 'Bay A' })), 201);

    // Occupancy knows the device once ingest's registered event has arrived.
    const assigned = await expectEventually(
      async () => expectStatus(await api.call('PUT', `/api/v1/spaces/${a.id}/sensor`, as(owner, { devEui: devEui.toUpperCase().match(/../g)?.join(':') })), 200),
      { timeoutMs: 15_000, intervalMs: 100 },
    );
    expect(assigned).toMatchObject({ id: a.id, sensorDevEui: devEui });
    expect(expectStatus(await api.call('PUT', `/api/v1/spaces/${a.id}/sensor`, as(owner, { devEui })), 200).sensorDevEui).toBe(devEui);
    const elsewhere = expectProblem(await api.call('PUT', `/api/v1/spaces/${b.id}/sensor`, as(owner, { devEui })), 409, 'CONFLICT');
    expect(elsewhere).toMatchObject({ detail: expect.stringContaining(`"A" (${a.id})`), devEui, spaceId: a.id });
    const unregistered = expectProblem(await api.call('PUT', `/api/v1/spaces/${b.id}/sensor`, as(owner, { devEui: randomBytes(8).toString('hex') })), 404, 'NOT_FOUND');
    expect(unregistered.detail).toContain('register it in the device registry first');

    const maintained = expectStatus(await api.call('PUT', `/api/v1/spaces/${a.id}/maintenance`, as(owner, { reason: 'Barrier repair' })), 200);
    expect(maintained.state).toMatchObject({ state: 'maintenance', maintenance: { reason: 'Barrier repair' } });
    expect(expectStatus(await api.call('GET', `/api/v1/spaces/${a.id}`, as(viewer)), 200).state.state).toBe('maintenance');
    const during = expectStatus(await api.call('GET', `/api/v1/sites/${site.id}/availability`, as(viewer)), 200);
    expect(during).toMatchObject({
      siteId: site.id,
      counts: { free: 0, occupied: 0, reserved: 0, maintenance: 1, unknown: 1, total: 2 },
      zones: [{ zoneId: level.id, parentZoneId: null, name: 'Level 1', kind: 'level', counts: { maintenance: 1, unknown: 0, total: 1 } }],
    });

    const cleared = expectStatus(await api.call('DELETE', `/api/v1/spaces/${a.id}/maintenance`, as(owner)), 200);
    expect(cleared.state).toMatchObject({ state: 'unknown', maintenance: null });
    const after = expectStatus(await api.call('GET', `/api/v1/sites/${site.id}/availability`, as(owner)), 200);
    expect(after.counts).toEqual({ free: 0, occupied: 0, reserved: 0, maintenance: 0, unknown: 2, total: 2 });
    expect(after.version).toBeGreaterThan(during.version);

    expect(expectStatus(await api.call('DELETE', `/api/v1/spaces/${a.id}/sensor`, as(owner)), 200).sensorDevEui).toBeNull();
    expect(expectStatus(await api.call('PUT', `/api/v1/spaces/${b.id}/sensor`, as(owner, { devEui })), 200).sensorDevEui).toBe(devEui);
    expectProblem(await api.call('PUT', `/api/v1/spaces/${b.id}/sensor`, as(owner, { devEui: '12345' })), 400, 'VALIDATION_FAILED');
  });

  it('keeps the previous platform’s /api/v6/spaces routes, its create body, the state route and the occupancy statistics', async () => {
    const site = await newSite({ name: 'Legacy lot' });
    const old = expectStatus(await api.call('POST', '/api/v6/spaces', as(owner, { site_id: site.id, code: 'OLD-1', name: 'Old bay' })), 201);
    expect(old).toMatchObject({ siteId: site.id, code: 'OLD-1', name: 'Old bay', state: { state: 'unknown' } });
    const current = expectStatus(await api.call('POST', '/api/v6/spaces', as(owner, { siteId: site.id, code: 'NEW-1', type: 'disabled' })), 201);
    expect(current).toMatchObject({ siteId: site.id, type: 'disabled' });
    expect(fieldsOf(expectProblem(await api.call('POST', '/api/v6/spaces', as(owner, { site_id: site.id, siteId: site.id, code: 'X' })), 400, 'VALIDATION_FAILED'))).toEqual(['site_id']);
    expect(fieldsOf(expectProblem(await api.call('POST', '/api/v6/spaces', as(owner, { code: 'X' })), 400, 'VALIDATION_FAILED'))).toEqual(['siteId']);

    expect(ids(expectStatus(await api.call('GET', `/api/v6/spaces?siteId=${site.id}`, as(viewer)), 200))).toEqual([old.id, current.id]);
    expect(expectStatus(await api.call('GET', `/api/v6/spaces/${old.id}`, as(viewer)), 200)).toEqual(old);
    expect(expectStatus(await api.call('PUT', `/api/v6/spaces/${old.id}`, as(owner, { name: 'Old bay (renamed)' })), 200)).toMatchObject({ name: 'Old bay (renamed)', version: 2 });

    const maintenance = expectStatus(await api.call('PUT', `/api/v6/spaces/${old.id}/state`, as(owner, { state: 'maintenance', reason: 'Resurfacing' })), 200);
    expect(maintenance.state).toMatchObject({ state: 'maintenance', maintenance: { reason: 'Resurfacing' } });
    // free (or occupied) clears the override: the space shows what its sensor says, here nothing yet.
    const released = expectStatus(await api.call('PUT', `/api/v6/spaces/${old.id}/state`, as(owner, { state: 'free' })), 200);
    expect(released.state).toMatchObject({ state: 'unknown', maintenance: null });
    const reserved = expectProblem(await api.call('PUT', `/api/v6/spaces/${old.id}/state`, as(owner, { state: 'reserved' })), 400, 'VALIDATION_FAILED');
    expect(reserved.errors).toEqual([{ field: 'state', message: expect.stringContaining('maintenance, free, occupied') }]);
    expect(fieldsOf(expectProblem(await api.call('PUT', `/api/v6/spaces/${old.id}/state`, as(owner, { state: 'occupied', reason: 'x' })), 400, 'VALIDATION_FAILED'))).toEqual(['reason']);

    expectStatus(await api.call('PUT', `/api/v6/spaces/${current.id}/state`, as(owner, { state: 'maintenance' })), 200);
    const stats = expectStatus(await api.call('GET', `/api/v6/spaces/stats/occupancy?siteId=${site.id}`, as(viewer)), 200);
    expect(stats).toEqual({ sites: [{ siteId: site.id, name: 'Legacy lot', free: 0, occupied: 0, total: 2, occupancyRate: 0 }], free: 0, occupied: 0, total: 2, occupancyRate: 0 });
    const everySite = expectStatus(await api.call('GET', '/api/v6/spaces/stats/occupancy', as(owner)), 200);
    expect(everySite.sites).toContainEqual(stats.sites[0]);
    expect(everySite.total).toBe(everySite.sites.reduce((sum: number, entry: { total: number }) => sum + entry.total, 0));
    expectProblem(await api.call('GET', `/api/v6/spaces/stats/occupancy?siteId=${unknownId()}`, as(owner)), 404, 'NOT_FOUND');

    expect(expectStatus(await api.call('DELETE', `/api/v6/spaces/${old.id}`, as(owner)), 200).id).toBe(old.id);
    expectProblem(await api.call('GET', `/api/v6/spaces/${old.id}`, as(owner)), 404, 'NOT_FOUND');
  });

  it('answers 401 without credentials and 403 to a viewer who writes', async () => {
    expectProblem(await api.call('GET', '/api/v1/sites'), 401, 'UNAUTHENTICATED');
    expectProblem(await api.call('GET', '/api/v1/spaces'), 401, 'UNAUTHENTICATED');
    expectProblem(await api.call('POST', '/api/v6/spaces', { body: { site_id: unknownId(), code: 'X' } }), 401, 'UNAUTHENTICATED');
    const site = await newSite();
    const space = await newSpace(site.id);
    const zone = expectStatus(await api.call('POST', `/api/v1/sites/${site.id}/zones`, as(owner, { name: 'Z' })), 201);

    expect(expectProblem(await api.call('POST', '/api/v1/sites', as(viewer, { name: 'Mine', category: 'off_street' })), 403, 'FORBIDDEN').detail).toContain('sites:write');
    expect(expectProblem(await api.call('POST', '/api/v1/spaces', as(viewer, { siteId: site.id, code: 'V-1' })), 403, 'FORBIDDEN').detail).toContain('spaces:write');
    expectProblem(await api.call('PATCH', `/api/v1/sites/${site.id}`, as(viewer, { name: 'x' })), 403, 'FORBIDDEN');
    expectProblem(await api.call('DELETE', `/api/v1/zones/${zone.id}`, as(viewer)), 403, 'FORBIDDEN');
    expectProblem(await api.call('PUT', `/api/v1/spaces/${space.id}/maintenance`, as(viewer, {})), 403, 'FORBIDDEN');
    expectProblem(await api.call('PUT', `/api/v6/spaces/${space.id}/state`, as(viewer, { state: 'maintenance' })), 403, 'FORBIDDEN');
    expectProblem(await api.call('DELETE', `/api/v6/spaces/${space.id}`, as(viewer)), 403, 'FORBIDDEN');
    // Nothing changed.
    expect(expectStatus(await api.call('GET', `/api/v1/spaces/${space.id}`, as(viewer)), 200)).toEqual(space);
    expect(ids(expectStatus(await api.call('GET', `/api/v1/sites/${site.id}/zones`, as(viewer)), 200))).toEqual([zone.id]);
  });

  it('refuses bad input with 400 naming each field', async () => {
    const site = await newSite();
    const bad = async (method: string, url: string, body?: unknown) => fieldsOf(expectProblem(await api.call(method, url, as(owner, body)), 400, 'VALIDATION_FAILED'));
    expect(await bad('POST', '/api/v1/sites', { name: 'x', category: 'garage', colour: 'red' })).toEqual(['category', 'colour']);
    expect(await bad('POST', '/api/v1/sites', { name: 'x', category: 'on_street', timeZone: 'Mars/Olympus', openingHours: { mon: ['22:00-07:00'] } })).toEqual(['openingHours', 'timeZone']);
    expect(await bad('POST', '/api/v1/sites', { name: 'x', category: 'on_street', location: { latitude: 95, longitude: 13 } })).toEqual(['location.latitude']);
    expect(await bad('PATCH', `/api/v1/sites/${site.id}`, { heartbeatTimeoutSeconds: 1 })).toEqual(['heartbeatTimeoutSeconds']);
    expect(await bad('GET', '/api/v1/sites/not-a-uuid')).toEqual(['id']);
    expect(await bad('GET', '/api/v1/sites?limit=501')).toEqual(['limit']);
    expect(await bad('POST', `/api/v1/sites/${site.id}/zones`, { name: '', kind: 'floor' })).toEqual(['kind', 'name']);
    expect(await bad('POST', '/api/v1/spaces', { siteId: site.id, code: '!bad', type: 'truck', tags: ['ok', 'not ok'] })).toEqual(['code', 'tags', 'type']);
    expect(await bad('GET', '/api/v1/spaces?state=parked&siteId=nope')).toEqual(['siteId', 'state']);
    expect(await bad('GET', `/api/v1/spaces/${unknownId()}?verbose=1`)).toEqual(['verbose']);
    expect(await bad('PUT', `/api/v1/spaces/${unknownId()}/sensor`, { devEui: 'xyz' })).toEqual(['devEui']);
    expect(await bad('PUT', `/api/v1/spaces/${unknownId()}/maintenance`, { reason: 'r'.repeat(501) })).toEqual(['reason']);
    expectProblem(await api.call('GET', `/api/v1/spaces/${unknownId()}`, as(owner)), 404, 'NOT_FOUND');
  });

  it('documents every occupancy route in a valid OpenAPI document', async () => {
    const document = expectStatus(await api.call('GET', '/docs/openapi.json'), 200);
    const routes: Record<string, string[]> = {
      '/api/v1/sites': ['get', 'post'],
      '/api/v1/sites/{id}': ['delete', 'get', 'patch'],
      '/api/v1/sites/{id}/zones': ['get', 'post'],
      '/api/v1/sites/{id}/availability': ['get'],
      '/api/v1/zones/{id}': ['delete', 'get', 'patch'],
      '/api/v1/spaces': ['get', 'post'],
      '/api/v1/spaces/{id}': ['delete', 'get', 'patch'],
      '/api/v1/spaces/{id}/sensor': ['delete', 'put'],
      '/api/v1/spaces/{id}/maintenance': ['delete', 'put'],
      '/api/v6/spaces': ['get', 'post'],
      '/api/v6/spaces/{id}': ['delete', 'get', 'put'],
      '/api/v6/spaces/{id}/state': ['put'],
      '/api/v6/spaces/stats/occupancy': ['get'],
    };
    for (const [route, methods] of Object.entries(routes)) {
      expect({ route, methods: Object.keys(document.paths[route] ?? {}).sort() }).toEqual({ route, methods });
    }
    expect(document.paths['/api/v6/spaces/{id}/state'].put.description).toContain('free and occupied clear it');
    expect(await validateOpenApi(document)).toEqual({ valid: true, openapi: '3.1.0' });
  });
});
