import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { Each } from '../fields/compose';
import { DevEuiField, UUID_EXAMPLE, UuidField } from '../fields/identifiers';
import { PageOf, PageQueryOf } from '../fields/paging';
import { TextField } from '../fields/text';
import { TagMapField } from '../ingest/devices-rpc';
import { ExpectedVersion, OneOf } from '../occupancy/occupancy-fields';
import { DEVICE_SYNC_STATUSES, type DeviceSyncStatus } from './device-sync-payloads';

export const GATEWAY_PAGE_MAX = 100;
export const GATEWAY_STATES = ['unknown', 'online', 'offline'] as const;
export type GatewayState = (typeof GATEWAY_STATES)[number];
/** The longest window a statistics query covers. */
export const GATEWAY_STATS_MAX_HOURS = 24 * 31;

const GatewayIdField = (presence: 'required' | 'optional' = 'required') =>
  DevEuiField({ presence, doc: { example: '0016c001f153a14c', description: "The gateway's EUI: 16 hex digits, any case, optionally separated by \"-\" or \":\"" } });

const StatsInterval = () =>
  Each(
    ApiPropertyOptional({ minimum: 5, maximum: 3600, default: 30, example: 30, description: 'Seconds between the gateway\'s stats messages; ChirpStack (and we) call it offline after twice that without one' }),
    IsOptional(),
    IsInt(),
    Min(5),
    Max(3600),
  );

class GatewayFields {
  @UuidField({ doc: { description: 'The site the gateway serves' } }) siteId!: string;
  @TextField({ max: 100, doc: { example: 'Level 2 north' } }) name!: string;
  @TextField({ presence: 'optional', min: 0, max: 500, doc: { example: 'Kerlink iStation on the north stairwell' } }) description?: string;
  @TagMapField() tags?: Record<string, string>;
  @StatsInterval() statsIntervalSeconds?: number;
  @UuidField({ presence: 'optional', doc: { description: "The ChirpStack connection to provision it through; the tenant's default when absent" } }) connectionId?: string;
}

export class CreateGatewayBody extends GatewayFields {
  @GatewayIdField() gatewayId!: string;
}
/** Replaces the gateway whole (its id stays). */
export class UpdateGatewayBody extends GatewayFields {
  @ExpectedVersion() version?: number;
}
export class CreateGatewayRequest extends CreateGatewayBody {}
export class UpdateGatewayRequest extends UpdateGatewayBody {
  @GatewayIdField() gatewayId!: string;
}
export class GatewayRef {
  @GatewayIdField() gatewayId!: string;
}
export class ListGatewaysRequest extends PageQueryOf(GATEWAY_PAGE_MAX) {
  @UuidField({ presence: 'optional', doc: { description: "One site's gateways" } }) siteId?: string;
  @OneOf(GATEWAY_STATES, { presence: 'optional', doc: { example: 'offline' } }) state?: GatewayState;
}
export class GatewayStatsQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: GATEWAY_STATS_MAX_HOURS, default: 24, example: 24, description: 'The last this many hours' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(GATEWAY_STATS_MAX_HOURS)
  hours?: number;
}
export class GatewayStatsRequest extends GatewayStatsQuery {
  @GatewayIdField() gatewayId!: string;
}

export class GatewaySync {
  @ApiProperty({ enum: DEVICE_SYNC_STATUSES, example: 'synced', description: 'Whether ChirpStack holds the gateway as it is here' }) status!: DeviceSyncStatus;
  @ApiProperty({ type: 'string', nullable: true, example: null }) reason!: string | null;
  @ApiProperty({ example: 0 }) attempts!: number;
}

export class GatewayView {
  @ApiProperty({ example: '0016c001f153a14c' }) gatewayId!: string;
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) siteId!: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, example: UUID_EXAMPLE }) connectionId!: string | null;
  @ApiProperty({ example: 'Level 2 north' }) name!: string;
  @ApiProperty({ example: '' }) description!: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, example: { floor: '2' } }) tags!: Record<string, string>;
  @ApiProperty({ example: 30 }) statsIntervalSeconds!: number;
  @ApiProperty({ enum: GATEWAY_STATES, example: 'online', description: 'unknown until it is first seen' }) state!: GatewayState;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) stateChangedAt!: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, description: 'The later of ChirpStack\'s last-seen time and the last uplink it relayed' }) lastSeenAt!: string | null;
  @ApiProperty({ type: GatewaySync }) sync!: GatewaySync;
  @ApiProperty({ example: 1 }) version!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}
export class GatewayPage extends PageOf(GatewayView) {}

export class HistogramBucket {
  @ApiProperty({ example: -90, description: 'From (inclusive)' }) from!: number;
  @ApiProperty({ example: -80, description: 'To (exclusive)' }) to!: number;
  @ApiProperty({ example: 42 }) count!: number;
}
export class SignalDistribution {
  @ApiProperty({ type: 'number', nullable: true, example: -112 }) min!: number | null;
  @ApiProperty({ type: 'number', nullable: true, example: -41 }) max!: number | null;
  @ApiProperty({ type: 'number', nullable: true, example: -83.4 }) mean!: number | null;
  @ApiProperty({ type: HistogramBucket, isArray: true, description: 'Buckets with at least one uplink' }) histogram!: HistogramBucket[];
}
export class UplinksInHour {
  @ApiProperty({ format: 'date-time', example: '2026-12-06T09:00:00.000Z' }) hour!: string;
  @ApiProperty({ example: 118 }) uplinks!: number;
}
export class DutyCycleBand {
  @ApiProperty({ example: '863000000-865000000' }) band!: string;
  @ApiProperty({ example: 0.1, description: 'Percent of the band\'s allowance used (ChirpStack\'s load)' }) loadPercent!: number;
  @ApiProperty({ example: 1, description: 'The band\'s duty-cycle limit, percent' }) maxLoadPercent!: number;
}
export class DutyCycle {
  @ApiProperty({ type: 'string', nullable: true, example: null, description: 'Why there are no figures (the connection\'s ChirpStack does not serve them, or failed)' }) unavailable!: string | null;
  @ApiProperty({ type: DutyCycleBand, isArray: true }) bands!: DutyCycleBand[];
}
export class GatewayStatsView {
  @ApiProperty({ example: '0016c001f153a14c' }) gatewayId!: string;
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time' }) to!: string;
  @ApiProperty({ example: 2430 }) uplinks!: number;
  @ApiProperty({ type: UplinksInHour, isArray: true, description: 'Hours with at least one uplink, oldest first' }) uplinksPerHour!: UplinksInHour[];
  @ApiProperty({ type: SignalDistribution, description: 'RSSI in dBm, 10 dB buckets' }) rssi!: SignalDistribution;
  @ApiProperty({ type: SignalDistribution, description: 'SNR in dB, 2.5 dB buckets' }) snr!: SignalDistribution;
  @ApiProperty({ type: DutyCycle, description: "ChirpStack's duty-cycle metrics of the window (GatewayService.GetDutyCycleMetrics)" }) dutyCycle!: DutyCycle;
}
