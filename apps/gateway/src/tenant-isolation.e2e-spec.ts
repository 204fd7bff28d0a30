/**
 * Tenant isolation of every REST route that takes an object id, through the compiled gateway,
 * identity, ingest, occupancy, reservations, downlink and chirpstack-sync processes (real PostgreSQL with RLS, NATS). The routes come from the running
 * gateway's OpenAPI document, so a route added later fails this test until it is in the table.
 */
import { randomBytes } from 'node:crypto';
import { expectEventually } from '@parking/testing';
import { startApiStack, unknownId, type ApiAnswer, type ApiStack, type SignedIn } from '../test/api-stack';
import { bookableSpaces, keyed, reservableSite, windowFromNow } from '../test/bookable-spaces';

/** How to make one tenant's object through the public API, and read it back as that tenant. */
interface IdObject {
  /** Creates a fresh object owned by `owner`'s tenant and answers its id. */
  create(owner: SignedIn): Promise<string>;
  /** Everything a client of the owning tenant can see of the object (must not change). */
  read(owner: SignedIn, id: string): Promise<unknown>;
  /** An id of the same shape that no tenant has (default: a fresh UUID). */
  missingId?(): string;
}

interface TenantRoute {
  object: IdObject;
  /** A body the route accepts (so only tenancy can make it fail). */
  body?: unknown;
  /** Request headers the route needs, made afresh for each call (e.g. an Idempotency-Key). */
  headers?: () => Record<string, string>;
  /** What the same call answers on the caller's own object. */
  okStatus: number;
}

let api: ApiStack;
/** B makes the calls on its own objects (see gatewaySiteOf). */
let tenantBId = '';

function expectOk(answer: ApiAnswer, status = 200): ApiAnswer['body'] {
  if (answer.status !== status) throw new Error(`expected ${status}, got ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

const invitedUser: IdObject = {
  async create(owner) {
    return (await api.inviteAndAccept(owner, 'viewer', 'member')).userId;
  },
  async read(owner, id) {
    const page = expectOk(await api.call('GET', '/api/v1/users?limit=200', { accessToken: owner.accessToken }));
    return page.items.find((user: { id: string }) => user.id === id) ?? `user ${id} is gone`;
  },
};

const apiKey: IdObject = {
  async create(owner) {
    return expectOk(await api.call('POST', '/api/v1/api-keys', { accessToken: owner.accessToken, body: { name: 'isolation probe', scopes: ['spaces:read'] } }), 201).apiKey.id;
  },
  async read(owner, id) {
    const page = expectOk(await api.call('GET', '/api/v1/api-keys?limit=200', { accessToken: owner.accessToken }));
    return page.items.find((key: { id: string }) => key.id === id) ?? `API key ${id} is gone`;
  },
};

const webhookIntegration: IdObject = {
  async create(owner) {
    return expectOk(await api.call('POST', '/api/v1/webhook-integrations', { accessToken: owner.accessToken, body: { name: 'isolation probe' } }), 201).integration.id;
  },
  async read(owner, id) {
    const answer = await api.call('GET', `/api/v1/webhook-integrations/${id}`, { accessToken: owner.accessToken });
    return answer.status === 200 ? answer.body : `integration ${id}: ${answer.status}`;
  },
};

/** Devices are addressed by devEUI (16 hex digits), not by a UUID. */
const device: IdObject = {
  async create(owner) {
    const devEui = randomBytes(8).toString('hex');
    const body = { devEui, kind: 'sensor', codec: 'nwave-nps405', name: 'isolation probe' };
    return expectOk(await api.call('POST', '/api/v1/devices', { accessToken: owner.accessToken, body }), 201).devEui;
  },
  async read(owner, id) {
    const answer = await api.call('GET', `/api/v1/devices/${id}`, { accessToken: owner.accessToken });
    return answer.status === 200 ? { id: answer.body.devEui, device: answer.body } : `device ${id}: ${answer.status}`;
  },
  missingId: () => randomBytes(8).toString('hex'),
};

/** Reads an object back through `path`, or says what the answer was. */
async function readBack(owner: SignedIn, path: string): Promise<unknown> {
  const answer = await api.call('GET', path, { accessToken: owner.accessToken });
  return answer.status === 200 ? answer.body : `${path}: ${answer.status}`;
}

async function createSite(owner: SignedIn): Promise<string> {
  return expectOk(await api.call('POST', '/api/v1/sites', { accessToken: owner.accessToken, body: { name: 'isolation probe', category: 'off_street' } }), 201).id;
}

const site: IdObject = {
  create: createSite,
  read: (owner, id) => readBack(owner, `/api/v1/sites/${id}`),
};

const zone: IdObject = {
  async create(owner) {
    const siteId = await createSite(owner);
    return expectOk(await api.call('POST', `/api/v1/sites/${siteId}/zones`, { accessToken: owner.accessToken, body: { name: 'isolation probe' } }), 201).id;
  },
  read: (owner, id) => readBack(owner, `/api/v1/zones/${id}`),
};

const space: IdObject = {
  async create(owner) {
    const siteId = await createSite(owner);
    return expectOk(await api.call('POST', '/api/v1/spaces', { accessToken: owner.accessToken, body: { siteId, code: 'PROBE-1' } }), 201).id;
  },
  read: (owner, id) => readBack(owner, `/api/v1/spaces/${id}`),
};

/** A sensor of tenant B (registered in beforeAll), so that B may put it under its own space. */
const sensorOfB = randomBytes(8).toString('hex');

/**
 * Spaces the reservations service knows, per tenant (made in beforeAll: it learns them from
 * occupancy's events). Each booking or availability probe takes a space of its own.
 */
const bookable = new Map<string, string[]>();
function nextBookableSpace(owner: SignedIn): string {
  const spaceId = bookable.get(owner.tenantId)?.shift();
  if (!spaceId) throw new Error(`no bookable space of tenant ${owner.tenantId} is left: make more in beforeAll`);
  return spaceId;
}
const BOOKABLE_SPACES_PER_TENANT = 8;

/** Starts within minutes, so that its check-in window is open; one space each, so none overlaps another. */
const reservation: IdObject = {
  async create(owner) {
    const body = { spaceId: nextBookableSpace(owner), ...windowFromNow() };
    return expectOk(await api.call('POST', '/api/v1/reservations', { accessToken: owner.accessToken, headers: keyed(), body }), 201).id;
  },
  read: (owner, id) => readBack(owner, `/api/v1/reservations/${id}`),
};

const bookableSpace: IdObject = {
  create: async (owner) => nextBookableSpace(owner),
  read: (owner, id) => readBack(owner, `/api/v1/spaces/${id}`),
};

/** A site with what the reservations service keeps of it: its booking settings and tariffs. */
const reservableSiteObject: IdObject = {
  create: (owner) => reservableSite(api, { accessToken: owner.accessToken }),
  async read(owner, id) {
    return { id, site: await readBack(owner, `/api/v1/sites/${id}`), settings: await readBack(owner, `/api/v1/sites/${id}/reservation-settings`), tariffs: await readBack(owner, `/api/v1/tariffs?siteId=${id}`) };
  },
};

const TARIFF = {
  name: 'isolation probe',
  currency: 'EUR',
  effectiveFrom: '2026-01-01',
  bands: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], time: '00:00-24:00', incrementMinutes: 15, tiers: [{ ratePerHour: 200 }] }],
};
const SITE_SETTINGS = { taxMode: 'added', taxRatePercent: 19, cancellation: { freeUntilMinutesBefore: 60, fee: { fixed: 300 } } };

/** Each on a site of its own: a site's tariffs do not get in each other's way. */
const tariff: IdObject = {
  async create(owner) {
    const siteId = await reservableSite(api, { accessToken: owner.accessToken });
    return expectOk(await api.call('POST', `/api/v1/sites/${siteId}/tariffs`, { accessToken: owner.accessToken, body: TARIFF }), 201).id;
  },
  read: (owner, id) => readBack(owner, `/api/v1/tariffs/${id}`),
};

/** Points at no ChirpStack: the test route still answers (a finding, not an error). */
const CONNECTION = {
  name: 'isolation probe',
  apiUrl: 'http://127.0.0.1:9',
  apiToken: 'isolation-probe-token',
  chirpstackTenantId: '0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d10',
  applicationId: '1c9e4b63-9b55-4e9f-8b62-4f8f3d2f6e21',
};
let connectionsMade = 0;
/** A fresh ChirpStack connection of its own, under a name no other probe takes. */
const chirpstackConnection: IdObject = {
  async create(owner) {
    return expectOk(await api.call('POST', '/api/v1/chirpstack/connections', { accessToken: owner.accessToken, body: { ...CONNECTION, name: `isolation probe ${++connectionsMade}` } }), 201).id;
  },
  read: (owner, id) => readBack(owner, `/api/v1/chirpstack/connections/${id}`),
};

/** A registered device once chirpstack-sync has heard of it; read back as what a call could change (its attempts go on meanwhile). */
const syncedDevice: IdObject = {
  async create(owner) {
    const devEui = await device.create(owner);
    await expectEventually(async () => expect((await api.call('GET', `/api/v1/devices/${devEui}/chirpstack`, { accessToken: owner.accessToken })).status).toBe(200), { timeoutMs: 15_000, intervalMs: 100 });
    return devEui;
  },
  async read(owner, id) {
    const answer = await api.call('GET', `/api/v1/devices/${id}/chirpstack`, { accessToken: owner.accessToken });
    if (answer.status !== 200) return `device ${id} in chirpstack-sync: ${answer.status}`;
    const { devEui, deviceId, deviceVersion, removed, keys } = answer.body;
    return { id: devEui, deviceId, deviceVersion, removed, keys };
  },
  missingId: device.missingId,
};
const OTAA_KEYS = { nwkKey: '2b7e151628aed2a6abf7158809cf4f3c', appKey: '000102030405060708090a0b0c0d0e0f' };

/** A run of a fresh connection that points at no ChirpStack: it fails, and is kept. */
const reconciliationRun: IdObject = {
  async create(owner) {
    const connectionId = await chirpstackConnection.create(owner);
    return expectOk(await api.call('POST', '/api/v1/chirpstack/reconcile', { accessToken: owner.accessToken, body: { connectionId } })).runs[0].id;
  },
  read: (owner, id) => readBack(owner, `/api/v1/chirpstack/reconciliation-runs/${id}`),
};

/** The site of each tenant's latest probe gateway: PUT names it (a cross-tenant call is refused before the site is looked at). */
const gatewaySiteOf = new Map<string, string>();
/** On a fresh site and connection (which points at no ChirpStack: the gateway stays pending, which no route here depends on). */
const loraGateway: IdObject = {
  async create(owner) {
    const siteId = await createSite(owner);
    await chirpstackConnection.create(owner);
    const gatewayId = randomBytes(8).toString('hex');
    // chirpstack-sync hears of the site from occupancy's event within moments.
    await expectEventually(
      async () => expect((await api.call('POST', '/api/v1/gateways', { accessToken: owner.accessToken, body: { gatewayId, siteId, name: 'isolation probe' } })).status).toBe(201),
      { timeoutMs: 15_000, intervalMs: 200 },
    );
    gatewaySiteOf.set(owner.tenantId, siteId);
    return gatewayId;
  },
  async read(owner, id) {
    const answer = await api.call('GET', `/api/v1/gateways/${id}`, { accessToken: owner.accessToken });
    if (answer.status !== 200) return `gateway ${id}: ${answer.status}`;
    const { gatewayId, siteId, name, tags, version } = answer.body;
    return { id: gatewayId, siteId, name, tags, version };
  },
  missingId: () => randomBytes(8).toString('hex'),
};

/** Each tenant's latest display site: a rebind names it (a cross-tenant call is refused before the target is looked at). */
const displaySiteOf = new Map<string, string>();
/** A bay light over a fresh space, once the downlink service has heard of the device and the space. */
const display: IdObject = {
  async create(owner) {
    const siteId = await createSite(owner);
    const spaceId = expectOk(await api.call('POST', '/api/v1/spaces', { accessToken: owner.accessToken, body: { siteId, code: 'PROBE-LIGHT' } }), 201).id;
    const devEui = randomBytes(8).toString('hex');
    expectOk(await api.call('POST', '/api/v1/devices', { accessToken: owner.accessToken, body: { devEui, kind: 'display', codec: 'kuando-busylight', name: 'isolation probe' } }), 201);
    displaySiteOf.set(owner.tenantId, siteId);
    return expectEventually(
      async () => expectOk(await api.call('POST', '/api/v1/displays', { accessToken: owner.accessToken, body: { devEui, name: 'isolation probe', target: 'space', targetId: spaceId } }), 201).id,
      { timeoutMs: 15_000, intervalMs: 100 },
    );
  },
  read: (owner, id) => readBack(owner, `/api/v1/displays/${id}`),
};
const OVERRIDE = { colour: { red: 255, green: 160, blue: 0 }, expiresAt: new Date(Date.now() + 86_400_000).toISOString(), reason: 'isolation probe' };

/** A site the downlink service knows (it hears of sites from occupancy's events), with its signage policy. */
const signageSite: IdObject = {
  async create(owner) {
    const siteId = await createSite(owner);
    await expectEventually(async () => expectOk(await api.call('GET', `/api/v1/sites/${siteId}/signage-policy`, { accessToken: owner.accessToken })), { timeoutMs: 15_000, intervalMs: 100 });
    return siteId;
  },
  async read(owner, id) {
    return { id, site: await readBack(owner, `/api/v1/sites/${id}`), policy: await readBack(owner, `/api/v1/sites/${id}/signage-policy`) };
  },
};

/** A zone the downlink service knows (ending the overrides of a zone without any changes nothing). */
const signageZone: IdObject = {
  async create(owner) {
    const zoneId = await zone.create(owner);
    await expectEventually(async () => expectOk(await api.call('DELETE', `/api/v1/zones/${zoneId}/display-override`, { accessToken: owner.accessToken })), { timeoutMs: 15_000, intervalMs: 100 });
    return zoneId;
  },
  read: zone.read,
};

/** Later than any probe booking ends, within its 31 days. */
const EXTENDED_END = new Date(Date.now() + 86_400_000).toISOString();
const DAY_AFTER = windowFromNow(2 * 24 * 60);

/**
 * Every tenant-scoped route with a path parameter. Each `{…}` in the path is filled with the
 * object's id. ADD NEW `{id}` ROUTES HERE (a later issue's sites, spaces, devices …).
 */
const TENANT_ROUTES: Record<string, TenantRoute> = {
  'PATCH /api/v1/users/{id}/role': { object: invitedUser, body: { role: 'owner' }, okStatus: 200 },
  'DELETE /api/v1/users/{id}': { object: invitedUser, okStatus: 200 },
  'DELETE /api/v1/api-keys/{id}': { object: apiKey, okStatus: 200 },
  'POST /api/v1/api-keys/{id}/rotate': { object: apiKey, okStatus: 200 },
  'GET /api/v1/webhook-integrations/{id}': { object: webhookIntegration, okStatus: 200 },
  'DELETE /api/v1/webhook-integrations/{id}': { object: webhookIntegration, okStatus: 200 },
  'POST /api/v1/webhook-integrations/{id}/rotate': { object: webhookIntegration, body: { graceSeconds: 0 }, okStatus: 200 },
  'GET /api/v1/devices/{devEui}': { object: device, okStatus: 200 },
  'PATCH /api/v1/devices/{devEui}': { object: device, body: { name: 'renamed by probe', tags: { probe: 'yes' } }, okStatus: 200 },
  'DELETE /api/v1/devices/{devEui}': { object: device, okStatus: 200 },
  'GET /api/v6/devices/{devEui}': { object: device, okStatus: 200 },
  'PATCH /api/v6/devices/{devEui}': { object: device, body: { name: 'renamed by probe' }, okStatus: 200 },
  'DELETE /api/v6/devices/{devEui}': { object: device, okStatus: 200 },
  'GET /api/v1/sites/{id}': { object: site, okStatus: 200 },
  'PATCH /api/v1/sites/{id}': { object: site, body: { name: 'renamed by probe' }, okStatus: 200 },
  'DELETE /api/v1/sites/{id}': { object: site, okStatus: 200 },
  'POST /api/v1/sites/{id}/zones': { object: site, body: { name: 'probe zone' }, okStatus: 201 },
  'GET /api/v1/sites/{id}/zones': { object: site, okStatus: 200 },
  'GET /api/v1/sites/{id}/availability': { object: site, okStatus: 200 },
  'GET /api/v1/sites/{id}/fiware': { object: site, okStatus: 200 },
  'GET /api/v1/sites/{id}/events': { object: site, okStatus: 200 },
  'GET /api/v1/sites/{id}/datex2': { object: site, okStatus: 200 },
  'GET /api/v1/sites/{id}/spaces': { object: site, okStatus: 200 },
  'GET /api/v1/zones/{id}': { object: zone, okStatus: 200 },
  'PATCH /api/v1/zones/{id}': { object: zone, body: { name: 'renamed by probe' }, okStatus: 200 },
  'DELETE /api/v1/zones/{id}': { object: zone, okStatus: 200 },
  'GET /api/v1/spaces/{id}': { object: space, okStatus: 200 },
  'PATCH /api/v1/spaces/{id}': { object: space, body: { name: 'renamed by probe', tags: ['probe'] }, okStatus: 200 },
  'DELETE /api/v1/spaces/{id}': { object: space, okStatus: 200 },
  'PUT /api/v1/spaces/{id}/sensor': { object: space, body: { devEui: sensorOfB }, okStatus: 200 },
  'DELETE /api/v1/spaces/{id}/sensor': { object: space, okStatus: 200 },
  'PUT /api/v1/spaces/{id}/maintenance': { object: space, body: { reason: 'isolation probe' }, okStatus: 200 },
  'DELETE /api/v1/spaces/{id}/maintenance': { object: space, okStatus: 200 },
  'GET /api/v1/spaces/{id}/transitions': { object: space, okStatus: 200 },
  'GET /api/v1/sites/{id}/stats/occupancy': { object: site, okStatus: 200 },
  'GET /api/v1/sites/{id}/stats/dwell': { object: site, okStatus: 200 },
  'GET /api/v1/sites/{id}/stats/turnover': { object: site, okStatus: 200 },
  'GET /api/v1/zones/{id}/stats/occupancy': { object: zone, okStatus: 200 },
  'GET /api/v1/spaces/{id}/stats/turnover': { object: space, okStatus: 200 },
  'GET /api/v6/spaces/{id}': { object: space, okStatus: 200 },
  'PUT /api/v6/spaces/{id}': { object: space, body: { name: 'renamed by probe' }, okStatus: 200 },
  'DELETE /api/v6/spaces/{id}': { object: space, okStatus: 200 },
  'PUT /api/v6/spaces/{id}/state': { object: space, body: { state: 'maintenance' }, okStatus: 200 },
  'GET /api/v1/reservations/{id}': { object: reservation, okStatus: 200 },
  'POST /api/v1/reservations/{id}/extend': { object: reservation, headers: keyed, body: { endTime: EXTENDED_END }, okStatus: 200 },
  'POST /api/v1/reservations/{id}/cancel': { object: reservation, body: { reason: 'isolation probe' }, okStatus: 200 },
  'POST /api/v1/reservations/{id}/check-in': { object: reservation, body: {}, okStatus: 200 },
  'GET /api/v6/reservations/{id}': { object: reservation, okStatus: 200 },
  'PUT /api/v6/reservations/{id}/cancel': { object: reservation, body: { reason: 'isolation probe' }, okStatus: 200 },
  'POST /api/v6/reservations/{space_id}/check-availability': { object: bookableSpace, body: { start_time: DAY_AFTER.startTime, end_time: DAY_AFTER.endTime }, okStatus: 200 },
  'POST /api/v1/sites/{id}/tariffs': { object: reservableSiteObject, body: TARIFF, okStatus: 201 },
  'GET /api/v1/sites/{id}/reservation-settings': { object: reservableSiteObject, okStatus: 200 },
  'PUT /api/v1/sites/{id}/reservation-settings': { object: reservableSiteObject, body: SITE_SETTINGS, okStatus: 200 },
  'GET /api/v1/tariffs/{id}': { object: tariff, okStatus: 200 },
  'PUT /api/v1/tariffs/{id}': { object: tariff, body: { ...TARIFF, name: 'renamed by probe' }, okStatus: 200 },
  'DELETE /api/v1/tariffs/{id}': { object: tariff, okStatus: 200 },
  'GET /api/v1/devices/{devEui}/chirpstack': { object: syncedDevice, okStatus: 200 },
  'PUT /api/v1/devices/{devEui}/keys': { object: syncedDevice, body: OTAA_KEYS, okStatus: 200 },
  'GET /api/v1/chirpstack/connections/{id}': { object: chirpstackConnection, okStatus: 200 },
  'PUT /api/v1/chirpstack/connections/{id}': { object: chirpstackConnection, body: { ...CONNECTION, name: 'renamed by probe' }, okStatus: 200 },
  'DELETE /api/v1/chirpstack/connections/{id}': { object: chirpstackConnection, okStatus: 200 },
  'POST /api/v1/chirpstack/connections/{id}/test': { object: chirpstackConnection, okStatus: 200 },
  'GET /api/v1/chirpstack/reconciliation-runs/{id}': { object: reconciliationRun, okStatus: 200 },
  'GET /api/v1/gateways/{gatewayId}': { object: loraGateway, okStatus: 200 },
  'PUT /api/v1/gateways/{gatewayId}': {
    object: loraGateway,
    body: {
      get siteId() {
        return gatewaySiteOf.get(tenantBId);
      },
      name: 'renamed by probe',
    },
    okStatus: 200,
  },
  'DELETE /api/v1/gateways/{gatewayId}': { object: loraGateway, okStatus: 200 },
  'GET /api/v1/gateways/{gatewayId}/stats': { object: loraGateway, okStatus: 200 },
  'GET /api/v6/gateways/{gatewayId}': { object: loraGateway, okStatus: 200 },
  'GET /api/v6/gateways/{gatewayId}/stats': { object: loraGateway, okStatus: 200 },
  'GET /api/v1/displays/{id}': { object: display, okStatus: 200 },
  'PUT /api/v1/displays/{id}': {
    object: display,
    body: {
      target: 'site',
      get targetId() {
        return displaySiteOf.get(tenantBId);
      },
      name: 'renamed by probe',
    },
    okStatus: 200,
  },
  'DELETE /api/v1/displays/{id}': { object: display, okStatus: 200 },
  'PUT /api/v1/displays/{id}/override': { object: display, body: OVERRIDE, okStatus: 200 },
  'DELETE /api/v1/displays/{id}/override': { object: display, okStatus: 200 },
  'POST /api/v1/displays/{id}/refresh': { object: display, okStatus: 200 },
  'GET /api/v1/displays/{id}/commands': { object: display, okStatus: 200 },
  'GET /api/v1/displays/{id}/stats': { object: display, okStatus: 200 },
  'GET /api/v1/sites/{id}/signage-policy': { object: signageSite, okStatus: 200 },
  'PUT /api/v1/sites/{id}/signage-policy': { object: signageSite, body: { states: { free: { colour: { red: 0, green: 0, blue: 255 }, blink: 'steady' } } }, okStatus: 200 },
  'PUT /api/v1/sites/{id}/display-override': { object: signageSite, body: OVERRIDE, okStatus: 200 },
  'DELETE /api/v1/sites/{id}/display-override': { object: signageSite, okStatus: 200 },
  'PUT /api/v1/zones/{id}/display-override': { object: signageZone, body: OVERRIDE, okStatus: 200 },
  'DELETE /api/v1/zones/{id}/display-override': { object: signageZone, okStatus: 200 },
};

/** Platform-admin routes act across tenants by design: a tenant owner is refused with 403, whatever the id. */
const ADMIN_ROUTES: Record<string, { body?: unknown; adminAnswer?: { status: number; code: string } }> = {
  'POST /api/v1/admin/tenants/{id}/suspend': { body: { reason: 'isolation probe', suspended: true } },
  'PUT /api/v1/admin/tenants/{id}/plan': { body: { reason: 'isolation probe', plan: 'standard' } },
  'PUT /api/v1/admin/tenants/{id}/limits': { body: { reason: 'isolation probe', limits: { users: 1 } } },
  'PUT /api/v1/admin/tenants/{id}/features': { body: { reason: 'isolation probe', features: { reservations: false } } },
  // Addressed by devEUI and dead-letter sequence, not by tenant: a tenant id there is refused as input, even for the admin.
  'POST /api/v1/admin/orphans/{devEui}/assign': {
    body: { reason: 'isolation probe', tenantId: '0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d10', codec: 'nwave-nps405', name: 'probe' },
    adminAnswer: { status: 400, code: 'VALIDATION_FAILED' },
  },
  'POST /api/v1/admin/dead-letters/{seq}/replay': { body: { reason: 'isolation probe' }, adminAnswer: { status: 400, code: 'VALIDATION_FAILED' } },
};

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'];

function fill(template: string, id: string): string {
  return template.replace(/\{[^}]+\}/g, id);
}

function expectProblem(answer: ApiAnswer, status: number, code: string, route: string): void {
  const seen = { route, status: answer.status, code: answer.body?.code, contentType: answer.headers.get('content-type') };
  expect(seen).toEqual({ route, status, code, contentType: expect.stringMatching(/^application\/problem\+json/) });
}

describe('tenant isolation of every route with an id', () => {
  let tenantA: SignedIn;
  let tenantB: SignedIn;

  beforeAll(async () => {
    api = await startApiStack({ prefix: 'gateway-tenant-isolation', services: ['identity', 'gateway', 'ingest', 'occupancy', 'reservations', 'downlink', 'chirpstack-sync'] });
    [tenantA, tenantB] = await Promise.all([api.register('tenant-a'), api.register('tenant-b')]);
    tenantBId = tenantB.tenantId;
    await Promise.all([api.upgrade(tenantA.tenantId), api.upgrade(tenantB.tenantId)]);
    expectOk(await api.call('POST', '/api/v1/devices', { accessToken: tenantB.accessToken, body: { devEui: sensorOfB, kind: 'sensor', codec: 'nwave-nps405', name: 'isolation probe' } }), 201);
    // Occupancy learns the plans' limits from identity's events and the sensor from ingest's.
    await expectEventually(
      async () => {
        const limits = await api.sql('SELECT sites FROM occupancy.tenant_limits WHERE tenant_id = ANY($1::uuid[])', [[tenantA.tenantId, tenantB.tenantId]]);
        expect(limits).toEqual([{ sites: null }, { sites: null }]);
        expect(await api.sql('SELECT kind FROM occupancy.sensors WHERE dev_eui = $1', [sensorOfB])).toEqual([{ kind: 'sensor' }]);
      },
      { timeoutMs: 15_000, intervalMs: 100 },
    );
    for (const owner of [tenantA, tenantB]) bookable.set(owner.tenantId, (await bookableSpaces(api, { accessToken: owner.accessToken }, BOOKABLE_SPACES_PER_TENANT)).spaceIds);
  }, 180_000);

  afterAll(async () => {
    await api?.stop();
  });

  it("answers another tenant's object id with 404 on every {id} route and leaves the object as it was", async () => {
    const document = expectOk(await api.call('GET', '/docs/openapi.json'));
    const discovered = Object.entries(document.paths as Record<string, Record<string, unknown>>)
      .filter(([template]) => /\{[^}]+\}/.test(template))
      .flatMap(([template, operations]) => Object.keys(operations).filter((method) => HTTP_METHODS.includes(method)).map((method) => `${method.toUpperCase()} ${template}`))
      .sort();
    const covered = [...Object.keys(TENANT_ROUTES), ...Object.keys(ADMIN_ROUTES)].sort();
    const untested = discovered.filter((route) => !covered.includes(route));
    const stale = covered.filter((route) => !discovered.includes(route));
    if (untested.length > 0 || stale.length > 0) {
      throw new Error(
        [
          untested.length > 0 ? `The OpenAPI document has {id} routes this test does not cover: ${untested.join(', ')}. Add each to TENANT_ROUTES in ${__filename} (how to create a tenant's object and read it back), or to ADMIN_ROUTES if only platform admins may call it.` : '',
          stale.length > 0 ? `TENANT_ROUTES/ADMIN_ROUTES name routes the gateway no longer has: ${stale.join(', ')}. Remove them.` : '',
        ].join(' '),
      );
    }
    expect(discovered).toEqual(covered);
    expect(discovered.length).toBeGreaterThanOrEqual(11);

    const failures: string[] = [];
    for (const [route, entry] of Object.entries(TENANT_ROUTES)) {
      const [method, template] = route.split(' ');
      try {
        const [idOfA, idOfB] = await Promise.all([entry.object.create(tenantA), entry.object.create(tenantB)]);
        const before = await entry.object.read(tenantA, idOfA);
        expect(before).toMatchObject({ id: idOfA });

        // B's owner holds every permission: only the tenant boundary can refuse this.
        const crossTenant = await api.call(method, fill(template, idOfA), { accessToken: tenantB.accessToken, body: entry.body, headers: entry.headers?.() });
        expectProblem(crossTenant, 404, 'NOT_FOUND', route);
        // Indistinguishable from an id that does not exist at all: no existence oracle.
        const missingId = entry.object.missingId?.() ?? unknownId();
        const nowhere = await api.call(method, fill(template, missingId), { accessToken: tenantB.accessToken, body: entry.body, headers: entry.headers?.() });
        expectProblem(nowhere, 404, 'NOT_FOUND', route);
        expect(crossTenant.body.detail.replaceAll(idOfA, '<id>')).toBe(nowhere.body.detail.replaceAll(missingId, '<id>'));

        expect(await entry.object.read(tenantA, idOfA)).toEqual(before);

        // The same call on B's own object works: the 404 above is the tenant boundary, not a broken route.
        const own = await api.call(method, fill(template, idOfB), { accessToken: tenantB.accessToken, body: entry.body, headers: entry.headers?.() });
        expect({ route, status: own.status }).toEqual({ route, status: entry.okStatus });
      } catch (error) {
        failures.push(`${route}: ${(error as Error).message}`);
      }
    }

    const meOfA = async () => expectOk(await api.call('GET', '/api/v1/auth/me', { accessToken: tenantA.accessToken }));
    const tenantBefore = await meOfA();
    expect(tenantBefore.tenant).toMatchObject({ id: tenantA.tenantId, status: 'active' });
    for (const [route, entry] of Object.entries(ADMIN_ROUTES)) {
      const [method, template] = route.split(' ');
      try {
        const refused = await api.call(method, fill(template, tenantA.tenantId), { accessToken: tenantB.accessToken, body: entry.body });
        expectProblem(refused, 403, 'FORBIDDEN', route);
        expect(refused.body.detail).toMatch(/platform administrators/);
        // Not even its own tenant.
        expectProblem(await api.call(method, fill(template, tenantB.tenantId), { accessToken: tenantB.accessToken, body: entry.body }), 403, 'FORBIDDEN', route);
      } catch (error) {
        failures.push(`${route}: ${(error as Error).message}`);
      }
    }
    expect(await meOfA()).toEqual(tenantBefore);
    // The bodies above are ones the routes accept: the platform admin gets through with them (on B, last).
    for (const [route, entry] of Object.entries(ADMIN_ROUTES)) {
      const [method, template] = route.split(' ');
      const answer = await api.call(method, fill(template, tenantB.tenantId), { accessToken: api.admin.accessToken, body: entry.body });
      if (entry.adminAnswer) expectProblem(answer, entry.adminAnswer.status, entry.adminAnswer.code, route);
      else expect({ route, status: answer.status, tenant: answer.body?.id }).toEqual({ route, status: 200, tenant: tenantB.tenantId });
    }
    expect((await meOfA()).tenant.status).toBe('active');

    expect(failures).toEqual([]);
  });
});
