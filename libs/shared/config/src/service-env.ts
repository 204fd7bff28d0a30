import { IsOptional } from 'class-validator';
import { EnvInt, EnvOneOf, EnvPattern, EnvUrl } from './env-validators';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Variables every service reads, whatever it does. Apps extend it (see HttpEnv, DatabaseEnv). */
export class ServiceEnv {
  /** One URL or a comma-separated list of cluster members. */
  @EnvUrl(['nats', 'tls'], { list: true })
  NATS_URL: string = 'nats://127.0.0.1:4222';

  /** Prefix for subjects and streams, so parallel test runs and stacks do not meet. */
  @EnvPattern(/^[a-z0-9]*$/, 'lower-case letters and digits only')
  NATS_NAMESPACE: string = '';

  /** Replicas of each JetStream stream this service creates: 3 on a NATS cluster, 1 on a single server. */
  @EnvInt({ min: 1, max: 5 })
  NATS_STREAM_REPLICAS: number = 1;

  @EnvOneOf(LOG_LEVELS)
  LOG_LEVEL: LogLevel = 'info';

  /** Spans are exported over OTLP only when this is set. */
  @IsOptional()
  @EnvUrl(['http', 'https'])
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;

  /** How long SIGTERM waits for in-flight work before the process exits anyway. */
  @EnvInt({ min: 1, max: 600_000 })
  SHUTDOWN_TIMEOUT_MS: number = 10_000;
}
