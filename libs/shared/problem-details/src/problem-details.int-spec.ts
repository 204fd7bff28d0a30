import { Body, Controller, ForbiddenException, Get, Logger, Post, ServiceUnavailableException } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { requestIdFor } from '@parking/observability';
import { Type } from 'class-transformer';
import { ArrayMinSize, IsEmail, IsString, MinLength, ValidateNested } from 'class-validator';
import { DomainError, NotFoundError } from './domain-error';
import { ProblemDetailsFilter } from './problem-details.filter';
import { createValidationPipe } from './validation-pipe';

class AddressDto {
  @IsString({ each: true })
  @ArrayMinSize(1)
  lines!: string[];
}

class SignUpDto {
  @IsEmail()
  email!: string;

  @MinLength(12)
  password!: string;

  @ValidateNested()
  @Type(() => AddressDto)
  address!: AddressDto;
}

@Controller()
class ProbeController {
  @Post('accounts')
  signUp(@Body() body: SignUpDto): { email: string } {
    return { email: body.email };
  }

  @Get('reservations/r-404')
  missingReservation(): never {
    throw new NotFoundError('Reservation', 'r-404');
  }

  @Get('spaces/full')
  rateLimited(): never {
    throw new DomainError('RATE_LIMITED', 'At most 5 reservations per hour.', { limit: 'reservations-per-hour', status: 200 });
  }

  @Get('boom')
  boom(): never {
    throw new Error('connection to postgres://app:hunter2@db failed');
  }

  @Get('maintenance')
  maintenance(): never {
    throw new ServiceUnavailableException('replica db-3.internal lagging');
  }

  @Get('forbidden')
  forbidden(): never {
    throw new ForbiddenException('Only operators may close a car park.');
  }

  @Get('remote-conflict')
  remoteConflict(): never {
    throw new RpcException({ code: 'CONFLICT', detail: 'Space A-12 is already reserved from 10:00.' });
  }

  @Get('remote-validation')
  remoteValidation(): never {
    throw { code: 'VALIDATION_FAILED', detail: 'The command has 1 invalid field: from.', errors: [{ field: 'from', message: 'must be in the future' }] };
  }

  @Post('echo')
  echo(@Body() body: unknown): unknown {
    return body;
  }
}

describe('ProblemDetailsFilter on Fastify', () => {
  let app: NestFastifyApplication;
  const logError = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [ProbeController] }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(
      new FastifyAdapter({ bodyLimit: 1024, genReqId: requestIdFor }),
      { logger: false },
    );
    app.useGlobalFilters(new ProblemDetailsFilter());
    app.useGlobalPipes(createValidationPipe());
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(async () => {
    await app.close();
    logError.mockRestore();
  });
  beforeEach(() => logError.mockClear());

  async function request(options: Parameters<NestFastifyApplication['inject']>[0] & object) {
    const response = await app.inject(options);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    return { status: response.statusCode, body: response.json(), headers: response.headers };
  }

  it('answers a validation failure with 400 VALIDATION_FAILED listing every field, nested ones by path', async () => {
    const { status, body } = await request({
      method: 'POST',
      url: '/accounts?ref=x',
      payload: { email: 'not-an-email', password: 'short', address: { lines: ['ok', 7] }, admin: true },
    });

    expect(status).toBe(400);
    expect(body).toMatchObject({
      type: '/problems/validation-failed',
      title: 'The request is not valid',
      status: 400,
      code: 'VALIDATION_FAILED',
      instance: '/accounts',
      detail: 'The request has 4 invalid fields: admin, email, password, address.lines.',
    });
    expect(body.errors).toEqual(
      expect.arrayContaining([
        { field: 'admin', message: 'property admin should not exist' },
        { field: 'email', message: 'email must be an email' },
        { field: 'password', message: expect.stringContaining('password must be longer than or equal to 12') },
        { field: 'address.lines', message: 'each value in lines must be a string' },
      ]),
    );
  });

  it('answers a DomainError NOT_FOUND with 404 and its detail', async () => {
    const { status, body } = await request({ method: 'GET', url: '/reservations/r-404', headers: { 'x-request-id': 'trace-me-1' } });

    expect(status).toBe(404);
    expect(body).toEqual({
      type: '/problems/not-found',
      title: 'Not found',
      status: 404,
      detail: 'Reservation "r-404" does not exist.',
      code: 'NOT_FOUND',
      instance: '/reservations/r-404',
      requestId: 'trace-me-1',
    });
  });

  it('renders the extras of a DomainError as extension members, never over a standard one', async () => {
    const { status, body } = await request({ method: 'GET', url: '/spaces/full' });

    expect(status).toBe(429);
    expect(body).toMatchObject({ code: 'RATE_LIMITED', status: 429, limit: 'reservations-per-hour' });
  });

  it('answers an unknown route with 404 problem+json naming the method and path', async () => {
    const { status, body, headers } = await request({ method: 'DELETE', url: '/no/such/route?q=1' });

    expect(status).toBe(404);
    expect(body).toMatchObject({
      type: '/problems/not-found',
      code: 'NOT_FOUND',
      detail: 'Nothing matches DELETE /no/such/route.',
      instance: '/no/such/route',
    });
    expect(body).not.toHaveProperty('message');
    expect(headers['x-request-id']).toBe(body.requestId);
  });

  it('answers a thrown Error with 500 INTERNAL, no internals, a request id, and logs it with that id', async () => {
    const { status, body, headers } = await request({ method: 'GET', url: '/boom' });

    expect(status).toBe(500);
    expect(body).toEqual({
      type: '/problems/internal',
      title: 'Internal error',
      status: 500,
      detail: 'An unexpected error occurred; quote the request id when reporting it.',
      code: 'INTERNAL',
      instance: '/boom',
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(JSON.stringify(body)).not.toMatch(/hunter2|postgres|at .*\.ts/);
    expect(headers['x-request-id']).toBe(body.requestId);
    expect(logError).toHaveBeenCalledWith(
      expect.objectContaining({ requestId: body.requestId, err: expect.objectContaining({ message: expect.stringContaining('hunter2') }) }),
      expect.any(String),
    );
  });

  it('hides the message of a 5xx HttpException and keeps its status', async () => {
    const { status, body } = await request({ method: 'GET', url: '/maintenance' });

    expect(status).toBe(503);
    expect(body).toMatchObject({ code: 'UNAVAILABLE', detail: 'Temporarily unavailable.' });
    expect(JSON.stringify(body)).not.toContain('db-3');
  });

  it('maps other HttpExceptions to the catalogue code of their status, keeping a client message', async () => {
    const { status, body } = await request({ method: 'GET', url: '/forbidden' });

    expect(status).toBe(403);
    expect(body).toMatchObject({ code: 'FORBIDDEN', type: '/problems/forbidden', detail: 'Only operators may close a car park.' });
  });

  it('maps an RPC error payload, wrapped in an RpcException or plain, to its code', async () => {
    const conflict = await request({ method: 'GET', url: '/remote-conflict' });
    const invalid = await request({ method: 'GET', url: '/remote-validation' });

    expect(conflict.status).toBe(409);
    expect(conflict.body).toMatchObject({ code: 'CONFLICT', detail: 'Space A-12 is already reserved from 10:00.' });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'from', message: 'must be in the future' }] });
  });

  it('answers a body over the limit with 413 PAYLOAD_TOO_LARGE', async () => {
    const { status, body } = await request({ method: 'POST', url: '/echo', payload: { text: 'x'.repeat(2048) } });

    expect(status).toBe(413);
    expect(body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', type: '/problems/payload-too-large', instance: '/echo' });
  });

  it('answers malformed JSON with 400 BAD_REQUEST without quoting the body', async () => {
    const { status, body } = await request({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"password": "hunter2",',
    });

    expect(status).toBe(400);
    expect(body).toMatchObject({ code: 'BAD_REQUEST', detail: expect.stringContaining('not valid JSON') });
    expect(JSON.stringify(body)).not.toContain('hunter2');
  });

  it('answers an unsupported content type with 415', async () => {
    const { status, body } = await request({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/xml' },
      payload: '<a/>',
    });

    expect(status).toBe(415);
    expect(body).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
  });
});
