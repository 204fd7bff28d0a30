import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { AuditReasonField } from '../fields/audit';
import { DevEuiField, UuidField } from '../fields/identifiers';
import { PageOf, PageQueryOf } from '../fields/paging';
import { TextField } from '../fields/text';
import { defineRpc } from '../rpc-contract';
import { DEVICE_KINDS, type DeviceKind } from './devices-rpc';

/**
 * Platform administration of the uplink pipeline over NATS request/reply: orphan devices
 * and the ingest dead letters. Only platform admins; every call is audited with its reason.
 */

/** Raw events kept per orphan for replay (the newest). */
export const ORPHAN_EVENTS_KEPT = 500;
/**
 * Distinct orphan devEUIs recorded per source: a tenant (all its integrations together) or the
 * platform secret. Past it, events of further devEUIs from that source are counted
 * (ingest_orphan_events_capped_total) and acknowledged, not recorded; devEUIs already recorded
 * keep their events.
 */
export const ORPHAN_DEVEUIS_PER_SOURCE = 1_000;
export const INGEST_ADMIN_PAGE_MAX = 200;

// ---------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------

/** Every platform-admin call says why; ingest writes it to its audit trail. */
export class IngestAdminListQuery extends PageQueryOf(INGEST_ADMIN_PAGE_MAX) {
  @AuditReasonField('Weekly orphan review') reason!: string;
}

/** Newest `lastSeenAt` first. */
export class AdminListOrphansRequest extends IngestAdminListQuery {}

export class AssignOrphanBody {
  @AuditReasonField('Ticket #812: sensors of the new harbour deck') reason!: string;
  @UuidField({ doc: { example: '0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d10', description: 'The tenant that gets the device' } }) tenantId!: string;
  @TextField({ max: 64, trim: false, pattern: /^[a-z0-9][a-z0-9-]{0,63}$/, hint: 'must be a codec id such as nwave-nps405', doc: { example: 'nwave-nps405', description: 'A codec id of the ingest codec registry' } })
  codec!: string;
  @TextField({ max: 200, doc: { example: 'Deck 2, bay 14' } }) name!: string;

  @ApiPropertyOptional({ enum: DEVICE_KINDS, default: 'sensor' })
  @IsOptional()
  @IsIn(DEVICE_KINDS)
  kind?: DeviceKind;

  @ApiPropertyOptional({
    type: 'boolean',
    default: false,
    description:
      'When another tenant holds the devEUI (e.g. registered from its label by someone who does not own it): remove it there, announcing ingest.device.removed.v1 to that tenant, and register it in `tenantId`. Without it that is 409 DEVICE_EXISTS.',
  })
  @IsOptional()
  @IsBoolean()
  transfer?: boolean;
}

/**
 * Registers the orphan's devEUI in `tenantId`, replays its kept events (those the platform
 * secret or that tenant sent) through the pipeline in order, then forgets the orphan. This is
 * also how a platform admin approves a claim (DEVICE_CLAIM_REQUIRED) and, with `transfer`,
 * moves a devEUI another tenant registered.
 */
export class AdminAssignOrphanRequest extends AssignOrphanBody {
  @DevEuiField() devEui!: string;
}

/** Newest first; `cursor` is the sequence to continue below. */
export class AdminListDeadLettersRequest extends IngestAdminListQuery {}

export class ReplayDeadLetterBody {
  @AuditReasonField('Codec of the device fixed (ticket #990)') reason!: string;
}

export class AdminReplayDeadLetterRequest extends ReplayDeadLetterBody {
  @ApiProperty({ type: 'integer', minimum: 1, example: 118, description: 'The dead letter sequence from the list' })
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  seq!: number;
}

// ---------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------

/** One sender of an orphan: a tenant's integrations, or the platform secret. */
export class OrphanSourceView {
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, description: 'The tenant whose integration sent it; null: the platform secret' }) tenantId!: string | null;
  @ApiProperty({ example: 3 }) count!: number;
  @ApiProperty({ format: 'date-time', example: '2026-03-01T08:00:00Z' }) firstSeenAt!: string;
  @ApiProperty({ format: 'date-time', example: '2026-03-01T09:34:15Z' }) lastSeenAt!: string;
}

export class OrphanView {
  @ApiProperty({ example: '70b3d5e75e003c99', description: '16 lower-case hex digits' }) devEui!: string;
  @ApiProperty({ format: 'date-time', example: '2026-03-01T08:00:00Z' }) firstSeenAt!: string;
  @ApiProperty({ format: 'date-time', example: '2026-03-01T09:34:15Z' }) lastSeenAt!: string;
  @ApiProperty({ example: 3 }) count!: number;
  @ApiProperty({ example: 'up', description: 'ChirpStack event of the newest one' }) lastEvent!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The newest event, normalised' }) lastPayload!: Record<string, unknown>;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, description: 'null: signed with the platform secret' }) lastSourceTenantId!: string | null;
  @ApiProperty({ example: 3, description: `Raw events kept for replay (the newest ${ORPHAN_EVENTS_KEPT})` }) keptEvents!: number;
  @ApiProperty({
    type: OrphanSourceView,
    isArray: true,
    description:
      "Who sends it and has not registered it: each tenant whose integration sent it, and the platform secret. While a tenant is listed, any other tenant's registration of the devEUI is 409 DEVICE_CLAIM_REQUIRED.",
  })
  sources!: OrphanSourceView[];
}

export class OrphanPage extends PageOf(OrphanView) {}

export class AdminAssignOrphanResponse {
  @ApiProperty({ format: 'uuid' }) deviceId!: string;
  @ApiProperty({ example: '70b3d5e75e003c99' }) devEui!: string;
  @ApiProperty({ format: 'uuid' }) tenantId!: string;
  @ApiProperty({ example: 3, description: 'Kept events sent back through the pipeline' }) replayed!: number;
  @ApiProperty({ example: 0, description: "Kept events dropped: another tenant's integration had sent them" }) discarded!: number;
}

export class DeadLetterView {
  @ApiProperty({ example: 118, description: 'Position in the dead-letter stream; replay by it' }) seq!: number;
  /** The subject the message was first published on (namespace removed). */
  @ApiProperty({ example: 'webhook.chirpstack.up.0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d10' }) originalSubject!: string;
  @ApiProperty({ example: 'ingest-uplink-pipeline' }) consumer!: string;
  @ApiProperty({ example: 'undecodable uplink of 70b3d5e75e003c11: codec nwave-nps405: unknown_port (fPort 99) on fPort 99' }) reason!: string;
  @ApiProperty({ format: 'date-time' }) failedAt!: string;
  @ApiProperty({ example: 1 }) deliveries!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) headers!: Record<string, string>;
  @ApiProperty({ example: 412 }) payloadBytes!: number;
  @ApiProperty({ example: false }) replayed!: boolean;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: null }) replayedAt!: string | null;
}

export class DeadLetterPage extends PageOf(DeadLetterView) {}

export class AdminReplayDeadLetterResponse {
  @ApiProperty({ example: 118 }) seq!: number;
  @ApiProperty({ example: 'webhook.chirpstack.up.0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d10' }) originalSubject!: string;
  /** `replay:<seq>:<original msg id>` */
  @ApiProperty({ example: 'replay:118:up:3ac7e3c4-4401-4b8d-9386-a5c902f9202d' }) msgId!: string;
  @ApiProperty({ format: 'date-time' }) replayedAt!: string;
}

export const INGEST_ADMIN_RPC = {
  listOrphans: defineRpc('rpc.ingest.v1.admin.orphans.list', AdminListOrphansRequest, OrphanPage),
  /** Assigning replays the orphan's kept events (up to 500 publishes) before it answers. */
  assignOrphan: defineRpc('rpc.ingest.v1.admin.orphans.assign', AdminAssignOrphanRequest, AdminAssignOrphanResponse, { timeoutMs: 20_000 }),
  listDeadLetters: defineRpc('rpc.ingest.v1.admin.dead-letters.list', AdminListDeadLettersRequest, DeadLetterPage),
  replayDeadLetter: defineRpc('rpc.ingest.v1.admin.dead-letters.replay', AdminReplayDeadLetterRequest, AdminReplayDeadLetterResponse),
} as const;
