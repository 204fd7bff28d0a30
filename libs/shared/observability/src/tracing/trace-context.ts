import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Span,
} from '@opentelemetry/api';

/** Carries `traceparent` / `tracestate` (e.g. NATS headers, an outbox row's `headers`). */
export type TraceCarrier = Record<string, string>;

const tracer = () => trace.getTracer('@parking/observability');

/** Writes the active trace context into `carrier` (and returns it) for the message about to leave. */
export function injectTraceContext<C extends TraceCarrier>(carrier: C): C {
  propagation.inject(context.active(), carrier);
  return carrier;
}

/**
 * Runs a message handler as a CONSUMER span whose parent comes from the message's carrier.
 * The span ends when `fn` settles; a thrown error is recorded on it and rethrown.
 */
export async function runWithTraceContext<T>(
  carrier: Readonly<Record<string, string | undefined>>,
  spanName: string,
  fn: (span: Span) => T | Promise<T>,
  attributes: Attributes = {},
): Promise<T> {
  // From the root, not the active context: without a carrier the handler starts a new trace
  // instead of joining whatever the consumer loop happened to be running in.
  const parent = propagation.extract(ROOT_CONTEXT, carrier);
  return tracer().startActiveSpan(spanName, { kind: SpanKind.CONSUMER, attributes }, parent, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      const exception = error instanceof Error ? error : new Error(String(error));
      span.recordException(exception);
      span.setStatus({ code: SpanStatusCode.ERROR, message: exception.message });
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * Runs a request handler of a route the http instrumentation skips (the webhook routes) as a
 * SERVER span, child of the caller's `traceparent` if it sent one; what the handler publishes
 * carries the span's context on.
 */
export function runAsServerSpan<T>(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  spanName: string,
  fn: (span: Span) => Promise<T>,
  attributes: Attributes = {},
): Promise<T> {
  const carrier: Record<string, string> = {};
  for (const key of ['traceparent', 'tracestate', 'baggage']) {
    const value = headers[key];
    if (typeof value === 'string') carrier[key] = value;
  }
  const parent = propagation.extract(ROOT_CONTEXT, carrier);
  return tracer().startActiveSpan(spanName, { kind: SpanKind.SERVER, attributes }, parent, async (span) => {
    try {
      return await fn(span);
    } finally {
      span.end();
    }
  });
}
