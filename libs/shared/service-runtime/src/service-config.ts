import type { StreamLimitOverrides } from '@parking/contracts';
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
}
