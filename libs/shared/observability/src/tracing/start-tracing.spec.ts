import { isSpanContextValid, trace } from '@opentelemetry/api';
import { startTracing } from './start-tracing';

describe('startTracing', () => {
  const endpoint = process.env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  beforeEach(() => delete process.env['OTEL_EXPORTER_OTLP_ENDPOINT']);
  afterEach(() => {
    if (endpoint !== undefined) process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] = endpoint;
  });

  it('creates real spans without an OTLP endpoint, so trace ids still propagate', async () => {
    const handle = startTracing({ service: 'downlink', version: '1.0.0' });
    try {
      const span = trace.getTracer('test').startSpan('work');
      expect(isSpanContextValid(span.spanContext())).toBe(true);
      span.end();
    } finally {
      await handle.shutdown();
    }
  });

  it('is idempotent: a second call returns the running instance', async () => {
    const first = startTracing({ service: 'downlink', version: '1.0.0' });
    const second = startTracing({ service: 'downlink', version: '1.0.0' });
    try {
      expect(second).toBe(first);
    } finally {
      await first.shutdown();
    }
  });

  it('can start again after shutdown, and spans are invalid while stopped', async () => {
    await startTracing({ service: 'downlink', version: '1.0.0' }).shutdown();
    expect(isSpanContextValid(trace.getTracer('test').startSpan('stopped').spanContext())).toBe(false);

    const again = startTracing({ service: 'downlink', version: '1.0.0' });
    try {
      expect(isSpanContextValid(trace.getTracer('test').startSpan('restarted').spanContext())).toBe(true);
    } finally {
      await again.shutdown();
    }
  });
});
