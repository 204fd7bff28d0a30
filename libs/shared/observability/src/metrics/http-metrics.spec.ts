import Fastify from 'fastify';
import { registerHttpMetrics } from './http-metrics';
import { httpRequestDuration, metricsRegistry } from './instruments';

describe('registerHttpMetrics', () => {
  beforeEach(() => httpRequestDuration.reset());

  it('observes request durations by route pattern, never by raw URL', async () => {
    const app = Fastify();
    registerHttpMetrics(app);
    registerHttpMetrics(app);
    app.get('/spaces/:spaceId', async () => ({ state: 'free' }));

    await app.inject({ method: 'GET', url: '/spaces/42?x=1' });
    await app.inject({ method: 'GET', url: '/spaces/43' });
    await app.inject({ method: 'GET', url: '/wp-admin/setup.php' });
    await app.close();

    const exposition = await metricsRegistry.metrics();
    expect(exposition).toContain(
      'http_request_duration_seconds_count{method="GET",route="/spaces/:spaceId",status_code="200"} 2',
    );
    expect(exposition).toContain('http_request_duration_seconds_count{method="GET",route="unmatched",status_code="404"} 1');
    expect(exposition).not.toContain('/spaces/42');
    expect(exposition).not.toContain('wp-admin');
  });
});
