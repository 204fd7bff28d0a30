import { context, propagation, trace } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { NodeSDK, resources, tracing } from '@opentelemetry/sdk-node';
import { isHighVolumeRoute, isQuietRoute } from '../quiet-routes';

export interface TracingOptions {
  service: string;
  /** Defaults to SERVICE_VERSION (or npm's package version) from the environment. */
  version?: string;
  /** Replaces the exporter choice below; tests pass an in-memory exporter here. */
  spanProcessors?: tracing.SpanProcessor[];
}

export interface TracingHandle {
  /** Flushes pending spans and unregisters tracing, so a later start begins afresh. */
  shutdown(): Promise<void>;
}

let running: TracingHandle | undefined;

/**
 * Starts OpenTelemetry: W3C trace-context propagation and the http instrumentation. Call it
 * in the first lines of `main.ts`, before Nest and Fastify are loaded. Spans always exist
 * (so trace ids propagate and reach the logs); they are recorded and exported over OTLP only
 * when OTEL_EXPORTER_OTLP_ENDPOINT is set (OTEL_TRACES_SAMPLER then picks which), and are
 * non-recording otherwise. The high-volume webhook routes are left to their handler
 * (runAsServerSpan): the http instrumentation costs them more than the rest of the route.
 * A second call returns the running instance.
 */
export function startTracing(options: TracingOptions): TracingHandle {
  if (running) return running;

  const httpInstrumentation = new HttpInstrumentation({
    ignoreIncomingRequestHook: (req) => isQuietRoute(req.url) || isHighVolumeRoute(req.url),
  });
  const sdk = new NodeSDK({
    serviceName: options.service,
    resource: resources.resourceFromAttributes({ 'service.version': options.version ?? versionFromEnv() }),
    textMapPropagator: new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    }),
    instrumentations: [httpInstrumentation],
    spanProcessors: options.spanProcessors ?? defaultSpanProcessors(),
    ...(options.spanProcessors || exporting() ? {} : { sampler: new tracing.AlwaysOffSampler() }),
    // Metrics are served by prom-client and logs go to stdout: the SDK must not export either.
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();

  const handle: TracingHandle = {
    async shutdown() {
      if (running !== handle) return;
      running = undefined;
      try {
        await sdk.shutdown();
      } finally {
        httpInstrumentation.disable();
        trace.disable();
        context.disable();
        propagation.disable();
      }
    },
  };
  running = handle;
  return handle;
}

function versionFromEnv(): string {
  return process.env['SERVICE_VERSION'] ?? process.env['npm_package_version'] ?? 'unknown';
}

/**
 * `undefined` lets the SDK build the OTLP exporter from the OTEL_EXPORTER_OTLP_* variables.
 * Without an endpoint a no-op processor still makes the SDK register a tracer provider; with
 * no processor at all it would register none and every span would be invalid.
 */
function defaultSpanProcessors(): tracing.SpanProcessor[] | undefined {
  return exporting() ? undefined : [new tracing.NoopSpanProcessor()];
}

function exporting(): boolean {
  return Boolean(process.env['OTEL_EXPORTER_OTLP_ENDPOINT']?.trim());
}
