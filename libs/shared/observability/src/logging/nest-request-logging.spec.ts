import { Controller, Get, Logger, Post, Query, UnauthorizedException } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { LoggerModule, Logger as PinoNestLogger } from 'nestjs-pino';
import { createLoggerParams } from './logger-options';
import { requestIdFor } from './request-id';
import { registerRequestIdHeader } from './request-id-header';

@Controller()
class ProbeController {
  private readonly logger = new Logger(ProbeController.name);

  @Get('spaces')
  list(): string[] {
    this.logger.log({ apiKey: 'k-secret' }, 'listing spaces');
    return [];
  }

  @Post('api/v1/uplink')
  uplink(@Query('refuse') refuse?: string): string {
    if (refuse) throw new UnauthorizedException('bad signature');
    return 'ok';
  }

  @Get('health/live')
  live(): string {
    return 'ok';
  }
}

describe('createLoggerParams with nestjs-pino on Fastify', () => {
  const lines: Array<Record<string, unknown>> = [];
  let app: NestFastifyApplication;

  beforeAll(async () => {
    const destination = { write: (line: string) => void lines.push(JSON.parse(line)) };
    const moduleRef = await Test.createTestingModule({
      imports: [LoggerModule.forRoot(createLoggerParams({ service: 'gateway', version: '9.9.9', level: 'info', destination }))],
      controllers: [ProbeController],
    }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter({ genReqId: requestIdFor }), {
      bufferLogs: true,
    });
    registerRequestIdHeader(app.getHttpAdapter().getInstance());
    app.useLogger(app.get(PinoNestLogger));
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(() => app.close());
  beforeEach(() => (lines.length = 0));

  const completions = () => lines.filter((l) => l['msg'] === 'request completed');

  it('logs a completed request with its id, method, path and status, and none of its headers', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/spaces',
      headers: { authorization: 'Bearer secret-jwt', 'x-request-id': 'req-abc-1' },
    });

    expect(response.headers['x-request-id']).toBe('req-abc-1');
    const [completion] = completions();
    expect(completion).toMatchObject({ service: 'gateway', version: '9.9.9', requestId: 'req-abc-1' });
    expect(completion).toMatchObject({ req: { method: 'GET', url: '/spaces' }, res: { statusCode: 200 } });
    expect(completion['req']).not.toHaveProperty('headers');
    expect(completion['res']).not.toHaveProperty('headers');
    const appLine = lines.find((l) => l['msg'] === 'listing spaces');
    expect(appLine).toMatchObject({ requestId: 'req-abc-1', apiKey: '[redacted]', context: 'ProbeController' });
    expect(JSON.stringify(lines)).not.toContain('secret-jwt');
  });

  it('generates a request id when the caller sends none, and echoes it', async () => {
    const response = await app.inject({ method: 'GET', url: '/spaces' });

    const id = response.headers['x-request-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(completions()[0]).toMatchObject({ requestId: id });
  });

  it('replaces a request id that could forge log lines', async () => {
    const response = await app.inject({ method: 'GET', url: '/spaces', headers: { 'x-request-id': 'a"\nb' } });

    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('does not log health probes', async () => {
    const response = await app.inject({ method: 'GET', url: '/health/live' });

    expect(response.statusCode).toBe(200);
    expect(completions()).toHaveLength(0);
  });

  it('runs no request logger on webhook routes (they log their refusals themselves)', async () => {
    expect((await app.inject({ method: 'POST', url: '/api/v1/uplink' })).statusCode).toBe(201);
    expect((await app.inject({ method: 'POST', url: '/api/v1/uplink?refuse=1' })).statusCode).toBe(401);
    expect(completions()).toHaveLength(0);
    // Other routes still are.
    await app.inject({ method: 'GET', url: '/spaces' });
    expect(completions()).toHaveLength(1);
  });
});
