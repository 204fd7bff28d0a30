import type { InjectionToken, Type } from '@nestjs/common';
import type { StreamLimitOverrides, StreamSpec } from '@parking/contracts';
import type { SqlClient, TenantDatabase } from '@parking/database';
import type { BackoffPolicy, EventHandler, EventHandlerContext, MessagingLogger, NatsAuth, OutboxWake } from '@parking/messaging';
import type { EventEnvelope } from '@parking/contracts';

/** A handler class resolved from the Nest container, so it can inject what it needs. */
export interface EventConsumer<Tx extends SqlClient = SqlClient> {
  handle(envelope: EventEnvelope, tx: Tx, ctx: EventHandlerContext): Promise<void>;
}

/** A durable consumer declared in code and provisioned at boot. */
export interface ConsumerDefinition<Tx extends SqlClient = SqlClient> {
  /** The durable is `<service>-<purpose>`, e.g. `occupancy-device-projection`. */
  purpose: string;
  /** Logical stream name, e.g. `INGEST`. */
  stream: string;
  /** Logical filter subject, e.g. `ingest.device.>` (NATS 2.9: one per consumer). */
  filterSubject: string;
  handler: EventHandler<Tx> | Type<EventConsumer<Tx>>;
  concurrency?: number;
  maxDeliveries?: number;
  backoff?: Partial<BackoffPolicy>;
  ackWaitMs?: number;
  maxAckPending?: number;
}

export interface OutboxOptions {
  wake?: OutboxWake;
  /** Connection string for the relay's LISTEN connection; required with wake 'notify'. */
  listenUrl?: string;
  pollIntervalMs?: number;
  batchSize?: number;
  /** See OutboxRelayOptions.recordStreamPositions (the schema needs a stream_positions table). */
  recordStreamPositions?: boolean;
  /**
   * A database of the relay's own (e.g. over PgSqlClient, lighter per statement than Prisma);
   * without it the relay shares the service's.
   */
  database?: () => TenantDatabase;
}

export interface MessagingModuleOptions {
  /** `identity`, `chirpstack-sync`, …: names connections, durables and dead letters. */
  service: string;
  /** The service's schema (outbox, inbox); required with a database. */
  schema?: string;
  natsUrl: string;
  /** The service's NATS user and inbox prefix (anonymous without). */
  natsAuth?: NatsAuth;
  /** '' in production; a unique prefix in tests and parallel stacks. */
  namespace?: string;
  /** Streams the service owns, created or brought up to date at boot (logical specs from `STREAMS`). */
  streams: readonly StreamSpec[];
  /** Streams it consumes but does not own: created at boot when missing, never changed. */
  ensuredStreams?: readonly StreamSpec[];
  /** The service's TenantDatabase, or the token it is provided under. Without it: no outbox, no consumers. */
  database?: TenantDatabase | InjectionToken;
  consumers?: ConsumerDefinition[];
  outbox?: OutboxOptions;
  /** For tests: JetStream's duplicate window (default 2 minutes). */
  duplicateWindowMs?: number;
  /** Replicas of the streams this service creates (existing streams keep theirs). */
  streamReplicas?: number;
  /** Over the streams' declared max_bytes and max_age (NATS_STREAM_LIMITS). */
  streamLimits?: StreamLimitOverrides;
  logger?: MessagingLogger;
}
