/**
 * Fuzzing every route of the OpenAPI document, and the ChirpStack webhook routes with every
 * event type in JSON and protobuf, against the whole platform (the seven compiled services):
 * requests shaped by each operation's schemas with junk mixed in at every level, path ids of
 * the caller's own objects, of another tenant's and unknown ones. For every answer:
 * - nothing is 5xx;
 * - every error is application/problem+json;
 * - no answer carries the other tenant's ids or names;
 * - a 4xx to a write changes none of the caller's rows (a checksum of its tenant's rows before and after).
 * FUZZ_RUNS inputs (10,000) from FUZZ_SEED (fixed; `random` for a new one, printed to replay it).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { Client } from 'pg';
import { ALL_SERVICES } from '@parking/testing';
import { expectStatus, startApiStack, type ApiStack, type SignedIn } from '../api-stack';
import { arbitraryFor, junk, type OpenApiDocument, type Operation } from './schema-arbitrary';

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const SEED = process.env.FUZZ_SEED === 'random' ? Math.floor(Math.random() * 2 ** 31) : Number(process.env.FUZZ_SEED ?? 20_261_207);
const DOC = JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', '..', 'dist', 'openapi.json'), 'utf8')) as OpenApiDocument;
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const CHIRPSTACK_EVENTS = ['up', 'join', 'ack', 'txack', 'log', 'status', 'location', 'integration'];
// Columns that change by themselves (uplinks, last use): not what a refused request may have changed.
const VOLATILE = ['updated_at', 'last_seen_at', 'uplink_count', 'battery_percent', 'battery_voltage', 'temperature_c', 'margin_db', 'last_f_cnt', 'dev_addr',
  'location_source', 'located_at', 'last_status_at', 'last_received_at', 'rejected_count', 'last_rejections', 'last_used_at', 'last_login_at', 'state', 'checked_in_at', 'online', 'last_seen'];
const CHECKED_TABLES = ['identity.users', 'identity.api_keys', 'identity.webhook_integrations', 'occupancy.sites', 'occupancy.zones', 'occupancy.spaces', 'occupancy.space_sensors',
  'ingest.devices', 'reservations.reservations', 'reservations.tariffs', 'downlink.displays', 'downlink.policies', 'chirpstack.connections', 'chirpstack.gateways'];

interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

describe(`fuzzing every route (${RUNS} inputs, seed ${SEED})`, () => {
  let api: ApiStack;
  let owner: SignedIn;
  let stranger: SignedIn;
  let integrationToken: string;
  let db: Client | undefined;
  const mine: string[] = [];
  const theirs: string[] = [];
  const devEuis = { mine: randomBytes(8).toString('hex'), theirs: randomBytes(8).toString('hex') };

  beforeAll(async () => {
    api = await startApiStack({
      prefix: 'fuzz',
      services: ALL_SERVICES,
      env: { RATE_LIMIT_PER_IP: '1000000', RATE_LIMIT_PER_USER: '1000000', RATE_LIMIT_PER_API_KEY: '1000000', WEBHOOK_AUTH_FAILURES_PER_IP: '1000000' },
    });
    const seed = async (label: string, into: string[], devEui: string): Promise<SignedIn> => {
      const user = await api.register(label);
      await api.upgrade(user.tenantId);
      const as = (body?: unknown) => ({ accessToken: user.accessToken, body });
      const site = expectStatus(await api.call('POST', '/api/v1/sites', as({ name: `${label}-site-${randomBytes(3).toString('hex')}`, category: 'off_street' })), 201);
      const zone = expectStatus(await api.call('POST', `/api/v1/sites/${site.id}/zones`, as({ name: `${label}-zone`, kind: 'level' })), 201);
      const space = expectStatus(await api.call('POST', '/api/v1/spaces', as({ siteId: site.id, zoneId: zone.id, code: `${label}-1` })), 201);
      const device = expectStatus(await api.call('POST', '/api/v1/devices', as({ devEui, kind: 'sensor', codec: 'nwave-nps405', name: `${label}-sensor` })), 201);
      const integration = expectStatus(await api.call('POST', '/api/v1/webhook-integrations', as({ name: `${label}-integration` })), 201);
      into.push(user.tenantId, user.userId, site.id, site.name, zone.id, space.id, device.id ?? devEui, integration.id);
      if (label === 'fuzz-mine') integrationToken = integration.token;
      return user;
    };
    owner = await seed('fuzz-mine', mine, devEuis.mine);
    stranger = await seed('fuzz-theirs', theirs, devEuis.theirs);
  }, 240_000);

  afterAll(async () => {
    await db?.end();
    await api?.stop();
  });

  /** The caller's tenant's rows, as one digest (volatile columns left out). */
  async function checksum(): Promise<string> {
    if (!db) {
      db = new Client({ connectionString: api.database.adminUrl });
      await db.connect();
    }
    const parts = CHECKED_TABLES.map(
      (table) => `(SELECT md5(coalesce(string_agg((to_jsonb(t) - ARRAY[${VOLATILE.map((c) => `'${c}'`).join(', ')}])::text, ',' ORDER BY (to_jsonb(t) - ARRAY[${VOLATILE.map((c) => `'${c}'`).join(', ')}])::text), '')) FROM ${table} t WHERE t.tenant_id = $1)`,
    );
    const { rows } = await db.query<{ digest: string }>(`SELECT md5(concat_ws('|', ${parts.join(', ')})) AS digest`, [owner.tenantId]);
    return rows[0].digest;
  }

  function requestArbitrary(): fc.Arbitrary<FuzzRequest> {
    const idValues = fc.oneof({ arbitrary: fc.constantFrom(...mine.filter(isUuid)), weight: 5 }, { arbitrary: fc.constantFrom(...theirs.filter(isUuid)), weight: 2 }, { arbitrary: fc.uuid(), weight: 2 }, { arbitrary: fc.string({ maxLength: 10 }), weight: 1 });
    const operations = Object.entries(DOC.paths).flatMap(([route, methods]) =>
      Object.entries(methods)
        .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
        .map(([method, operation]) => ({ route, method: method.toUpperCase(), operation: operation as Operation })),
    );
    const rest = fc.constantFrom(...operations).chain(({ route, method, operation }) => {
      const pathParams = (operation.parameters ?? []).filter((p) => p.in === 'path');
      const queryParams = (operation.parameters ?? []).filter((p) => p.in === 'query');
      const schema = operation.requestBody?.content?.['application/json']?.schema;
      return fc
        .record({
          path: fc.tuple(...pathParams.map((p) => (p.name === 'devEui' ? fc.constantFrom(devEuis.mine, devEuis.theirs, 'zz', '0000000000000000') : p.name === 'seq' ? fc.oneof(fc.nat().map(String), fc.string({ maxLength: 4 })) : idValues))),
          query: fc.tuple(...queryParams.map((p) => fc.option(arbitraryFor(p.schema, DOC, idValues), { nil: undefined }))),
          body: schema ? fc.oneof({ arbitrary: arbitraryFor(schema, DOC, idValues).map((v) => JSON.stringify(v)), weight: 9 }, { arbitrary: fc.constantFrom('{', '[1,', 'null', '"x"', ''), weight: 1 }) : fc.constant(undefined),
          auth: fc.constantFrom('owner', 'owner', 'owner', 'owner', 'owner', 'owner', 'owner', 'none', 'forged'),
        })
        .map(({ path: values, query, body, auth }): FuzzRequest => {
          let url = route;
          pathParams.forEach((p, i) => (url = url.replace(`{${p.name}}`, encodeURIComponent(String(values[i])))));
          const search = new URLSearchParams();
          queryParams.forEach((p, i) => {
            const value = query[i];
            if (value !== undefined && value !== null) search.set(p.name, typeof value === 'object' ? JSON.stringify(value) : String(value));
          });
          const headers: Record<string, string> = {};
          if (body !== undefined) headers['content-type'] = 'application/json';
          const webhook = route.includes('webhooks/chirpstack') || route === '/api/v1/uplink';
          if (auth === 'owner') headers.authorization = `Bearer ${webhook ? integrationToken : owner.accessToken}`;
          if (auth === 'forged') headers.authorization = `Bearer ${owner.accessToken.slice(0, -4)}AAAA`;
          return { method, url: `${url}${search.size ? `?${search}` : ''}`, headers, body };
        });
    });
    // ChirpStack's own shapes, every event type, JSON and protobuf (Protobuf bytes are mostly junk: the decoder must refuse them cleanly).
    const chirpstack = fc
      .record({
        event: fc.oneof(fc.constantFrom(...CHIRPSTACK_EVENTS), fc.string({ maxLength: 8 })),
        encoding: fc.constantFrom('json', 'json', 'protobuf'),
        devEui: fc.oneof(fc.constantFrom(devEuis.mine, devEuis.theirs), fc.uint8Array({ minLength: 8, maxLength: 8 }).map((b) => Buffer.from(b).toString('hex')), fc.string({ maxLength: 20 })),
        fCnt: fc.oneof(fc.nat(), junk),
        data: fc.oneof(fc.uint8Array({ maxLength: 12 }).map((b) => Buffer.from(b).toString('base64')), junk),
        extra: fc.dictionary(fc.constantFrom('object', 'rxInfo', 'txInfo', 'deduplicationId', 'time', 'level', 'code', 'batteryLevel', 'location', 'deviceInfo'), junk, { maxKeys: 3 }),
        bytes: fc.uint8Array({ maxLength: 64 }),
      })
      .map(({ event, encoding, devEui, fCnt, data, extra, bytes }): FuzzRequest => {
        const body =
          encoding === 'protobuf'
            ? bytes
            : JSON.stringify({ deduplicationId: randomUUID(), time: new Date().toISOString(), deviceInfo: { tenantId: randomUUID(), applicationId: randomUUID(), devEui, deviceName: 'fuzz' }, fCnt, fPort: 1, data, ...extra });
        return {
          method: 'POST',
          url: `/api/v1/webhooks/chirpstack?event=${encodeURIComponent(event)}${encoding === 'protobuf' ? '&marshaler=protobuf' : ''}`,
          headers: { authorization: `Bearer ${integrationToken}`, 'content-type': encoding === 'protobuf' ? 'application/octet-stream' : 'application/json' },
          body,
        };
      });
    return fc.oneof({ arbitrary: rest, weight: 4 }, { arbitrary: chirpstack, weight: 1 });
  }

  it('never answers 5xx, answers every error as problem+json, shows nothing of another tenant, and changes nothing with a 4xx', async () => {
    const foreign = theirs.filter((value) => !mine.includes(value));
    let count = 0;
    const statuses = new Map<number, number>();
    // The tenant's rows as the last answer left them: recomputed after anything that may have changed them.
    let current = await checksum();
    await fc.assert(
      fc.asyncProperty(requestArbitrary(), async (request) => {
        count += 1;
        const write = WRITES.has(request.method);
        const response = await fetch(`${api.baseUrl}${request.url}`, { method: request.method, headers: request.headers, body: request.body, signal: AbortSignal.timeout(15_000) });
        const type = response.headers.get('content-type') ?? '';
        // A live stream that opened: its headers are the answer.
        const text = type.startsWith('text/event-stream') ? '' : await response.text();
        if (type.startsWith('text/event-stream')) await response.body?.cancel();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        const where = `${request.method} ${request.url} → ${response.status} ${text.slice(0, 300)}`;
        if (response.status >= 500) throw new Error(`5xx: ${where}`);
        if (response.status >= 400 && !type.startsWith('application/problem+json')) throw new Error(`not problem+json (${type}): ${where}`);
        // An id the request named may come back in its error; any other of theirs is a leak.
        const asked = `${request.url} ${typeof request.body === 'string' ? request.body : ''}`;
        const leaked = foreign.find((value) => text.includes(value) && !asked.includes(value));
        if (leaked) throw new Error(`another tenant's ${leaked} in: ${where}`);
        if (write && response.status >= 400) {
          const after = await checksum();
          if (after !== current) throw new Error(`a ${response.status} changed the tenant's rows: ${where}`);
        } else if (write) {
          current = await checksum();
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    expect(count).toBe(RUNS);
    console.log(`fuzz: ${RUNS} inputs, seed ${SEED}; answers ${[...statuses.entries()].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`).join(', ')}`);
    // The stranger's own view is intact: the fuzzing went through the owner's credentials only.
    expect((await api.call('GET', `/api/v1/sites/${theirs[2]}`, { accessToken: stranger.accessToken })).status).toBe(200);
  }, 3_600_000);
});

function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
