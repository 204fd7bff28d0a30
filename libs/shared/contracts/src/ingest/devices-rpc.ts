import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min, ValidateBy } from 'class-validator';
import { AuditReasonField } from '../fields/audit';
import { Each, NullOrAbsentOr } from '../fields/compose';
import { DEV_EUI_EXAMPLE, DevEuiField, UuidField } from '../fields/identifiers';
import { PageOf, PageQueryOf } from '../fields/paging';
import { TextField } from '../fields/text';
import { defineRpc } from '../rpc-contract';

/**
 * The device registry the ingest service answers over NATS request/reply. The gateway
 * validates HTTP input with these classes, then sends them; ingest validates the same class
 * on receipt and checks the permission (`devices:read` / `devices:write`) against the
 * principal, inside the principal's tenant.
 */

export const DEVICE_KINDS = ['sensor', 'display'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

/** Pages of devices hold at most this many items (default 50). */
export const DEVICE_PAGE_MAX = 500;
export const DEVICE_PAGE_DEFAULT = 50;
/** `battery=low` and the low-battery view without a threshold: below this percentage. */
export const LOW_BATTERY_DEFAULT_PERCENT = 20;
/** A device is online while its last uplink is at most this many heartbeats old. */
export const ONLINE_HEARTBEATS = 2;
/**
 * What one import may hold. Rows: one transaction inserts the devices and their events in
 * bulk statements, well inside the 15 s transaction limit. Bytes: the import travels to
 * ingest as one request, below NATS's default 1 MiB message limit.
 */
export const DEVICE_IMPORT_MAX_ROWS = 10_000;
export const DEVICE_IMPORT_MAX_BYTES = 900 * 1024;
/** Tags: at most this many pairs, keys `[A-Za-z0-9_.-]{1,64}`, values up to 200 characters. */
export const DEVICE_TAGS_MAX = 50;
/**
 * Imports one tenant may start within a minute (counted by ingest, whatever the outcome; a
 * registration is not an import). Beyond it 429 RATE_LIMITED with `retryAfterSeconds`.
 */
export const DEVICE_IMPORTS_PER_MINUTE = 10;
/** An import takes seconds; still well inside ingest's 15 s transaction limit. */
const IMPORT_TIMEOUT_MS = 20_000;
export const DEVICE_HEARTBEAT_MAX_SECONDS = 30 * 24 * 3600;
const CODEC_EXAMPLES = 'nwave-nps405, nwave-nps310, bosch-tps110, dingtek-do201, browan-tbdw100, kuando-busylight, count-display, chirpstack-object';
const TAG_KEY = /^[A-Za-z0-9_.-]{1,64}$/;
const TAGS_DOC = { type: 'object', additionalProperties: { type: 'string', maxLength: 200 }, example: { level: '2', zone: 'north' } } as const;

// ---------------------------------------------------------------------------------------
// Field rules of a device
// ---------------------------------------------------------------------------------------

/** String tags (a device's, a gateway's): at most DEVICE_TAGS_MAX keys. */
export const TagMapField = (description?: string) =>
  Each(
    ApiPropertyOptional({ ...TAGS_DOC, ...(description ? { description } : {}) }),
    IsOptional(),
    ValidateBy({
      name: 'isDeviceTags',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          Object.keys(value).length <= DEVICE_TAGS_MAX &&
          Object.entries(value).every(([key, tag]) => TAG_KEY.test(key) && typeof tag === 'string' && tag.length <= 200),
        defaultMessage: () => `tags must map at most ${DEVICE_TAGS_MAX} keys (letters, digits, "_", ".", "-"; up to 64) to strings of up to 200 characters`,
      },
    }),
  );

/** An id in ChirpStack; null (or an empty string) is none. */
const ChirpStackId = (example: string | null, description: string) =>
  Each(
    TextField({ presence: 'nullable', min: 0, max: 200, doc: { example, description } }),
    Transform(({ value }: { value: unknown }) => (value === '' ? null : value)),
  );

const DeviceDescription = (description: string) =>
  Each(
    TextField({ presence: 'nullable', min: 0, max: 500, doc: { example: 'NPS405 under bay 12, glued', description } }),
    Transform(({ value }: { value: unknown }) => (value === '' ? null : value)),
  );
const JoinEui = (description: string) => DevEuiField({ presence: 'nullable', doc: { example: '70b3d57ed0000001', description } });

const Heartbeat = () =>
  Each(
    ApiPropertyOptional({
      type: 'integer',
      nullable: true,
      minimum: 1,
      maximum: DEVICE_HEARTBEAT_MAX_SECONDS,
      example: 900,
      description: "Seconds between expected uplinks; null or absent: the codec's default",
    }),
    NullOrAbsentOr(IsInt(), Min(1), Max(DEVICE_HEARTBEAT_MAX_SECONDS)),
  );

const Kind = (presence: 'required' | 'optional') =>
  Each(
    presence === 'required' ? ApiProperty({ enum: DEVICE_KINDS, example: 'sensor' }) : ApiPropertyOptional({ enum: DEVICE_KINDS, example: 'sensor' }),
    ...(presence === 'optional' ? [IsOptional()] : []),
    IsIn(DEVICE_KINDS),
  );

/** The shape of a codec id; ingest's registry tells whether it is a known one. */
const Codec = (presence: 'required' | 'optional', example = 'nwave-nps405') =>
  TextField({ presence, max: 64, trim: false, doc: { example, description: `The payload codec: ${CODEC_EXAMPLES}` } });

const DeviceName = (presence: 'required' | 'optional', example = 'Bay 12, level 2') => TextField({ presence, max: 200, doc: { example } });

// ---------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------

/** Fields of a new device, as registration and each row of an import take them. */
export class RegisterDeviceRequest {
  @DevEuiField() devEui!: string;
  @Kind('required') kind!: DeviceKind;
  @Codec('required') codec!: string;
  @DeviceName('required') name!: string;
  @ChirpStackId('1f0c7e2a-9b34-4d58-a6e1-2c3d4e5f6a7b', 'The ChirpStack application the device belongs to') chirpstackApplicationId?: string | null;
  @ChirpStackId('7a2b9c4d-0e1f-4a3b-8c5d-6e7f8a9b0c1d', 'The ChirpStack device profile') chirpstackProfileId?: string | null;
  @Heartbeat() heartbeatSeconds?: number | null;
  @TagMapField() tags?: Record<string, string>;
  @DeviceDescription('Free text, up to 500 characters (ChirpStack shows it too)') description?: string | null;
  @JoinEui('The JoinEUI (AppEUI) an OTAA device joins with: 16 hex digits, any case, optionally separated by "-" or ":"') joinEui?: string | null;
}
/** The columns of a device import, in the order a template lists them. */
export const DEVICE_FIELDS = [
  'devEui',
  'kind',
  'codec',
  'name',
  'chirpstackApplicationId',
  'chirpstackProfileId',
  'heartbeatSeconds',
  'tags',
  'description',
  'joinEui',
] as const satisfies ReadonlyArray<keyof RegisterDeviceRequest>;

/** Only the fields given change; `null` clears an optional one; the version grows by one. */
export class UpdateDeviceBody {
  @DeviceName('optional', 'Bay 12 (EV), level 2') name?: string;
  @Kind('optional') kind?: DeviceKind;
  @Codec('optional', 'bosch-tps110') codec?: string;
  @Heartbeat() heartbeatSeconds?: number | null;
  @TagMapField('Replaces every tag') tags?: Record<string, string>;
  @ChirpStackId('1f0c7e2a-9b34-4d58-a6e1-2c3d4e5f6a7b', 'null clears it') chirpstackApplicationId?: string | null;
  @ChirpStackId(null, 'null clears it') chirpstackProfileId?: string | null;
  @DeviceDescription('null clears it') description?: string | null;
  @JoinEui('null clears it') joinEui?: string | null;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, example: 3, description: 'The version you read; if the device has moved on, 409 CONFLICT and nothing changes' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  version?: number;
}

/** One device, by its devEUI (any accepted form). */
export class DeviceRef {
  @DevEuiField() devEui!: string;
}

export class UpdateDeviceRequest extends UpdateDeviceBody {
  @DevEuiField() devEui!: string;
}

export class DevicePageQuery extends PageQueryOf(DEVICE_PAGE_MAX, DEVICE_PAGE_DEFAULT) {}

/** Filters every device list takes. */
export class DeviceFilterQuery extends DevicePageQuery {
  @Kind('optional') kind?: DeviceKind;
  @TextField({ presence: 'optional', max: 64, trim: false, doc: { example: 'nwave-nps405' } }) codec?: string;

  @ApiPropertyOptional({ example: 'level:2', description: 'key:value: devices whose tag `key` is `value`' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.-]{1,64}:.{0,200}$/s, { message: 'tag must be key:value (key of letters, digits, "_", ".", "-")' })
  tag?: string;

  @TextField({ presence: 'optional', max: 200, trim: false, doc: { example: 'Bay 1', description: 'Prefix of the name (case-insensitive) or of the devEUI' } })
  q?: string;
}

/** Oldest first, keyset-paginated on (createdAt, id). */
export class ListDevicesRequest extends DeviceFilterQuery {
  @ApiPropertyOptional({ enum: ['online', 'offline'], description: 'online: heard within 2 × heartbeat; offline: not (including never heard)' })
  @IsOptional()
  @IsIn(['online', 'offline'])
  status?: 'online' | 'offline';

  @ApiPropertyOptional({ enum: ['low'], description: `low: last known battery below ${LOW_BATTERY_DEFAULT_PERCENT} %` })
  @IsOptional()
  @IsIn(['low'])
  battery?: 'low';
}

/** Devices not heard within 2 × heartbeat, including those never heard at all. */
export class ListOfflineDevicesRequest extends DeviceFilterQuery {}

/** Devices whose last known battery is below `threshold` percent; unknown battery is not low. */
export class ListLowBatteryDevicesRequest extends DeviceFilterQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: LOW_BATTERY_DEFAULT_PERCENT, example: 20, description: 'Battery percentage below which a device is listed' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  threshold?: number;
}

/**
 * `csv`: `text` holds the file (header row first); `json`: `devices` holds the rows. Each
 * row is checked against RegisterDeviceRequest by ingest, which reports it by line or index.
 */
export class ImportDevicesRequest {
  @IsIn(['csv', 'json'], { message: 'format must be csv or json' })
  format!: 'csv' | 'json';

  @ValidateBy({
    name: 'isImportText',
    validator: {
      validate: (value: unknown, args) => ((args?.object as ImportDevicesRequest).format === 'csv' ? typeof value === 'string' : value === undefined),
      defaultMessage: (args) => ((args?.object as ImportDevicesRequest).format === 'csv' ? 'text must be the CSV file as a string' : 'text is only for format csv'),
    },
  })
  text?: string;

  @ValidateBy({
    name: 'isImportRows',
    validator: {
      validate: (value: unknown, args) => ((args?.object as ImportDevicesRequest).format === 'json' ? Array.isArray(value) : value === undefined),
      defaultMessage: (args) => ((args?.object as ImportDevicesRequest).format === 'json' ? 'devices must be an array of devices' : 'devices is only for format json'),
    },
  })
  devices?: unknown[];
}

/** Every platform-admin call says why; ingest writes it to its audit trail. */
export class AdminDeviceStatsRequest {
  @AuditReasonField('Capacity planning for the LNS upgrade') reason!: string;
}

export class AdminListDevicesRequest extends DevicePageQuery {
  @AuditReasonField() reason!: string;
  @UuidField({ presence: 'optional', doc: { example: '0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d10' } }) tenantId?: string;
  @TextField({ presence: 'optional', max: 64, trim: false, doc: { example: 'nwave-nps405' } }) codec?: string;
  @Kind('optional') kind?: DeviceKind;
}

// ---------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------

export class DeviceLocation {
  @ApiProperty({ example: 52.5219 }) latitude!: number;
  @ApiProperty({ example: 13.4132 }) longitude!: number;
  @ApiProperty({ type: 'number', nullable: true, example: 34 }) altitude!: number | null;
  /** Where the fix came from, e.g. `gps` or `geo_resolver_tdoa`. */
  @ApiProperty({ type: 'string', nullable: true, example: 'gps' }) source!: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: '2026-12-02T09:00:00Z' }) at!: string | null;
}

/** What the uplink pipeline learnt about the device. */
export class DeviceHealth {
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
  @ApiProperty({ type: DeviceLocation, nullable: true }) location!: DeviceLocation | null;
}

export class DeviceView {
  @ApiProperty({ format: 'uuid', example: '3c9e2b7a-5d14-4f0e-8a61-7b2c9d0e1f35' }) id!: string;
  @ApiProperty({ example: DEV_EUI_EXAMPLE, description: '16 lower-case hex digits' }) devEui!: string;
  @ApiProperty({ enum: DEVICE_KINDS, example: 'sensor' }) kind!: DeviceKind;
  @ApiProperty({ example: 'nwave-nps405' }) codec!: string;
  @ApiProperty({ example: 'Bay 12, level 2' }) name!: string;
  @ApiProperty({ type: 'string', nullable: true, example: '1f0c7e2a-9b34-4d58-a6e1-2c3d4e5f6a7b' }) chirpstackApplicationId!: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: null }) chirpstackProfileId!: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: 'NPS405 under bay 12, glued' }) description!: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: '70b3d57ed0000001', description: 'The JoinEUI (AppEUI): 16 lower-case hex digits' }) joinEui!: string | null;
  @ApiProperty({ type: 'integer', nullable: true, example: null, description: "The override; null: the codec's default (see health.heartbeatSeconds)" })
  heartbeatSeconds!: number | null;
  @ApiProperty(TAGS_DOC) tags!: Record<string, string>;
  @ApiProperty({ example: 1, description: 'Grows by one with every change' }) version!: number;
  @ApiProperty({ format: 'date-time', example: '2026-12-02T09:30:00Z' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-02T09:30:00Z' }) updatedAt!: string;
  @ApiProperty({ type: DeviceHealth }) health!: DeviceHealth;
}

export class DevicePage extends PageOf(DeviceView) {}

export class AdminDeviceView extends DeviceView {
  @ApiProperty({ format: 'uuid', example: '6f1f7e52-3b0a-4d8e-9a53-2f6b0c1d9e41' }) tenantId!: string;
}

export class AdminDevicePage extends PageOf(AdminDeviceView) {}

export class TenantDeviceStats {
  @ApiProperty({ format: 'uuid', example: '6f1f7e52-3b0a-4d8e-9a53-2f6b0c1d9e41' }) tenantId!: string;
  @ApiProperty({ example: 120 }) devices!: number;
  @ApiProperty({ example: 117 }) online!: number;
  @ApiProperty({ example: 3 }) offline!: number;
  @ApiProperty({ example: 4 }) lowBattery!: number;
}

export class AdminDeviceStatsResponse {
  @ApiProperty({ example: 120 }) total!: number;
  @ApiProperty({ example: 117 }) online!: number;
  @ApiProperty({ example: 3 }) offline!: number;
  @ApiProperty({ example: 4, description: `Last known battery below ${LOW_BATTERY_DEFAULT_PERCENT} %` }) lowBattery!: number;
  @ApiProperty({ type: TenantDeviceStats, isArray: true }) byTenant!: TenantDeviceStats[];
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { 'nwave-nps405': 100, 'bosch-tps110': 20 } }) byCodec!: Record<string, number>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { sensor: 110, display: 10 } }) byKind!: Record<string, number>;
}

export class ImportDevicesResponse {
  @ApiProperty({ example: 2 }) imported!: number;
  @ApiProperty({ type: 'string', isArray: true, example: ['70b3d54750100a1b', '70b3d54750100a1c'] }) devEuis!: string[];
}

/** One rejected row of an import: its CSV line (1 = the header) or its JSON array index. */
export interface ImportRowProblem {
  line?: number;
  index?: number;
  devEui?: string;
  field: string;
  message: string;
}

// ---------------------------------------------------------------------------------------
// The commands and queries
// ---------------------------------------------------------------------------------------

export const DEVICES_RPC = {
  /**
   * 409 DEVICE_EXISTS when any tenant has the devEUI; 409 DEVICE_CLAIM_REQUIRED when another
   * tenant's integration has sent it (a platform admin assigns it); 403 LIMIT_EXCEEDED (limit `devices`).
   */
  register: defineRpc('rpc.ingest.v1.devices.register', RegisterDeviceRequest, DeviceView),
  list: defineRpc('rpc.ingest.v1.devices.list', ListDevicesRequest, DevicePage),
  listOffline: defineRpc('rpc.ingest.v1.devices.list-offline', ListOfflineDevicesRequest, DevicePage),
  listLowBattery: defineRpc('rpc.ingest.v1.devices.list-low-battery', ListLowBatteryDevicesRequest, DevicePage),
  get: defineRpc('rpc.ingest.v1.devices.get', DeviceRef, DeviceView),
  update: defineRpc('rpc.ingest.v1.devices.update', UpdateDeviceRequest, DeviceView),
  remove: defineRpc('rpc.ingest.v1.devices.remove', DeviceRef, DeviceView),
  /**
   * Every row is checked first; any bad row is 422 IMPORT_REJECTED with `extras.rows`
   * ([{line | index, field, message}]) and nothing is applied; otherwise all rows are
   * registered in one transaction. Rows whose devEUI another tenant holds (or another tenant's
   * integration has sent) are not listed, only counted in `extras.unavailable`: the import
   * tells no more about other tenants than one registration does. At most
   * DEVICE_IMPORTS_PER_MINUTE per tenant (429 RATE_LIMITED, `extras.retryAfterSeconds`).
   */
  import: defineRpc('rpc.ingest.v1.devices.import', ImportDevicesRequest, ImportDevicesResponse, { timeoutMs: IMPORT_TIMEOUT_MS }),
  adminList: defineRpc('rpc.ingest.v1.admin.devices.list', AdminListDevicesRequest, AdminDevicePage),
  adminStats: defineRpc('rpc.ingest.v1.admin.devices.stats', AdminDeviceStatsRequest, AdminDeviceStatsResponse),
} as const;
