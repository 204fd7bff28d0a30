/**
 * Reservations through the compiled gateway, identity, ingest, occupancy and reservations
 * processes (real PostgreSQL with RLS, NATS): the Idempotency-Key, overlaps, the previous
 * platform's /api/v6/reservations routes, and who may book what.
 */
import { expectEventually } from '@parking/testing';
import { startApiStack, type ApiAnswer, type ApiStack, type SignedIn } from '../../test/api-stack';
import { bookableSpaces, idempotencyKey, keyed, windowFromNow } from '../../test/bookable-spaces';
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

const ids = (page: { items: Array<{ id: string }> }) => page.items.map((item) => item.id);

describe('reservations through the gateway', () => {
  let api: ApiStack;
  let owner: SignedIn;
  let viewer: SignedIn;
  let spaces: string[];

  const as = (who: SignedIn, body?: unknown, headers?: Record<string, string>) => ({ accessToken: who.accessToken, body, headers });
  const nextSpace = () => {
    const spaceId = spaces.shift();
    if (!spaceId) throw new Error('no bookable space left: make more in beforeAll');
    return spaceId;
  };

  beforeAll(async () => {
    api = await startApiStack({ prefix: 'gateway-reservations', services: ['identity', 'gateway', 'ingest', 'occupancy', 'reservations'] });
    owner = await api.register('reservations');
    await api.upgrade(owner.tenantId);
    // Occupancy learns the plan's limits from identity's limits_changed event.
    await expectEventually(
      async () => expect(await api.sql('SELECT sites, spaces FROM occupancy.tenant_limits WHERE tenant_id = $1', [owner.tenantId])).toEqual([{ sites: null, spaces: null }]),
      { timeoutMs: 15_000, intervalMs: 100 },
    );
    viewer = await api.inviteAndAccept(owner, 'viewer');
    spaces = (await bookableSpaces(api, { accessToken: owner.accessToken }, 8)).spaceIds;
  }, 180_000);

  afterAll(async () => {
    await api?.stop();
  });

  it('refuses a booking without an Idempotency-Key, and answers a retry with the first booking, marked as replayed', async () => {
    const body = { spaceId: nextSpace(), ...windowFromNow(60), vehiclePlate: 'B-PK 2041' };
    const missing = expectProblem(await api.call('POST', '/api/v1/reservations', as(owner, body)), 400, 'IDEMPOTENCY_KEY_MISSING');
    expect(missing.detail).toContain('Idempotency-Key header');
    expect(expectProblem(await api.call('POST', '/api/v1/reservations', as(owner, body, { 'idempotency-key': 'two words' })), 400, 'VALIDATION_FAILED').errors).toEqual([
      { field: 'Idempotency-Key', message: expect.stringContaining('printable ASCII') },
    ]);

    const key = idempotencyKey();
    const first = await api.call('POST', '/api/v1/reservations', as(owner, body, keyed(key)));
    const booked = expectStatus(first, 201);
    expect(booked).toMatchObject({ spaceId: body.spaceId, startTime: new Date(body.startTime).toISOString(), state: 'confirmed', vehiclePlate: 'B-PK 2041', version: 1 });
    expect(first.headers.get('idempotent-replayed')).toBeNull();

    const retry = await api.call('POST', '/api/v1/reservations', as(owner, body, keyed(key)));
    expect(expectStatus(retry, 201)).toEqual(booked);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(ids(expectStatus(await api.call('GET', `/api/v1/reservations?spaceId=${body.spaceId}`, as(owner)), 200))).toEqual([booked.id]);

    expectProblem(await api.call('POST', '/api/v1/reservations', as(owner, { ...body, vehiclePlate: 'M-XY 1' }, keyed(key))), 422, 'IDEMPOTENCY_KEY_REUSED');
  });

  it('answers an overlapping booking with 409 RESERVATION_OVERLAP naming the taken window, never whose it is', async () => {
    const spaceId = nextSpace();
    const window = windowFromNow(120);
    const booked = expectStatus(await api.call('POST', '/api/v1/reservations', as(owner, { spaceId, ...window, userEmail: 'driver@example.com' }, keyed())), 201);
    const later = { startTime: new Date(Date.parse(window.startTime) + 30 * 60_000).toISOString(), endTime: new Date(Date.parse(window.endTime) + 30 * 60_000).toISOString() };
    const overlap = expectProblem(await api.call('POST', '/api/v1/reservations', as(owner, { spaceId, ...later }, keyed())), 409, 'RESERVATION_OVERLAP');
    expect(overlap.conflicts).toEqual([{ startTime: booked.startTime, endTime: booked.endTime }]);
    expect(JSON.stringify(overlap)).not.toMatch(new RegExp(`${booked.id}|driver@example.com`));

    // Extending into a booked window is the same refusal.
    const after = expectStatus(await api.call('POST', '/api/v1/reservations', as(owner, { spaceId, startTime: window.endTime, endTime: later.endTime }, keyed())), 201);
    const extend = expectProblem(await api.call('POST', `/api/v1/reservations/${booked.id}/extend`, as(owner, { endTime: later.endTime }, keyed())), 409, 'RESERVATION_OVERLAP');
    expect(extend.conflicts).toEqual([{ startTime: after.startTime, endTime: after.endTime }]);
  });

  describe('the previous platform’s /api/v6/reservations', () => {
    it('books with request_id standing for the Idempotency-Key, and answers in the v1 shape', async () => {
      const spaceId = nextSpace();
      const window = windowFromNow(180);
      const legacy = { space_id: spaceId, start_time: window.startTime, end_time: window.endTime, user_email: 'Driver@Example.com', request_id: idempotencyKey() };
      const first = await api.call('POST', '/api/v6/reservations', as(owner, legacy));
      const booked = expectStatus(first, 201);
      expect(booked).toMatchObject({ spaceId, startTime: new Date(window.startTime).toISOString(), endTime: new Date(window.endTime).toISOString(), userEmail: 'driver@example.com', state: 'confirmed' });
      const retry = await api.call('POST', '/api/v6/reservations', as(owner, legacy));
      expect(expectStatus(retry, 201)).toEqual(booked);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      // The header is the same key as request_id: it replays too.
      const { request_id: requestId, ...withoutId } = legacy;
      expect(expectStatus(await api.call('POST', '/api/v6/reservations', as(owner, withoutId, keyed(requestId))), 201).id).toBe(booked.id);

      expect(expectProblem(await api.call('POST', '/api/v6/reservations', as(owner, withoutId)), 400, 'IDEMPOTENCY_KEY_MISSING').detail).toContain('request_id');
      expect(expectProblem(await api.call('POST', '/api/v6/reservations', as(owner, legacy, keyed())), 400, 'VALIDATION_FAILED').errors).toEqual([
        { field: 'request_id', message: expect.stringContaining('differ') },
      ]);

      expect(expectStatus(await api.call('GET', `/api/v6/reservations/${booked.id}`, as(viewer)), 200)).toEqual(expectStatus(await api.call('GET', `/api/v1/reservations/${booked.id}`, as(owner)), 200));
    });

    it('lists with snake_case filters, checks a space’s availability, and cancels by PUT', async () => {
      const spaceId = nextSpace();
      const window = windowFromNow(240);
      const booked = expectStatus(await api.call('POST', '/api/v6/reservations', as(owner, { space_id: spaceId, start_time: window.startTime, end_time: window.endTime, request_id: idempotencyKey() })), 201);

      const list = async (query: string) => ids(expectStatus(await api.call('GET', `/api/v6/reservations?${query}`, as(viewer)), 200));
      expect(await list(`space_id=${spaceId}`)).toEqual([booked.id]);
      expect(await list(`space_id=${spaceId}&state=confirmed`)).toEqual([booked.id]);
      expect(await list(`space_id=${spaceId}&state=cancelled`)).toEqual([]);
      expectProblem(await api.call('GET', `/api/v6/reservations?spaceId=${spaceId}`, as(viewer)), 400, 'VALIDATION_FAILED');

      const check = (start: string, end: string) => api.call('POST', `/api/v6/reservations/${spaceId}/check-availability`, as(owner, { start_time: start, end_time: end }));
      expect(expectStatus(await check(window.startTime, window.endTime), 200)).toEqual({ available: false, conflicts: [{ startTime: booked.startTime, endTime: booked.endTime }] });
      const free = windowFromNow(24 * 60);
      expect(expectStatus(await check(free.startTime, free.endTime), 200)).toEqual({ available: true, conflicts: [] });

      const cancelled = expectStatus(await api.call('PUT', `/api/v6/reservations/${booked.id}/cancel`, as(owner, { reason: 'Plans changed' })), 200);
      expect(cancelled).toMatchObject({ id: booked.id, state: 'cancelled', cancelReason: 'Plans changed' });
      expect(await list(`space_id=${spaceId}&state=cancelled`)).toEqual([booked.id]);
      expect(expectStatus(await check(window.startTime, window.endTime), 200)).toEqual({ available: true, conflicts: [] });
      expect((await api.call('POST', `/api/v6/reservations/${booked.id}/cancel`, as(owner))).status).toBe(404);
    });

    it('keeps expire-old for platform admins', async () => {
      const refused = expectProblem(await api.call('POST', '/api/v6/reservations/expire-old', as(owner)), 403, 'FORBIDDEN');
      expect(refused.detail).toMatch(/platform administrators/);
      expect(expectStatus(await api.call('POST', '/api/v6/reservations/expire-old', as(api.admin)), 200)).toEqual({ expired: expect.any(Number) });
    });
  });

  describe('who may book', () => {
    it('refuses a viewer every booking route, naming the permissions that would do, and lets it read', async () => {
      const body = { spaceId: spaces[0], ...windowFromNow(300) };
      const refused = expectProblem(await api.call('POST', '/api/v1/reservations', as(viewer, body, keyed())), 403, 'FORBIDDEN');
      expect(refused).toMatchObject({ missingPermission: 'reservations:write', anyOf: ['reservations:write', 'reservations:own'] });
      expectProblem(await api.call('POST', '/api/v6/reservations', as(viewer, { space_id: body.spaceId, start_time: body.startTime, end_time: body.endTime, request_id: 'x' })), 403, 'FORBIDDEN');
      expect(expectStatus(await api.call('GET', `/api/v1/reservations?spaceId=${body.spaceId}`, as(viewer)), 200).items).toEqual([]);
      expectProblem(await api.call('GET', '/api/v1/reservations/stats', as(viewer)), 403, 'FORBIDDEN');
      expect(expectStatus(await api.call('GET', '/api/v1/reservations/stats', as(owner)), 200)).toMatchObject({ total: expect.any(Number) });
    });

    it('lets an API key with only reservations:own book, and see and change only its own bookings', async () => {
      const created = expectStatus(await api.call('POST', '/api/v1/api-keys', as(owner, { name: 'partner app', scopes: ['reservations:own'] })), 201);
      const partner = { apiKey: created.key as string };
      const [partnerSpace, ownerSpace] = [nextSpace(), nextSpace()];
      const window = windowFromNow(360);

      const mine = expectStatus(await api.call('POST', '/api/v1/reservations', { ...partner, headers: keyed(), body: { spaceId: partnerSpace, ...window } }), 201);
      const theirs = expectStatus(await api.call('POST', '/api/v1/reservations', as(owner, { spaceId: ownerSpace, ...window }, keyed())), 201);

      const listed = expectStatus(await api.call('GET', '/api/v1/reservations?limit=200', partner), 200);
      expect(ids(listed)).toEqual([mine.id]);
      expect(ids(expectStatus(await api.call('GET', '/api/v6/reservations?limit=200', partner), 200))).toEqual([mine.id]);
      expect(expectStatus(await api.call('GET', `/api/v1/reservations/${mine.id}`, partner), 200).id).toBe(mine.id);
      expectProblem(await api.call('GET', `/api/v1/reservations/${theirs.id}`, partner), 404, 'NOT_FOUND');
      expectProblem(await api.call('POST', `/api/v1/reservations/${theirs.id}/cancel`, { ...partner, body: {} }), 404, 'NOT_FOUND');
      expect(expectStatus(await api.call('GET', `/api/v1/reservations/${theirs.id}`, as(owner)), 200).state).toBe('confirmed');
      expect(expectStatus(await api.call('POST', `/api/v1/reservations/${mine.id}/cancel`, { ...partner, body: {} }), 200).state).toBe('cancelled');
      expect(ids(expectStatus(await api.call('GET', `/api/v1/reservations?spaceId=${ownerSpace}`, as(owner)), 200))).toEqual([theirs.id]);

      expectProblem(await api.call('GET', '/api/v1/reservations/stats', partner), 403, 'FORBIDDEN');
      expectProblem(await api.call('GET', '/api/v1/tariffs', partner), 403, 'FORBIDDEN');
    });
  });

  it('serves a valid OpenAPI document describing the reservation routes', async () => {
    const document = expectStatus(await api.call('GET', '/docs/openapi.json'), 200);
    const create = document.paths['/api/v1/reservations'].post;
    expect(create.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true })]));
    expect(Object.keys(create.responses['409'].content['application/problem+json'].examples)).toEqual(expect.arrayContaining(['reservation-overlap', 'no-space-available', 'idempotency-key-in-flight']));
    expect(create.responses['201'].headers['Idempotent-Replayed']).toBeDefined();
    expect(await validateOpenApi(document)).toEqual({ valid: true, openapi: '3.1.0' });
  });
});
