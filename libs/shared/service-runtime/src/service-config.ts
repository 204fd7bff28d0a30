/** What every service's typed configuration carries, whatever else it adds. */
export interface ServiceConfig {
  service: string;
  version: string;
  http: { port: number };
  nats: { url: string; namespace: string; streamReplicas: number };
  log: { level: string };
  shutdownTimeoutMs: number;
}

/** A service that owns a PostgreSQL schema. */
export interface DataServiceConfig extends ServiceConfig {
  database: { url: string; poolMax: number };
}
