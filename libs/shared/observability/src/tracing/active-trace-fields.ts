import { isSpanContextValid, trace } from '@opentelemetry/api';

/** `{trace_id, span_id}` of the active span, or `{}` outside any span. Used as pino's mixin. */
export function activeTraceFields(): { trace_id?: string; span_id?: string } {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (!spanContext || !isSpanContextValid(spanContext)) return {};
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}
