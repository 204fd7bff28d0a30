import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { ObservabilityModule } from '../observability.module';
import { registerHttpMetrics } from './http-metrics';
import { outboxBacklog, watchConsumerPending } from './instruments';

describe('GET /metrics', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [ObservabilityModule] }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
    registerHttpMetrics(app.getHttpAdapter().getInstance());
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(() => app.close());

  it('serves the Prometheus text exposition with process metrics and our instruments', async () => {
    outboxBacklog.set({ schema: 'reservations' }, 3);

    const response = await app.inject({ method: 'GET', url: '/metrics' });

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(response.body).toContain('process_cpu_user_seconds_total');
    expect(response.body).toContain('outbox_backlog{schema="reservations"} 3');
    for (const name of [
      'http_request_duration_seconds',
      'messaging_consumer_pending',
      'messaging_consumer_redeliveries_total',
      'messaging_messages_handled_total',
      'messaging_dead_letters_total',
      'outbox_published_total',
    ]) {
      expect(response.body).toContain(`# TYPE ${name} `);
    }
  });

  it("reads each watched consumer's pending count when scraped, and no longer once unwatched", async () => {
    let reads = 0;
    const unwatch = watchConsumerPending({ stream: 'OCCUPANCY', consumer: 'downlink-spaces' }, async () => ++reads * 10);
    const unanswered = watchConsumerPending({ stream: 'INGEST', consumer: 'stuck' }, () => Promise.reject(new Error('NATS is away')));

    const first = await app.inject({ method: 'GET', url: '/metrics' });
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('messaging_consumer_pending{stream="OCCUPANCY",consumer="downlink-spaces"} 10');
    expect(first.body).not.toContain('consumer="stuck"');
    expect((await app.inject({ method: 'GET', url: '/metrics' })).body).toContain('consumer="downlink-spaces"} 20');

    unwatch();
    unanswered();
    await app.inject({ method: 'GET', url: '/metrics' });
    expect(reads).toBe(2);
  });

  it('records the Nest route pattern of an answered request', async () => {
    await app.inject({ method: 'GET', url: '/metrics' });

    const response = await app.inject({ method: 'GET', url: '/metrics' });
    expect(response.body).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/metrics",status_code="200"\} [1-9]/);
  });
});
