import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, ValidateBy } from 'class-validator';
import { Each } from '../fields/compose';
import { isUuid, UUID_EXAMPLE, UuidField } from '../fields/identifiers';
import { PageOf, PageQueryOf } from '../fields/paging';
import { TextField } from '../fields/text';
import { ExpectedVersion, OneOf } from '../occupancy/occupancy-fields';

/** What happens when the reconciliation finds a device that differs between us and ChirpStack. */
export const DRIFT_POLICIES = ['platform-wins', 'chirpstack-wins', 'report-only'] as const;
export type DriftPolicy = (typeof DRIFT_POLICIES)[number];

export const CONNECTION_PAGE_MAX = 100;
export const CONNECTIONS_PER_TENANT_MAX = 20;
/** Codecs a connection may name a device profile for. */
export const CONNECTION_PROFILES_MAX = 50;
const CODEC_KEY = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const API_URL = /^https?:\/\/[^/\s?#]+\/?$/;
const API_URL_EXAMPLE = 'https://chirpstack.example.com';

const DeviceProfiles = () =>
  Each(
    ApiPropertyOptional({
      type: 'object',
      additionalProperties: { type: 'string', format: 'uuid' },
      example: { 'nwave-nps405': UUID_EXAMPLE },
      description: "The ChirpStack device profile of each codec's devices; a device may name its own instead",
    }),
    IsOptional(),
    ValidateBy({
      name: 'isDeviceProfilesByCodec',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          Object.keys(value).length <= CONNECTION_PROFILES_MAX &&
          Object.entries(value).every(([codec, profile]) => CODEC_KEY.test(codec) && isUuid(profile)),
        defaultMessage: () => `deviceProfiles must map at most ${CONNECTION_PROFILES_MAX} codec ids (lower case, as the device registry names them) to ChirpStack device profile ids (UUIDs)`,
      },
    }),
  );

/** The fields of a connection but its token, as sent and as answered. */
class ConnectionFields {
  @TextField({ max: 100, doc: { example: 'Production LNS' } }) name!: string;

  @TextField({
    max: 500,
    pattern: API_URL,
    hint: 'must be the URL of ChirpStack\'s gRPC API: http://host:port, or https://host[:port] for TLS, without a path',
    doc: { example: API_URL_EXAMPLE, description: 'ChirpStack\'s gRPC API; https:// means TLS. Port 8080 when http:// names none, 443 for https://' },
  })
  apiUrl!: string;

  @UuidField({ doc: { description: 'The ChirpStack tenant whose application the devices go to' } }) chirpstackTenantId!: string;
  @UuidField({ doc: { description: 'The ChirpStack application the devices go to' } }) applicationId!: string;
  @DeviceProfiles() deviceProfiles?: Record<string, string>;

  @ApiPropertyOptional({ description: "The tenant's default connection (devices that name none use it); the first connection is the default", example: true })
  @IsOptional()
  @IsBoolean()
  isDefault?: boolean;

  @OneOf(DRIFT_POLICIES, {
    presence: 'optional',
    doc: { example: 'report-only', description: 'platform-wins: ChirpStack is set back to our registry; chirpstack-wins: our registry takes ChirpStack\'s values; report-only (the default): reported, nothing changed' },
  })
  driftPolicy?: DriftPolicy;
}

const ApiToken = (presence: 'required' | 'optional') =>
  TextField({
    presence,
    max: 2048,
    trim: false,
    doc: { example: 'eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9…', description: "A ChirpStack API token (tenant or admin key). Stored sealed, never answered, never logged", writeOnly: true },
  });

export class CreateConnectionBody extends ConnectionFields {
  @ApiToken('required') apiToken!: string;
}
/** Replaces the connection whole; the token stays as it is unless a new one is sent. */
export class UpdateConnectionBody extends ConnectionFields {
  @ApiToken('optional') apiToken?: string;
  @ExpectedVersion() version?: number;
}

export class CreateConnectionRequest extends CreateConnectionBody {}
export class UpdateConnectionRequest extends UpdateConnectionBody {
  @UuidField() connectionId!: string;
}
export class ConnectionRef {
  @UuidField() connectionId!: string;
}
export class ListConnectionsRequest extends PageQueryOf(CONNECTION_PAGE_MAX) {}

export class ConnectionView {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) id!: string;
  @ApiProperty({ example: 'Production LNS' }) name!: string;
  @ApiProperty({ example: API_URL_EXAMPLE }) apiUrl!: string;
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) chirpstackTenantId!: string;
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) applicationId!: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string', format: 'uuid' }, example: { 'nwave-nps405': UUID_EXAMPLE } })
  deviceProfiles!: Record<string, string>;
  @ApiProperty({ example: true }) isDefault!: boolean;
  @ApiProperty({ enum: DRIFT_POLICIES, example: 'report-only' }) driftPolicy!: DriftPolicy;
  @ApiProperty({ example: 1 }) version!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}
export class ConnectionPage extends PageOf(ConnectionView) {}

/** One thing a connection test looked at. */
export class ConnectionCheck {
  @ApiProperty({ example: 'application', description: 'api (reachable, token accepted), application, or deviceProfile:<codec>' }) check!: string;
  @ApiProperty({ example: true }) ok!: boolean;
  @ApiProperty({ example: 'Application "parking" of ChirpStack tenant 5b1e7c2a-…' }) detail!: string;
}
export class DeviceProfileFound {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) id!: string;
  @ApiProperty({ example: 'NPS405 EU868' }) name!: string;
}
/** What a connection test found in ChirpStack. */
export class ConnectionTestView {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) connectionId!: string;
  @ApiProperty({ example: true, description: 'Every check passed' }) ok!: boolean;
  @ApiProperty({ type: ConnectionCheck, isArray: true }) checks!: ConnectionCheck[];
  @ApiProperty({ type: DeviceProfileFound, isArray: true, description: "The ChirpStack tenant's device profiles (the first 100)" })
  deviceProfilesFound!: DeviceProfileFound[];
  @ApiProperty({ format: 'date-time' }) testedAt!: string;
}
