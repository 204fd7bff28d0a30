import type { PlatformAdminRequest } from '../identity/admin-rpc';
import type { Page, PageRequest } from '../identity/identity-rpc';

/**
 * Platform administration of the uplink pipeline over NATS request/reply: orphan devices
 * and the ingest dead letters. Only platform admins; every call is audited with its reason.
 */
export const INGEST_ADMIN_RPC = {
  listOrphans: 'rpc.ingest.v1.admin.orphans.list',
  assignOrphan: 'rpc.ingest.v1.admin.orphans.assign',
  listDeadLetters: 'rpc.ingest.v1.admin.dead-letters.list',
  replayDeadLetter: 'rpc.ingest.v1.admin.dead-letters.replay',
} as const;

export type IngestAdminRpcSubject = (typeof INGEST_ADMIN_RPC)[keyof typeof INGEST_ADMIN_RPC];

/** Raw events kept per orphan for replay (the newest). */
export const ORPHAN_EVENTS_KEPT = 500;
export const INGEST_ADMIN_PAGE_MAX = 200;

export interface OrphanView {
  /** 16 lower-case hex digits. */
  devEui: string;
  firstSeenAt: string;
  lastSeenAt: string;
  count: number;
  /** Event kind of the newest event: up, join, status, … */
  lastEvent: string;
  /** The newest event as normalised from ChirpStack's body. */
  lastPayload: Record<string, unknown>;
  /** null: signed with the platform secret. */
  lastSourceTenantId: string | null;
  /** Raw events kept for replay. */
  keptEvents: number;
}

/** Newest `lastSeenAt` first. */
export interface AdminListOrphansRequest extends PlatformAdminRequest, PageRequest {}
export type AdminListOrphansResponse = Page<OrphanView>;

/**
 * Registers the orphan's devEUI in `tenantId`, replays its kept events (those the platform
 * secret or that tenant sent) through the pipeline in order, then forgets the orphan.
 */
export interface AdminAssignOrphanRequest extends PlatformAdminRequest {
  devEui: string;
  tenantId: string;
  codec: string;
  name: string;
  /** Default `sensor`. */
  kind?: 'sensor' | 'display';
}
export interface AdminAssignOrphanResponse {
  deviceId: string;
  devEui: string;
  tenantId: string;
  /** Kept events sent back through the pipeline. */
  replayed: number;
  /** Kept events dropped because another tenant had sent them. */
  discarded: number;
}

export interface DeadLetterView {
  /** Sequence in the dead-letter stream: the id to replay it by. */
  seq: number;
  /** The subject the message was first published on (namespace removed). */
  originalSubject: string;
  consumer: string;
  reason: string;
  failedAt: string;
  deliveries: number;
  headers: Record<string, string>;
  payloadBytes: number;
  replayed: boolean;
  replayedAt: string | null;
}

/** Newest first; `cursor` is the sequence to continue below. */
export interface AdminListDeadLettersRequest extends PlatformAdminRequest, PageRequest {}
export type AdminListDeadLettersResponse = Page<DeadLetterView>;

export interface AdminReplayDeadLetterRequest extends PlatformAdminRequest {
  seq: number;
}
export interface AdminReplayDeadLetterResponse {
  seq: number;
  originalSubject: string;
  /** `replay:<seq>:<original msg id>` */
  msgId: string;
  replayedAt: string;
}
