import { Global, Module, type INestApplication } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { ConfigModule } from '@parking/config';
import { IDENTITY_RPC, RESERVATIONS_RPC, type Permission, type Principal, type RpcContract } from '@parking/contracts';
import { RpcClient } from '@parking/messaging-nest';
import { DomainError, ProblemDetailsFilter, createValidationPipe } from '@parking/problem-details';
import { AuthModule } from '../auth/auth.module';
import { ReservationRoutesModule } from './reservation-routes.module';

// The reservation routes in front of a fake reservations service: what the gateway itself
// decides (the Idempotency-Key, permissions, routing, v6 mapping) and what it forwards.

const TENANT = '0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d10';
const SPACE = '5b1e7c2a-3d4f-4a6b-8c9d-0e1f2a3b4c5d';
const BOOKING = '7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f';

// Shaped as identity issues keys: the gateway refuses other shapes without asking.
const KEYS: Record<string, Permission[]> = {
  pk_live_operator_s3cretoperators3cretoperators3cretoperators: ['reservations:read', 'reservations:write', 'revenue:read', 'tariffs:write'],
  pk_live_ownonly0_s3cretownonly0s3cretownonly0s3cretownonly0s3: ['reservations:own'],
  pk_live_viewer00_s3cretviewer00s3cretviewer00s3cretviewer00s3: ['reservations:read'],
};
const [OPERATOR, OWN_ONLY, VIEWER] = Object.keys(KEYS);

const WINDOW = { startTime: '2026-12-24T10:00:00Z', endTime: '2026-12-24T12:00:00Z' };
const reservation = { id: BOOKING, spaceId: SPACE, ...WINDOW, state: 'confirmed', version: 1 };

const rpc = { call: jest.fn() };

/** Stands in for RpcClientModule (global in the gateway). */
@Global()
@Module({ providers: [{ provide: RpcClient, useValue: rpc }], exports: [RpcClient] })
class FakeRpcModule {}

describe('the reservation routes (fake reservations service)', () => {
  let app: NestFastifyApplication;

  async function call(method: string, url: string, options: { key?: string; headers?: Record<string, string>; body?: unknown } = {}) {
    const headers: Record<string, string> = { ...(options.key ? { 'x-api-key': options.key } : {}), ...options.headers };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await app.getHttpAdapter().getInstance().inject({ method: method as 'GET', url, headers, payload: options.body === undefined ? undefined : JSON.stringify(options.body) });
    return { status: response.statusCode, headers: response.headers, body: response.body ? (response.json() as Record<string, unknown>) : undefined };
  }

  /** What the fake service received for `contract`, last call first. */
  const sent = (contract: RpcContract<object, unknown>) => rpc.call.mock.calls.filter(([called]) => called === contract).map(([, input]) => input as Record<string, unknown>);

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({ rpc: { timeoutMs: 1_000 }, auth: { apiKeyCacheTtlMs: 60_000, apiKeyRefusalCacheMs: 0, jwksRefreshMinIntervalMs: 60_000 } }),
        FakeRpcModule,
        AuthModule,
        ReservationRoutesModule,
      ],
      providers: [ProblemDetailsFilter, { provide: APP_FILTER, useExisting: ProblemDetailsFilter }],
    }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
    app.useGlobalPipes(createValidationPipe());
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(async () => {
    await (app as INestApplication | undefined)?.close();
  });

  beforeEach(() => {
    rpc.call.mockReset();
    rpc.call.mockImplementation(async (contract: RpcContract<object, unknown>, input: Record<string, unknown>, context: { principal?: Principal }) => {
      if (contract === IDENTITY_RPC.authenticateApiKey) {
        const permissions = KEYS[input.key as string];
        if (!permissions) throw new DomainError('UNAUTHENTICATED', 'The API key is not valid.');
        const principal: Principal = { kind: 'api-key', tenantId: TENANT, actor: `api-key:${(input.key as string).slice(8, 16)}`, apiKeyId: BOOKING, permissions, isPlatformAdmin: false };
        return { principal };
      }
      if (!context?.principal) throw new Error(`no principal sent with ${contract.subject}`);
      if (contract === RESERVATIONS_RPC.create || contract === RESERVATIONS_RPC.extend) return { reservation, replayed: input.idempotencyKey === 'seen-before' };
      if (contract === RESERVATIONS_RPC.list) return { items: [reservation], nextCursor: null };
      if (contract === RESERVATIONS_RPC.spaceAvailability) return { available: false, conflicts: [{ startTime: '2026-12-24T11:00:00.000Z', endTime: '2026-12-24T13:00:00.000Z' }] };
      if (contract === RESERVATIONS_RPC.stats) return { total: 0 };
      if (contract === RESERVATIONS_RPC.quote) return { id: BOOKING };
      if (contract === RESERVATIONS_RPC.createTariff) return { id: BOOKING, siteId: input.siteId };
      return reservation;
    });
  });

  describe('the Idempotency-Key of POST /api/v1/reservations', () => {
    const body = { spaceId: SPACE, ...WINDOW };

    it('is required: without it the answer is 400 IDEMPOTENCY_KEY_MISSING telling to send it, and nothing is booked', async () => {
      const answer = await call('POST', '/api/v1/reservations', { key: OPERATOR, body });
      expect(answer).toMatchObject({ status: 400, body: { code: 'IDEMPOTENCY_KEY_MISSING', detail: expect.stringContaining('Send an Idempotency-Key header') } });
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(sent(RESERVATIONS_RPC.create)).toEqual([]);
    });

    it.each([
      ['a space', 'two words'],
      ['a control character', 'tab\there'],
      ['more than 255 characters', 'k'.repeat(256)],
      ['nothing', ''],
      ['a non-ASCII character', 'schlüssel'],
    ])('refuses a key with %s as 400 VALIDATION_FAILED naming the header', async (_what, key) => {
      const answer = await call('POST', '/api/v1/reservations', { key: OPERATOR, headers: { 'idempotency-key': key }, body });
      expect(answer).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED', errors: [{ field: 'Idempotency-Key', message: expect.stringContaining('printable ASCII') }] } });
      expect(sent(RESERVATIONS_RPC.create)).toEqual([]);
    });

    it('sends the body with the key and answers 201 with the reservation; a replay says so in Idempotent-Replayed', async () => {
      const first = await call('POST', '/api/v1/reservations', { key: OPERATOR, headers: { 'Idempotency-Key': 'k'.repeat(255) }, body });
      expect(first).toMatchObject({ status: 201, body: reservation });
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      expect(sent(RESERVATIONS_RPC.create)).toEqual([{ ...body, idempotencyKey: 'k'.repeat(255) }]);

      const replay = await call('POST', '/api/v1/reservations', { key: OPERATOR, headers: { 'idempotency-key': 'seen-before' }, body });
      expect(replay).toMatchObject({ status: 201, body: reservation });
      expect(replay.headers['idempotent-replayed']).toBe('true');
    });

    it('is required for an extension too, which answers 200', async () => {
      expect(await call('POST', `/api/v1/reservations/${BOOKING}/extend`, { key: OPERATOR, body: { endTime: '2026-12-24T13:00:00Z' } })).toMatchObject({ status: 400, body: { code: 'IDEMPOTENCY_KEY_MISSING' } });
      const replay = await call('POST', `/api/v1/reservations/${BOOKING}/extend`, { key: OPERATOR, headers: { 'idempotency-key': 'seen-before' }, body: { endTime: '2026-12-24T13:00:00Z', version: 1 } });
      expect(replay).toMatchObject({ status: 200, body: reservation });
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(sent(RESERVATIONS_RPC.extend)).toEqual([{ endTime: '2026-12-24T13:00:00Z', version: 1, reservationId: BOOKING, idempotencyKey: 'seen-before' }]);
    });
  });

  describe('permissions', () => {
    it('lets reservations:own book and read, and refuses a reader the booking routes, naming both permissions', async () => {
      expect((await call('POST', '/api/v1/reservations', { key: OWN_ONLY, headers: { 'idempotency-key': 'a' }, body: { spaceId: SPACE, ...WINDOW } })).status).toBe(201);
      expect((await call('GET', '/api/v1/reservations', { key: OWN_ONLY })).status).toBe(200);
      expect((await call('GET', `/api/v1/availability?siteId=${TENANT}&from=${WINDOW.startTime}&to=${WINDOW.endTime}`, { key: OWN_ONLY })).status).toBe(200);
      for (const [method, url] of [
        ['POST', '/api/v1/reservations'],
        ['POST', `/api/v1/reservations/${BOOKING}/cancel`],
        ['POST', `/api/v1/reservations/${BOOKING}/check-in`],
        ['PUT', `/api/v6/reservations/${BOOKING}/cancel`],
      ]) {
        const refused = await call(method, url, { key: VIEWER, headers: { 'idempotency-key': 'a' }, body: {} });
        expect({ url, ...refused.body }).toMatchObject({
          url,
          code: 'FORBIDDEN',
          detail: 'This API key has none of the scopes reservations:write, reservations:own; any one of them will do.',
          missingPermission: 'reservations:write',
          anyOf: ['reservations:write', 'reservations:own'],
        });
      }
    });

    it('keeps statistics and revenue for revenue:read, tariffs for their permissions, expire-old for platform admins', async () => {
      expect((await call('GET', '/api/v1/reservations/stats', { key: OWN_ONLY })).body).toMatchObject({ code: 'FORBIDDEN', missingPermission: 'revenue:read' });
      expect((await call('GET', `/api/v1/revenue?siteId=${TENANT}&from=2026-12-01&to=2026-12-31`, { key: VIEWER })).body).toMatchObject({ code: 'FORBIDDEN', missingPermission: 'revenue:read' });
      expect((await call('GET', '/api/v1/tariffs', { key: OWN_ONLY })).body).toMatchObject({ code: 'FORBIDDEN', missingPermission: 'reservations:read' });
      expect((await call('PUT', `/api/v1/sites/${TENANT}/reservation-settings`, { key: VIEWER, body: {} })).body).toMatchObject({ code: 'FORBIDDEN', missingPermission: 'tariffs:write' });
      expect((await call('POST', '/api/v6/reservations/expire-old', { key: OPERATOR })).body).toMatchObject({ code: 'FORBIDDEN', requires: 'platform-admin' });
      expect(sent(RESERVATIONS_RPC.expireOld)).toEqual([]);
    });
  });

  describe('routing and path parameters', () => {
    it('reads /reservations/stats as the statistics, not as a reservation id', async () => {
      expect(await call('GET', '/api/v1/reservations/stats?from=2026-12-01T00:00:00Z', { key: OPERATOR })).toMatchObject({ status: 200, body: { total: 0 } });
      expect(sent(RESERVATIONS_RPC.stats)).toEqual([{ from: '2026-12-01T00:00:00Z' }]);
      expect(sent(RESERVATIONS_RPC.get)).toEqual([]);
    });

    it('refuses an id that is no UUID with 400 naming the parameter', async () => {
      expect((await call('GET', '/api/v1/reservations/statistics', { key: OPERATOR })).body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'id' }] });
      expect((await call('POST', '/api/v6/reservations/L2-017/check-availability', { key: OPERATOR, body: { start_time: WINDOW.startTime, end_time: WINDOW.endTime } })).body).toMatchObject({
        code: 'VALIDATION_FAILED',
        errors: [{ field: 'space_id' }],
      });
    });

    it('sends the site of /sites/{id}/tariffs with the tariff, and a quote as a GET answering 200', async () => {
      const tariff = { name: 'Standard', currency: 'EUR', effectiveFrom: '2026-01-01', bands: [{ days: ['mon'], time: '00:00-24:00', incrementMinutes: 15, tiers: [{ ratePerHour: 200 }] }] };
      expect(await call('POST', `/api/v1/sites/${TENANT}/tariffs`, { key: OPERATOR, body: tariff })).toMatchObject({ status: 201, body: { siteId: TENANT } });
      expect(sent(RESERVATIONS_RPC.createTariff)[0]).toMatchObject({ ...tariff, siteId: TENANT });
      expect((await call('GET', `/api/v1/quotes?spaceId=${SPACE}&from=${WINDOW.startTime}&to=${WINDOW.endTime}`, { key: OWN_ONLY })).status).toBe(200);
    });
  });

  describe('the v6 aliases', () => {
    const legacy = { space_id: SPACE, start_time: WINDOW.startTime, end_time: WINDOW.endTime, user_email: 'Driver@Example.com' };

    it('books with request_id as the Idempotency-Key, in the v1 shape', async () => {
      const answer = await call('POST', '/api/v6/reservations', { key: OPERATOR, body: { ...legacy, request_id: 'order-1' } });
      expect(answer).toMatchObject({ status: 201, body: reservation });
      expect(sent(RESERVATIONS_RPC.create)).toEqual([{ spaceId: SPACE, ...WINDOW, userEmail: 'driver@example.com', idempotencyKey: 'order-1' }]);
      const replay = await call('POST', '/api/v6/reservations', { key: OPERATOR, body: { ...legacy, request_id: 'seen-before' } });
      expect(replay.headers['idempotent-replayed']).toBe('true');
    });

    it('takes the header instead, or both when they agree; refuses them differing, and neither', async () => {
      await call('POST', '/api/v6/reservations', { key: OPERATOR, headers: { 'idempotency-key': 'from-header' }, body: legacy });
      await call('POST', '/api/v6/reservations', { key: OPERATOR, headers: { 'idempotency-key': 'same' }, body: { ...legacy, request_id: 'same' } });
      expect(sent(RESERVATIONS_RPC.create).map((request) => request.idempotencyKey)).toEqual(['from-header', 'same']);

      const differing = await call('POST', '/api/v6/reservations', { key: OPERATOR, headers: { 'idempotency-key': 'one' }, body: { ...legacy, request_id: 'other' } });
      expect(differing.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'request_id', message: expect.stringContaining('differ') }] });
      const neither = await call('POST', '/api/v6/reservations', { key: OPERATOR, body: legacy });
      expect(neither).toMatchObject({ status: 400, body: { code: 'IDEMPOTENCY_KEY_MISSING', detail: expect.stringContaining('request_id') } });
      expect(sent(RESERVATIONS_RPC.create)).toHaveLength(2);
    });

    it('checks the old body in its own names', async () => {
      const answer = await call('POST', '/api/v6/reservations', { key: OPERATOR, body: { space_id: 'L2', start_time: 'tomorrow', end_time: WINDOW.endTime, request_id: 'has space', spaceId: SPACE } });
      expect((answer.body?.errors as Array<{ field: string }>).map((error) => error.field).sort()).toEqual(['request_id', 'spaceId', 'space_id', 'start_time']);
    });

    it('lists with the filters in snake_case', async () => {
      const answer = await call('GET', `/api/v6/reservations?space_id=${SPACE}&state=confirmed&from=${WINDOW.startTime}&limit=10`, { key: OWN_ONLY });
      expect(answer).toMatchObject({ status: 200, body: { items: [reservation], nextCursor: null } });
      expect(sent(RESERVATIONS_RPC.list)).toEqual([{ spaceId: SPACE, state: 'confirmed', from: WINDOW.startTime, limit: 10 }]);
      expect((await call('GET', `/api/v6/reservations?spaceId=${SPACE}`, { key: OWN_ONLY })).body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'spaceId' }] });
      expect((await call('GET', '/api/v6/reservations?state=booked', { key: OWN_ONLY })).body).toMatchObject({ errors: [{ field: 'state', message: expect.stringContaining('confirmed, checked_in') }] });
    });

    it('cancels by PUT, with or without a body', async () => {
      expect(await call('PUT', `/api/v6/reservations/${BOOKING}/cancel`, { key: OPERATOR })).toMatchObject({ status: 200, body: reservation });
      expect(await call('PUT', `/api/v6/reservations/${BOOKING}/cancel`, { key: OPERATOR, body: { reason: 'Plans changed' } })).toMatchObject({ status: 200 });
      expect(sent(RESERVATIONS_RPC.cancel)).toEqual([{ reservationId: BOOKING }, { reason: 'Plans changed', reservationId: BOOKING }]);
      expect((await call('POST', `/api/v6/reservations/${BOOKING}/cancel`, { key: OPERATOR })).status).toBe(404);
    });

    it('checks the availability of a space for {start_time, end_time}', async () => {
      const answer = await call('POST', `/api/v6/reservations/${SPACE}/check-availability`, { key: OWN_ONLY, body: { start_time: WINDOW.startTime, end_time: WINDOW.endTime } });
      expect(answer).toMatchObject({ status: 200, body: { available: false, conflicts: [{ startTime: '2026-12-24T11:00:00.000Z', endTime: '2026-12-24T13:00:00.000Z' }] } });
      expect(sent(RESERVATIONS_RPC.spaceAvailability)).toEqual([{ spaceId: SPACE, from: WINDOW.startTime, to: WINDOW.endTime }]);
      const backwards = await call('POST', `/api/v6/reservations/${SPACE}/check-availability`, { key: OWN_ONLY, body: { start_time: WINDOW.endTime, end_time: WINDOW.startTime } });
      expect(backwards.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'end_time', message: expect.stringContaining('end_time must be later than the start') }] });
    });
  });
});
