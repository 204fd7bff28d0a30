import Fastify, { type FastifyInstance } from 'fastify';
import type { HttpAdapterHost } from '@nestjs/core';
import { DEVICE_IMPORT_MAX_BYTES } from '@parking/contracts';
import { ImportBodySupport } from './import-body';

const BODY_LIMIT = 1024;
const IMPORT_ROUTE = { parkingDeviceImport: true };

describe('ImportBodySupport (text/csv and the larger body limit of the import routes)', () => {
  let fastify: FastifyInstance;

  beforeEach(async () => {
    fastify = Fastify({ bodyLimit: BODY_LIMIT });
    new ImportBodySupport({ httpAdapter: { getInstance: () => fastify } } as unknown as HttpAdapterHost);
    fastify.post('/import', { config: IMPORT_ROUTE }, async (request) => ({ length: String(request.body).length }));
    fastify.post('/other', async (request) => ({ length: String(request.body).length }));
    await fastify.ready();
  });
  afterEach(() => fastify.close());

  const csv = (bytes: number) => `kind,name\n${'x'.repeat(bytes - 10)}`;
  const post = (url: string, body: string, type = 'text/csv') => fastify.inject({ method: 'POST', url, payload: body, headers: { 'content-type': type } });

  it('takes a CSV body up to the import limit on an import route', async () => {
    const answer = await post('/import', csv(100 * 1024));
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({ length: 100 * 1024 });
    expect((await post('/import', csv(DEVICE_IMPORT_MAX_BYTES + 1))).statusCode).toBe(413);
  });

  it('holds a CSV body sent to any other route to the ordinary body limit', async () => {
    expect((await post('/other', csv(BODY_LIMIT))).statusCode).toBe(200);
    expect((await post('/other', csv(BODY_LIMIT + 1))).statusCode).toBe(413);
    expect((await post('/other', csv(100 * 1024))).statusCode).toBe(413);
  });

  it('gives JSON the import limit on an import route only', async () => {
    const json = JSON.stringify({ pad: 'x'.repeat(4 * 1024) });
    expect((await post('/import', json, 'application/json')).statusCode).toBe(200);
    expect((await post('/other', json, 'application/json')).statusCode).toBe(413);
  });
});
