export { createLoggerParams, createPinoLogger, pinoOptions, type LoggerSettings } from './logging/logger-options';
export { REDACT_PATHS, REDACTED } from './logging/redact-paths';
export { requestIdFor, REQUEST_ID_HEADER } from './logging/request-id';
export { registerRequestIdHeader } from './logging/request-id-header';
export { QUIET_ROUTES, HIGH_VOLUME_ROUTES, isQuietRoute, isHighVolumeRoute } from './quiet-routes';
export * from './tracing';
export {
  metricsRegistry,
  httpRequestDuration,
  consumerPending,
  watchConsumerPending,
  consumerRedeliveries,
  messagesHandled,
  deadLetters,
  outboxBacklog,
  outboxPublished,
  chirpstackCallDuration,
  chirpstackCircuitState,
  type MessageOutcome,
} from './metrics/instruments';
export { registerHttpMetrics, UNMATCHED_ROUTE } from './metrics/http-metrics';
export { MetricsController } from './metrics/metrics.controller';
export { ObservabilityModule } from './observability.module';
