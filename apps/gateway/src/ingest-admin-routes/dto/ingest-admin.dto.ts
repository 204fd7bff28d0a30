import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import type {
  AdminAssignOrphanResponse,
  AdminReplayDeadLetterResponse,
  DeadLetterView,
  OrphanView,
} from '@parking/contracts';
import { PageQuery } from '../../identity-routes/dto/page-query.dto';

/** Every platform-admin call says why; ingest writes it to its audit trail. */
export class IngestAdminListQuery extends PageQuery {
  @ApiProperty({ minLength: 3, maxLength: 500, example: 'Weekly orphan review' })
  @IsString()
  @Length(3, 500)
  reason!: string;
}

export class AssignOrphanBody {
  @ApiProperty({ minLength: 3, maxLength: 500, example: 'Ticket #812: sensors of the new harbour deck' })
  @IsString()
  @Length(3, 500)
  reason!: string;

  @ApiProperty({ format: 'uuid', example: '0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d10', description: 'The tenant that gets the device' })
  @IsUUID()
  tenantId!: string;

  @ApiProperty({ example: 'nwave-nps405', description: 'A codec id of the ingest codec registry' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/, { message: 'codec must be a codec id such as nwave-nps405' })
  codec!: string;

  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Deck 2, bay 14' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({ enum: ['sensor', 'display'], default: 'sensor' })
  @IsOptional()
  @IsIn(['sensor', 'display'])
  kind?: 'sensor' | 'display';
}

export class ReplayDeadLetterBody {
  @ApiProperty({ minLength: 3, maxLength: 500, example: 'Codec of the device fixed (ticket #990)' })
  @IsString()
  @Length(3, 500)
  reason!: string;
}

export class OrphanDto implements OrphanView {
  @ApiProperty({ example: '70b3d5e75e003c99', description: '16 lower-case hex digits' }) devEui!: string;
  @ApiProperty({ format: 'date-time', example: '2026-03-01T08:00:00Z' }) firstSeenAt!: string;
  @ApiProperty({ format: 'date-time', example: '2026-03-01T09:34:15Z' }) lastSeenAt!: string;
  @ApiProperty({ example: 3 }) count!: number;
  @ApiProperty({ example: 'up', description: 'ChirpStack event of the newest one' }) lastEvent!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The newest event, normalised' }) lastPayload!: Record<string, unknown>;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, description: 'null: signed with the platform secret' }) lastSourceTenantId!: string | null;
  @ApiProperty({ example: 3, description: 'Raw events kept for replay (the newest 500)' }) keptEvents!: number;
}

export class OrphanPage {
  @ApiProperty({ type: OrphanDto, isArray: true }) items!: OrphanDto[];
  @ApiProperty({ type: 'string', nullable: true, example: null }) nextCursor!: string | null;
}

export class AssignOrphanResponseDto implements AdminAssignOrphanResponse {
  @ApiProperty({ format: 'uuid' }) deviceId!: string;
  @ApiProperty({ example: '70b3d5e75e003c99' }) devEui!: string;
  @ApiProperty({ format: 'uuid' }) tenantId!: string;
  @ApiProperty({ example: 3, description: 'Kept events sent back through the pipeline' }) replayed!: number;
  @ApiProperty({ example: 0, description: "Kept events dropped: another tenant's integration had sent them" }) discarded!: number;
}

export class DeadLetterDto implements DeadLetterView {
  @ApiProperty({ example: 118, description: 'Position in the dead-letter stream; replay by it' }) seq!: number;
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

export class DeadLetterPage {
  @ApiProperty({ type: DeadLetterDto, isArray: true }) items!: DeadLetterDto[];
  @ApiProperty({ type: 'string', nullable: true, example: '117', description: 'Continue with older dead letters' }) nextCursor!: string | null;
}

export class ReplayDeadLetterResponseDto implements AdminReplayDeadLetterResponse {
  @ApiProperty({ example: 118 }) seq!: number;
  @ApiProperty({ example: 'webhook.chirpstack.up.0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d10' }) originalSubject!: string;
  @ApiProperty({ example: 'replay:118:up:3ac7e3c4-4401-4b8d-9386-a5c902f9202d' }) msgId!: string;
  @ApiProperty({ format: 'date-time' }) replayedAt!: string;
}
