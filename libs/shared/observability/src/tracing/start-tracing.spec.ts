import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import { startTracing } from './start-tracing';

describe('startTracing', () => {
  const endpoint = process.env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  beforeEach(() => delete process.env['OTEL_EXPORTER_OTLP_ENDPOINT']);
  afterEach(() => {
    if (endpoint !== undefined) process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] = endpoint;
  });

  it('creates valid spans without an OTLP endpoint, so trace ids still propagate, but records none (nothing would export them)', async () => {
    const handle = startTracing({ service: 'downlink', version: '1.0.0' });
    try {
      const parent = trace.getTracer('test').startSpan('work');
      expect(isSpanContextValid(parent.spanContext())).toBe(true);
      expect(parent.isRecording()).toBe(false);
      const child = trace.getTracer('test').startSpan('part', {}, trace.setSpan(context.active(), parent));
      expect(child.spanContext().traceId).toBe(parent.spanContext().traceId);
      child.end();
      parent.end();
    } finally {
      await handle.shutdown();
    }
  });

  it('records spans when it has somewhere to send them', async () => {
    process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] = 'http://127.0.0.1:1';
    const handle = startTracing({ service: 'downlink', version: '1.0.0' });
    try {
      // Not ended: an ended span would be exported to the endpoint, which is not there.
      expect(trace.getTracer('test').startSpan('work').isRecording()).toBe(true);
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
