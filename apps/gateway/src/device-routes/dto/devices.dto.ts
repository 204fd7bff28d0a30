import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min, ValidateBy, ValidateIf } from 'class-validator';
import {
  DEVICE_KINDS,
  DEVICE_PAGE_DEFAULT,
  DEVICE_PAGE_MAX,
  DEVICE_TAGS_MAX,
  LOW_BATTERY_DEFAULT_PERCENT,
  type AdminDeviceStatsResponse,
  type AdminDeviceView,
  type DeviceHealth,
  type DeviceInput,
  type DeviceKind,
  type DeviceLocation,
  type DeviceView,
  type ImportDevicesResponse,
} from '@parking/contracts';

/** 16 hex digits, any case, optionally grouped by `-` or `:`; ingest stores them lower case without separators. */
export const DEV_EUI_PATTERN = /^[0-9a-fA-F]{2}(?:[-:]?[0-9a-fA-F]{2}){7}$/;
const DEV_EUI_MESSAGE = 'devEui must be 16 hex digits (upper or lower case, optionally separated by "-" or ":")';
const HEARTBEAT_MAX = 30 * 24 * 3600;
const CODEC_EXAMPLES = 'nwave-nps405, nwave-nps310, bosch-tps110, dingtek-do201, browan-tbdw100, chirpstack-object';

const IsDeviceTags = () =>
  ValidateBy({
    name: 'isDeviceTags',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value) &&
        Object.keys(value).length <= DEVICE_TAGS_MAX &&
        Object.entries(value).every(([key, tag]) => /^[A-Za-z0-9_.-]{1,64}$/.test(key) && typeof tag === 'string' && tag.length <= 200),
      defaultMessage: () => `tags must map at most ${DEVICE_TAGS_MAX} keys (letters, digits, "_", ".", "-"; up to 64) to strings of up to 200 characters`,
    },
  });

const TAGS_DOC = { type: 'object', additionalProperties: { type: 'string', maxLength: 200 }, example: { level: '2', zone: 'north' } } as const;

/** Applies several property decorators as one. */
function Each(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, property) => decorators.forEach((decorate) => decorate(target, property));
}

const NullableString = (example: string | null, description: string) =>
  Each(
    ApiPropertyOptional({ type: 'string', nullable: true, maxLength: 200, example, description }),
    IsOptional(),
    ValidateIf((_o: unknown, value: unknown) => value !== null),
    IsString(),
    MaxLength(200),
  );

const NullableHeartbeat = () =>
  Each(
    ApiPropertyOptional({ type: 'integer', nullable: true, minimum: 1, maximum: HEARTBEAT_MAX, example: 900, description: "Seconds between expected uplinks; null or absent: the codec's default" }),
    IsOptional(),
    ValidateIf((_o: unknown, value: unknown) => value !== null),
    IsInt(),
    Min(1),
    Max(HEARTBEAT_MAX),
  );

export class RegisterDeviceBody implements DeviceInput {
  @ApiProperty({ example: '70-B3-D5-47-50-10-0A-1B', description: '16 hex digits, any case, optionally separated by "-" or ":"' })
  @IsString()
  @Matches(DEV_EUI_PATTERN, { message: DEV_EUI_MESSAGE })
  devEui!: string;

  @ApiProperty({ enum: DEVICE_KINDS, example: 'sensor' })
  @IsIn(DEVICE_KINDS)
  kind!: DeviceKind;

  @ApiProperty({ example: 'nwave-nps405', description: `The payload codec: ${CODEC_EXAMPLES}` })
  @IsString()
  @Length(1, 64)
  codec!: string;

  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Bay 12, level 2' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @NullableString('1f0c7e2a-9b34-4d58-a6e1-2c3d4e5f6a7b', 'The ChirpStack application the device belongs to')
  chirpstackApplicationId?: string | null;

  @NullableString('7a2b9c4d-0e1f-4a3b-8c5d-6e7f8a9b0c1d', 'The ChirpStack device profile')
  chirpstackProfileId?: string | null;

  @NullableHeartbeat()
  heartbeatSeconds?: number | null;

  @ApiPropertyOptional(TAGS_DOC)
  @IsOptional()
  @IsDeviceTags()
  tags?: Record<string, string>;
}

export class UpdateDeviceBody {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200, example: 'Bay 12 (EV), level 2' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ enum: DEVICE_KINDS, example: 'sensor' })
  @IsOptional()
  @IsIn(DEVICE_KINDS)
  kind?: DeviceKind;

  @ApiPropertyOptional({ example: 'bosch-tps110', description: `The payload codec: ${CODEC_EXAMPLES}` })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  codec?: string;

  @NullableHeartbeat()
  heartbeatSeconds?: number | null;

  @ApiPropertyOptional({ ...TAGS_DOC, description: 'Replaces every tag' })
  @IsOptional()
  @IsDeviceTags()
  tags?: Record<string, string>;

  @NullableString('1f0c7e2a-9b34-4d58-a6e1-2c3d4e5f6a7b', 'null clears it')
  chirpstackApplicationId?: string | null;

  @NullableString(null, 'null clears it')
  chirpstackProfileId?: string | null;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, example: 3, description: 'The version you read; if the device has moved on, 409 CONFLICT and nothing changes' })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

export class DevicePageQuery {
  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page', example: 'WyIxNzk2MjAwMDAwMDAwMDAwIiwiM2M5ZSJd' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: DEVICE_PAGE_MAX, default: DEVICE_PAGE_DEFAULT, example: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(DEVICE_PAGE_MAX)
  limit?: number;
}

export class DeviceFilterQuery extends DevicePageQuery {
  @ApiPropertyOptional({ enum: DEVICE_KINDS, example: 'sensor' })
  @IsOptional()
  @IsIn(DEVICE_KINDS)
  kind?: DeviceKind;

  @ApiPropertyOptional({ example: 'nwave-nps405' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  codec?: string;

  @ApiPropertyOptional({ example: 'level:2', description: 'key:value: devices whose tag `key` is `value`' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_.-]{1,64}:.{0,200}$/s, { message: 'tag must be key:value (key of letters, digits, "_", ".", "-")' })
  tag?: string;

  @ApiPropertyOptional({ example: 'Bay 1', description: 'Prefix of the name (case-insensitive) or of the devEUI' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  q?: string;
}

export class ListDevicesQuery extends DeviceFilterQuery {
  @ApiPropertyOptional({ enum: ['online', 'offline'], description: 'online: heard within 2 × heartbeat; offline: not (including never heard)' })
  @IsOptional()
  @IsIn(['online', 'offline'])
  status?: 'online' | 'offline';

  @ApiPropertyOptional({ enum: ['low'], description: `low: last known battery below ${LOW_BATTERY_DEFAULT_PERCENT} %` })
  @IsOptional()
  @IsIn(['low'])
  battery?: 'low';
}

export class LowBatteryQuery extends DeviceFilterQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: LOW_BATTERY_DEFAULT_PERCENT, example: 20, description: 'Battery percentage below which a device is listed' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  threshold?: number;
}

export class AdminReasonQuery {
  @ApiProperty({ minLength: 3, maxLength: 500, example: 'Capacity planning for the LNS upgrade' })
  @IsString()
  @Length(3, 500)
  reason!: string;
}

export class AdminDevicesQuery extends DevicePageQuery {
  @ApiProperty({ minLength: 3, maxLength: 500, example: 'Support ticket #4711: sensor reported under the wrong tenant' })
  @IsString()
  @Length(3, 500)
  reason!: string;

  @ApiPropertyOptional({ format: 'uuid', example: '0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d10' })
  @IsOptional()
  @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, { message: 'tenantId must be a UUID' })
  tenantId?: string;

  @ApiPropertyOptional({ example: 'nwave-nps405' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  codec?: string;

  @ApiPropertyOptional({ enum: DEVICE_KINDS, example: 'sensor' })
  @IsOptional()
  @IsIn(DEVICE_KINDS)
  kind?: DeviceKind;
}

export class DeviceLocationDto implements DeviceLocation {
  @ApiProperty({ example: 52.5219 }) latitude!: number;
  @ApiProperty({ example: 13.4132 }) longitude!: number;
  @ApiProperty({ type: 'number', nullable: true, example: 34 }) altitude!: number | null;
  @ApiProperty({ type: 'string', nullable: true, example: 'gps' }) source!: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: '2026-12-02T09:00:00Z' }) at!: string | null;
}

export class DeviceHealthDto implements DeviceHealth {
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: '2026-12-02T09:41:12Z', description: 'null: never heard' }) lastSeenAt!: string | null;
  @ApiProperty({ example: true, description: 'Heard within 2 × heartbeatSeconds' }) online!: boolean;
  @ApiProperty({ example: 3600, description: "The effective heartbeat: the device's override, else its codec's default" }) heartbeatSeconds!: number;
  @ApiProperty({ type: 'number', nullable: true, example: 87 }) batteryPercent!: number | null;
  @ApiProperty({ type: 'number', nullable: true, example: 3.6 }) batteryVoltage!: number | null;
  @ApiProperty({ type: 'number', nullable: true, example: 11.5 }) temperatureC!: number | null;
  @ApiProperty({ type: 'integer', nullable: true, example: -97 }) rssi!: number | null;
  @ApiProperty({ type: 'number', nullable: true, example: 7.25 }) snr!: number | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 12 }) marginDb!: number | null;
  @ApiProperty({ example: 1532 }) uplinkCount!: number;
  @ApiProperty({ example: 2, description: 'Frame-counter session: grows with every join or counter reset' }) session!: number;
  @ApiProperty({ type: 'integer', nullable: true, example: 411 }) lastFCnt!: number | null;
  @ApiProperty({ type: 'string', nullable: true, example: '0120ab3f' }) devAddr!: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: null }) lastStatusAt!: string | null;
  @ApiProperty({ type: DeviceLocationDto, nullable: true }) location!: DeviceLocationDto | null;
}

export class DeviceDto implements DeviceView {
  @ApiProperty({ format: 'uuid', example: '3c9e2b7a-5d14-4f0e-8a61-7b2c9d0e1f35' }) id!: string;
  @ApiProperty({ example: '70b3d54750100a1b', description: '16 lower-case hex digits' }) devEui!: string;
  @ApiProperty({ enum: DEVICE_KINDS, example: 'sensor' }) kind!: DeviceKind;
  @ApiProperty({ example: 'nwave-nps405' }) codec!: string;
  @ApiProperty({ example: 'Bay 12, level 2' }) name!: string;
  @ApiProperty({ type: 'string', nullable: true, example: '1f0c7e2a-9b34-4d58-a6e1-2c3d4e5f6a7b' }) chirpstackApplicationId!: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: null }) chirpstackProfileId!: string | null;
  @ApiProperty({ type: 'integer', nullable: true, example: null, description: "The override; null: the codec's default (see health.heartbeatSeconds)" })
  heartbeatSeconds!: number | null;
  @ApiProperty(TAGS_DOC) tags!: Record<string, string>;
  @ApiProperty({ example: 1, description: 'Grows by one with every change' }) version!: number;
  @ApiProperty({ format: 'date-time', example: '2026-12-02T09:30:00Z' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-02T09:30:00Z' }) updatedAt!: string;
  @ApiProperty({ type: DeviceHealthDto }) health!: DeviceHealthDto;
}

export class DevicePage {
  @ApiProperty({ type: DeviceDto, isArray: true }) items!: DeviceDto[];
  @ApiProperty({ type: 'string', nullable: true, example: null }) nextCursor!: string | null;
}

export class AdminDeviceDto extends DeviceDto implements AdminDeviceView {
  @ApiProperty({ format: 'uuid', example: '6f1f7e52-3b0a-4d8e-9a53-2f6b0c1d9e41' }) tenantId!: string;
}

export class AdminDevicePage {
  @ApiProperty({ type: AdminDeviceDto, isArray: true }) items!: AdminDeviceDto[];
  @ApiProperty({ type: 'string', nullable: true, example: null }) nextCursor!: string | null;
}

export class TenantDeviceStatsDto {
  @ApiProperty({ format: 'uuid', example: '6f1f7e52-3b0a-4d8e-9a53-2f6b0c1d9e41' }) tenantId!: string;
  @ApiProperty({ example: 120 }) devices!: number;
  @ApiProperty({ example: 117 }) online!: number;
  @ApiProperty({ example: 3 }) offline!: number;
  @ApiProperty({ example: 4 }) lowBattery!: number;
}

export class DeviceStatsDto implements AdminDeviceStatsResponse {
  @ApiProperty({ example: 120 }) total!: number;
  @ApiProperty({ example: 117 }) online!: number;
  @ApiProperty({ example: 3 }) offline!: number;
  @ApiProperty({ example: 4, description: `Last known battery below ${LOW_BATTERY_DEFAULT_PERCENT} %` }) lowBattery!: number;
  @ApiProperty({ type: TenantDeviceStatsDto, isArray: true }) byTenant!: TenantDeviceStatsDto[];
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { 'nwave-nps405': 100, 'bosch-tps110': 20 } }) byCodec!: Record<string, number>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { sensor: 110, display: 10 } }) byKind!: Record<string, number>;
}

export class ImportResultDto implements ImportDevicesResponse {
  @ApiProperty({ example: 2 }) imported!: number;
  @ApiProperty({ type: 'string', isArray: true, example: ['70b3d54750100a1b', '70b3d54750100a1c'] }) devEuis!: string[];
}
