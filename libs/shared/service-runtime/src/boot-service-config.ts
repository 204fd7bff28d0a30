import { DatabaseEnv, EnvInt, EnvOneOf, HttpEnv, RpcServerEnv, ServiceEnv, bootConfig, databaseUrl } from '@parking/config';
import { DEFAULT_PLAN, parseStreamLimits, PLANS, type PlanId } from '@parking/contracts';
import { natsAuthFrom } from './nats-auth-config';
import { DataServiceConfig, ServiceConfig } from './service-config';
import { serviceVersion } from './service-version';

/** The environment of a service that owns a schema; an app extends it with its own variables. */
export function DataServiceEnv(defaultPort: number) {
  class Env extends RpcServerEnv(DatabaseEnv(HttpEnv(ServiceEnv, defaultPort))) {
    /** Connections in this process's pool; keep replicas × pool below PostgreSQL's max_connections. */
    @EnvInt({ min: 1, max: 200 })
    DATABASE_POOL_MAX: number = 10;

    /**
     * The plan a new tenant starts on, and the limits a service applies to a tenant whose
     * limits it has not heard yet: the same in every service.
     */
    @EnvOneOf(Object.keys(PLANS) as PlanId[])
    DEFAULT_TENANT_PLAN: PlanId = DEFAULT_PLAN;

    /**
     * Hours a published outbox row is kept (its event lives on in its stream): to publish again
     * what a lost JetStream store held. The largest rows per uplink, so hours; 0 keeps them forever.
     */
    @EnvInt({ min: 0, max: 876_000 })
    OUTBOX_RETENTION_HOURS: number = 6;

    /** Minutes between retention rounds; each deletes in batches, one replica at a time. */
    @EnvInt({ min: 1, max: 1_440 })
    RETENTION_INTERVAL_MINUTES: number = 60;
  }
  return Env;
}

export function serviceConfigFrom(service: string, env: ServiceEnv & { HTTP_PORT: number; RPC_SIGNING_KEY?: string; RPC_TRUSTED_KEYS?: string }): ServiceConfig {
  return {
    service,
    version: serviceVersion(),
    http: { port: env.HTTP_PORT },
    nats: {
      url: env.NATS_URL,
      namespace: env.NATS_NAMESPACE,
      streamReplicas: env.NATS_STREAM_REPLICAS,
      streamLimits: streamLimitsFrom(env.NATS_STREAM_LIMITS),
      auth: natsAuthFrom(service, env),
    },
    log: { level: env.LOG_LEVEL },
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    rpcProof: { signingKey: env.RPC_SIGNING_KEY, trustedKeys: env.RPC_TRUSTED_KEYS },
  };
}

/** The variables DataServiceEnv declares, whatever the app adds to them. */
export type DataServiceVariables = InstanceType<ReturnType<typeof DataServiceEnv>>;

/** What every data service's configuration holds; an app spreads it into its own. */
export function dataServiceConfigFrom(service: string, env: DataServiceVariables): DataServiceConfig {
  return {
    ...serviceConfigFrom(service, env),
    database: { url: databaseUrl(env), poolMax: env.DATABASE_POOL_MAX },
    defaultTenantPlan: env.DEFAULT_TENANT_PLAN,
    retention: { outboxHours: env.OUTBOX_RETENTION_HOURS, intervalMs: env.RETENTION_INTERVAL_MINUTES * 60_000 },
  };
}

/** For `main.ts` of a data service: validated configuration, or exit 78 naming every bad variable. */
export function bootDataServiceConfig(service: string, defaultPort: number, env: NodeJS.ProcessEnv = process.env): DataServiceConfig {
  return bootConfig(DataServiceEnv(defaultPort), (parsed) => dataServiceConfigFrom(service, parsed), env);
}

/** NATS_STREAM_LIMITS, already validated by ServiceEnv. */
function streamLimitsFrom(text: string | undefined) {
  const parsed = parseStreamLimits(text ?? '');
  return parsed.ok ? parsed.limits : {};
}
