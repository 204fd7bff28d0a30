// Entry point `@parking/observability/tracing`: OpenTelemetry only, so that main.ts can
// start tracing before Nest, Fastify, pino or prom-client are loaded.
export { startTracing, type TracingHandle, type TracingOptions } from './start-tracing';
export { injectTraceContext, runAsServerSpan, runWithTraceContext, type TraceCarrier } from './trace-context';
export { activeTraceFields } from './active-trace-fields';
