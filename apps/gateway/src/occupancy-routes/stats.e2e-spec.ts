/**
 * Occupancy statistics through the compiled gateway, identity, ingest and occupancy processes
 * (real PostgreSQL with RLS, NATS): Bosch frames through the ChirpStack webhook make a space
 * occupied, then free, and the statistics routes answer the stay with numbers.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { expectEventually } from '@parking/testing';
import { startApiStack, type ApiAnswer, type ApiStack, type SignedIn } from '../../test/api-stack';
import { validateOpenApi } from '../../test/validate-openapi';

const SLOW = { timeoutMs: 20_000, intervalMs: 100 };

function expectStatus(answer: ApiAnswer, status: number): ApiAnswer['body'] {
  if (answer.status !== status) throw new Error(`expected ${status}, got ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

describe('occupancy statistics through the gateway', () => {
  const devEui = randomBytes(8).toString('hex');
  let api: ApiStack;
  let owner: SignedIn;
  let integrationToken: string;
  let siteId: string;
  let zoneId: string;
  let spaceId: string;
  let fCnt = 1;

  const as = (body?: unknown) => ({ accessToken: owner.accessToken, body });
  // Bosch TPS110 parking status: port 1, one byte, 1 occupied and 0 free.
  const webhook = (occupied: boolean) =>
    fetch(`${api.baseUrl}/api/v1/webhooks/chirpstack?event=up`, {
      method: 'POST',
      headers: { authorization: `Bearer ${integrationToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        deduplicationId: randomUUID(),
        time: new Date().toISOString(),
        deviceInfo: { tenantId: randomUUID(), applicationId: randomUUID(), deviceName: 'stats bay', devEui, tags: {} },
        devAddr: '01020304',
        fCnt: fCnt++,
        fPort: 1,
        data: Buffer.from([occupied ? 1 : 0]).toString('base64'),
        rxInfo: [{ gatewayId: '0016c001ff10a235', rssi: -71, snr: 7.5 }],
      }),
    });

  async function expectState(state: 'occupied' | 'free'): Promise<void> {
    await expectEventually(async () => expect(expectStatus(await api.call('GET', `/api/v1/spaces/${spaceId}`, as()), 200).state).toMatchObject({ state }), SLOW);
  }

  beforeAll(async () => {
    api = await startApiStack({ prefix: 'gateway-stats', services: ['identity', 'gateway', 'ingest', 'occupancy'] });
    owner = await api.register('stats');
    await api.upgrade(owner.tenantId);
    integrationToken = expectStatus(await api.call('POST', '/api/v1/webhook-integrations', as({ name: 'stats e2e' })), 201).token;
    await expectEventually(async () => expect(await api.sql('SELECT spaces FROM occupancy.tenant_limits WHERE tenant_id = $1', [owner.tenantId])).toEqual([{ spaces: null }]), SLOW);
    siteId = expectStatus(await api.call('POST', '/api/v1/sites', as({ name: 'Stats car park', category: 'off_street', timeZone: 'Europe/Berlin' })), 201).id;
    zoneId = expectStatus(await api.call('POST', `/api/v1/sites/${siteId}/zones`, as({ name: 'Level 1', kind: 'level' })), 201).id;
    expectStatus(await api.call('POST', '/api/v1/devices', as({ devEui, kind: 'sensor', codec: 'bosch-tps110', name: 'stats e2e' })), 201);
    spaceId = expectStatus(await api.call('POST', '/api/v1/spaces', as({ siteId, zoneId, code: 'L1-1' })), 201).id;
    await expectEventually(async () => expectStatus(await api.call('PUT', `/api/v1/spaces/${spaceId}/sensor`, as({ devEui })), 200), SLOW);
    await expectEventually(async () => expect((await webhook(false)).status).toBe(200), SLOW);
  }, 180_000);

  afterAll(async () => {
    await api?.stop();
  });

  it('answers a stay that came through the webhook in the occupancy, dwell and turnover routes', async () => {
    await expectState('free');
    expect((await webhook(true)).status).toBe(200);
    await expectState('occupied');
    expect((await webhook(false)).status).toBe(200);
    await expectState('free');

    const occupancy = expectStatus(await api.call('GET', `/api/v1/sites/${siteId}/stats/occupancy`, as()), 200);
    expect(occupancy).toMatchObject({ siteId, zoneId: null, timeZone: 'Europe/Berlin', totals: { arrivals: 1, departures: 1 } });
    expect(occupancy.hours).toHaveLength(25);
    expect(occupancy.totals.occupiedSeconds).toBeGreaterThan(0);
    expect(occupancy.totals.observedSeconds).toBeGreaterThan(occupancy.totals.occupiedSeconds);
    expect(occupancy.totals.occupancyRate).toBeGreaterThan(0);
    expect(occupancy.totals.occupancyRate).toBeLessThan(1);
    const zone = expectStatus(await api.call('GET', `/api/v1/zones/${zoneId}/stats/occupancy`, as()), 200);
    expect(zone).toMatchObject({ siteId, zoneId, totals: { arrivals: 1, departures: 1 } });

    const dwell = expectStatus(await api.call('GET', `/api/v1/sites/${siteId}/stats/dwell?zoneId=${zoneId}`, as()), 200);
    expect(dwell.days).toHaveLength(8);
    expect(dwell.totals).toMatchObject({ stays: 1, histogram: { under15m: 1, from15mTo1h: 0, from1hTo4h: 0, over4h: 0 } });
    expect(dwell.totals.meanSeconds).toBeGreaterThan(0);
    const turnover = expectStatus(await api.call('GET', `/api/v1/sites/${siteId}/stats/turnover`, as()), 200);
    expect(turnover).toMatchObject({ spaces: 1, totals: { arrivals: 1 } });
    const space = expectStatus(await api.call('GET', `/api/v1/spaces/${spaceId}/stats/turnover`, as()), 200);
    expect(space.totals).toMatchObject({ arrivals: 1 });
    expect(space.days.reduce((sum: number, day: { stays: number }) => sum + day.stays, 0)).toBe(1);
  });

  it('refuses a bad range with a problem+json 400 naming the field, before and behind the gateway', async () => {
    const notADate = await api.call('GET', `/api/v1/sites/${siteId}/stats/occupancy?from=yesterday`, as());
    expect({ status: notADate.status, type: notADate.headers.get('content-type'), fields: notADate.body.errors?.map((e: { field: string }) => e.field) }).toEqual({
      status: 400,
      type: expect.stringMatching(/^application\/problem\+json/),
      fields: ['from'],
    });
    const tooLong = await api.call('GET', `/api/v1/sites/${siteId}/stats/turnover?from=2026-01-01T00:00:00Z&to=2026-12-01T00:00:00Z`, as());
    expect(tooLong.status).toBe(400);
    expect(tooLong.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(tooLong.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'to', message: expect.stringContaining('at most 92 days') }] });
    const badZone = await api.call('GET', `/api/v1/sites/${siteId}/stats/dwell?zoneId=nope`, as());
    expect(badZone.status).toBe(400);
  });

  it('documents the statistics routes in a valid OpenAPI document', async () => {
    const document = expectStatus(await api.call('GET', '/docs/openapi.json'), 200);
    for (const route of ['/api/v1/sites/{id}/stats/occupancy', '/api/v1/zones/{id}/stats/occupancy', '/api/v1/sites/{id}/stats/dwell', '/api/v1/sites/{id}/stats/turnover', '/api/v1/spaces/{id}/stats/turnover']) {
      expect({ route, parameters: document.paths[route]?.get?.parameters.map((p: { name: string }) => p.name).sort() }).toEqual({ route, parameters: expect.arrayContaining(['from', 'id', 'to']) });
    }
    expect(await validateOpenApi(document)).toEqual({ valid: true, openapi: '3.1.0' });
  });
});
