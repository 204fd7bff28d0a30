import { IsOptional, ValidateBy } from 'class-validator';
import { parseStreamLimits } from '@parking/contracts';
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

  /**
   * max_bytes and max_age of the streams this service creates or owns, over their defaults
   * (`STREAMS` in @parking/contracts): `WEBHOOKS=20GiB/3d,INGEST=20GiB/7d`, `*` for every
   * stream not named. The owner of a stream applies them at every boot.
   */
  @ValidateBy({
    name: 'streamLimits',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && parseStreamLimits(value).ok,
      defaultMessage: (args) => {
        const parsed = typeof args?.value === 'string' ? parseStreamLimits(args.value) : undefined;
        return `must be <STREAM>=<size>/<age>, comma-separated (e.g. WEBHOOKS=20GiB/3d,*=1GiB/7d)${parsed && !parsed.ok ? `: ${parsed.reason}` : ''}`;
      },
    },
  })
  NATS_STREAM_LIMITS: string = '';

  /**
   * This service's own NATS user and password (the server's authorization names one user per
   * service). Both or neither: without them the service connects anonymously, which only a
   * server without authorization accepts.
   */
  @IsOptional()
  @EnvPattern(/^[a-z][a-z0-9-]{0,63}$/, 'the NATS user of this service, e.g. identity')
  NATS_USER?: string;

  @IsOptional()
  @EnvPattern(/^\S{16,256}$/, '16 to 256 characters without spaces (npm run nats:config -- --passwords generate makes them)')
  NATS_PASSWORD?: string;

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
