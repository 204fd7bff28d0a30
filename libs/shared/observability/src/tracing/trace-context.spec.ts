import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { tracing } from '@opentelemetry/sdk-node';
import { createPinoLogger } from '../logging/logger-options';
import { startTracing, type TracingHandle } from './start-tracing';
import { injectTraceContext, runAsServerSpan, runWithTraceContext } from './trace-context';

describe('trace context across a message', () => {
  const exporter = new tracing.InMemorySpanExporter();
  let tracingHandle: TracingHandle;

  beforeAll(() => {
    tracingHandle = startTracing({
      service: 'occupancy',
      version: '1.0.0',
      spanProcessors: [new tracing.SimpleSpanProcessor(exporter)],
    });
  });
  afterAll(() => tracingHandle.shutdown());
  beforeEach(() => exporter.reset());

  function publishInSpan(): { carrier: Record<string, string>; traceId: string; spanId: string } {
    return trace.getTracer('test').startActiveSpan('publish', (span) => {
      const carrier = injectTraceContext({});
      span.end();
      return { carrier, ...span.spanContext() };
    });
  }

  it('writes a W3C traceparent into the carrier', () => {
    const { carrier, traceId, spanId } = publishInSpan();

    expect(carrier['traceparent']).toBe(`00-${traceId}-${spanId}-01`);
  });

  it('continues the trace of the carrier inside a CONSUMER child span', async () => {
    const published = publishInSpan();

    const inside = await runWithTraceContext(published.carrier, 'occupancy handle uplink', async () => {
      await Promise.resolve();
      return trace.getActiveSpan()?.spanContext();
    });

    expect(inside?.traceId).toBe(published.traceId);
    const consumer = exporter.getFinishedSpans().find((s) => s.name === 'occupancy handle uplink');
    expect(consumer?.kind).toBe(SpanKind.CONSUMER);
    expect(consumer?.parentSpanContext?.spanId).toBe(published.spanId);
  });

  it("runs a webhook handler as a SERVER span under the caller's traceparent, whose context what it publishes carries", async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpanId = '00f067aa0ba902b7';

    const carrier = await runAsServerSpan({ traceparent: `00-${traceId}-${callerSpanId}-01`, 'content-type': 'application/json' }, 'POST /api/v1/uplink', async () => {
      await Promise.resolve();
      return injectTraceContext<Record<string, string>>({});
    });

    const server = exporter.getFinishedSpans().find((s) => s.name === 'POST /api/v1/uplink');
    expect(server?.kind).toBe(SpanKind.SERVER);
    expect(server?.parentSpanContext?.spanId).toBe(callerSpanId);
    expect(carrier['traceparent']).toBe(`00-${traceId}-${server?.spanContext().spanId}-01`);
  });

  it('starts a new trace for a webhook without traceparent', async () => {
    const traceId = await runAsServerSpan({}, 'POST /api/v1/uplink', async () => trace.getActiveSpan()?.spanContext().traceId);

    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(exporter.getFinishedSpans().find((s) => s.name === 'POST /api/v1/uplink')?.parentSpanContext).toBeUndefined();
  });

  it('adds trace_id and span_id to log lines written inside the handler', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = createPinoLogger({
      service: 'occupancy',
      version: '1.0.0',
      level: 'info',
      destination: { write: (line: string) => void lines.push(JSON.parse(line)) },
    });
    const published = publishInSpan();

    const spanId = await runWithTraceContext(published.carrier, 'handle', (span) => {
      logger.info('space occupied');
      return span.spanContext().spanId;
    });

    expect(lines[0]).toMatchObject({ trace_id: published.traceId, span_id: spanId });
  });

  it('records the error on the span, ends it and rethrows', async () => {
    const { carrier } = publishInSpan();

    await expect(
      runWithTraceContext(carrier, 'failing handler', () => {
        throw new Error('database unavailable');
      }),
    ).rejects.toThrow('database unavailable');

    const span = exporter.getFinishedSpans().find((s) => s.name === 'failing handler');
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'database unavailable' });
    expect(span?.events.map((e) => e.name)).toContain('exception');
  });

  it('starts a new trace when the carrier holds no context', async () => {
    const outer = publishInSpan();

    const inside = await trace.getTracer('test').startActiveSpan('consumer loop', (loop) =>
      runWithTraceContext({}, 'handle', (span) => span.spanContext()).finally(() => loop.end()),
    );

    expect(inside.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(inside.traceId).not.toBe(outer.traceId);
    expect(exporter.getFinishedSpans().find((s) => s.name === 'handle')?.parentSpanContext).toBeUndefined();
  });
});
