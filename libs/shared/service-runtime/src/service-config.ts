import { DEFAULT_PLAN, type PlanId, type StreamLimitOverrides } from '@parking/contracts';
import type { NatsAuth } from '@parking/messaging';

/** What every service's typed configuration carries, whatever else it adds. */
export interface ServiceConfig {
  service: string;
  version: string;
  http: { port: number };
  /** `auth`: the service's own NATS user (when configured) and inbox prefix, for every connection it opens. */
  /** `streamLimits`: NATS_STREAM_LIMITS, over the streams' declared max_bytes and max_age. */
  nats: { url: string; namespace: string; streamReplicas: number; streamLimits?: StreamLimitOverrides; auth?: NatsAuth };
  log: { level: string };
  shutdownTimeoutMs: number;
  /** This service's key for the proofs of the RPCs it sends, and the callers whose proofs it accepts. */
  rpcProof: { signingKey?: string; trustedKeys?: string };
}

/** A service that owns a PostgreSQL schema. */
export interface DataServiceConfig extends ServiceConfig {
  database: { url: string; poolMax: number };
  /** DEFAULT_TENANT_PLAN: a new tenant's plan, and the limits of a tenant not heard of yet. */
  defaultTenantPlan: PlanId;
  /** OUTBOX_RETENTION_HOURS and RETENTION_INTERVAL_MINUTES; a service adds the days of its own tables. */
  retention: { outboxHours: number; intervalMs: number };
}

/** DEFAULT_TENANT_PLAN of the app's configuration; the built-in default where a test builds a class without one. */
export function defaultTenantPlanOf(config?: Pick<DataServiceConfig, 'defaultTenantPlan'>): PlanId {
  return config?.defaultTenantPlan ?? DEFAULT_PLAN;
}
