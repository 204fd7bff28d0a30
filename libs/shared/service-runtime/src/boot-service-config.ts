import { DatabaseEnv, EnvInt, HttpEnv, ServiceEnv, bootConfig } from '@parking/config';
import { DataServiceConfig, ServiceConfig } from './service-config';
import { serviceVersion } from './service-version';

/** The environment of a service that owns a schema; an app extends it with its own variables. */
export function DataServiceEnv(defaultPort: number) {
  class Env extends DatabaseEnv(HttpEnv(ServiceEnv, defaultPort)) {
    /** Connections in this process's pool; keep replicas × pool below PostgreSQL's max_connections. */
    @EnvInt({ min: 1, max: 200 })
    DATABASE_POOL_MAX: number = 10;
  }
  return Env;
}

export function serviceConfigFrom(service: string, env: ServiceEnv & { HTTP_PORT: number }): ServiceConfig {
  return {
    service,
    version: serviceVersion(),
    http: { port: env.HTTP_PORT },
    nats: { url: env.NATS_URL, namespace: env.NATS_NAMESPACE, streamReplicas: env.NATS_STREAM_REPLICAS },
    log: { level: env.LOG_LEVEL },
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
  };
}

/** For `main.ts` of a data service: validated configuration, or exit 78 naming every bad variable. */
export function bootDataServiceConfig(service: string, defaultPort: number): DataServiceConfig {
  return bootConfig(DataServiceEnv(defaultPort), (env) => ({
    ...serviceConfigFrom(service, env),
    database: { url: env.DATABASE_URL, poolMax: env.DATABASE_POOL_MAX },
  }));
}
