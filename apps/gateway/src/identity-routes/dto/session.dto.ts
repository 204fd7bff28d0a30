import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, Length, Matches, MaxLength, ValidateIf } from 'class-validator';
import { PERMISSIONS, TENANT_ROLES, type MeResponse, type Permission, type SessionResponse, type TenantRole, type UsageLimits } from '@parking/contracts';

export const TENANT_SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export class RegisterBody {
  @ApiProperty({ example: 'ada@example.com', maxLength: 254 })
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'correct horse battery staple', minLength: 12, maxLength: 256 })
  @IsString()
  @Length(12, 256)
  password!: string;

  @ApiProperty({ example: 'Ada Lovelace', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ example: 'Harbour Car Parks', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  tenantName!: string;

  @ApiProperty({ example: 'harbour-car-parks', pattern: TENANT_SLUG.source, minLength: 3, maxLength: 63 })
  @Matches(TENANT_SLUG, { message: 'tenantSlug must be lower-case letters and digits separated by single hyphens' })
  @Length(3, 63)
  tenantSlug!: string;
}

/** The body of the old `POST /api/auth/register`: snake case and `username` for the name. */
export class LegacyRegisterBody {
  @ApiProperty({ example: 'ada@example.com' })
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'correct horse battery staple', minLength: 12, maxLength: 256 })
  @IsString()
  @Length(12, 256)
  password!: string;

  @ApiPropertyOptional({ example: 'Ada Lovelace', description: 'Old name of `name`' })
  @ValidateIf((body: LegacyRegisterBody) => body.name === undefined)
  @IsString()
  @Length(1, 200)
  username?: string;

  @ApiPropertyOptional({ example: 'Ada Lovelace' })
  @ValidateIf((body: LegacyRegisterBody) => body.username === undefined)
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ example: 'Harbour Car Parks', description: 'Old name of `tenantName`' })
  @ValidateIf((body: LegacyRegisterBody) => body.tenantName === undefined)
  @IsString()
  @Length(1, 200)
  tenant_name?: string;

  @ApiPropertyOptional({ example: 'Harbour Car Parks' })
  @ValidateIf((body: LegacyRegisterBody) => body.tenant_name === undefined)
  @IsString()
  @Length(1, 200)
  tenantName?: string;

  @ApiPropertyOptional({ example: 'harbour-car-parks', description: 'Old name of `tenantSlug`' })
  @ValidateIf((body: LegacyRegisterBody) => body.tenantSlug === undefined)
  @Matches(TENANT_SLUG, { message: 'tenant_slug must be lower-case letters and digits separated by single hyphens' })
  @Length(3, 63)
  tenant_slug?: string;

  @ApiPropertyOptional({ example: 'harbour-car-parks' })
  @ValidateIf((body: LegacyRegisterBody) => body.tenant_slug === undefined)
  @Matches(TENANT_SLUG, { message: 'tenantSlug must be lower-case letters and digits separated by single hyphens' })
  @Length(3, 63)
  tenantSlug?: string;
}

/**
 * JSON `{email, password}`, or the form-encoded OAuth2 password grant `username` (the email),
 * `password` (`grant_type`, `scope` and client fields of that grant are accepted and ignored).
 */
export class LoginBody {
  @ApiPropertyOptional({ example: 'ada@example.com' })
  @ValidateIf((body: LoginBody) => body.username === undefined)
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ example: 'ada@example.com', description: 'The email, as form-encoded clients send it' })
  @ValidateIf((body: LoginBody) => body.email === undefined)
  @IsEmail()
  @MaxLength(254)
  username?: string;

  @ApiProperty({ example: 'correct horse battery staple', maxLength: 256 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  password!: string;

  @ApiPropertyOptional({ enum: ['password'], description: 'OAuth2 form clients only' })
  @IsOptional()
  @IsIn(['password'])
  grant_type?: 'password';

  @ApiPropertyOptional({ description: 'OAuth2 form clients only; ignored' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  scope?: string;

  @ApiPropertyOptional({ description: 'OAuth2 form clients only; ignored' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  client_id?: string;
}

export class RefreshTokenBody {
  @ApiProperty({ example: 'rt_3q2+7w…', maxLength: 512 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(512)
  refreshToken!: string;
}

export class PasswordResetBody {
  @ApiProperty({ example: 'ada@example.com' })
  @IsEmail()
  @MaxLength(254)
  email!: string;
}

export class PasswordResetConfirmBody {
  @ApiProperty({ example: 'prt_k1Jd…', maxLength: 512 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(512)
  token!: string;

  @ApiProperty({ example: 'another horse battery staple', minLength: 12, maxLength: 256 })
  @IsString()
  @Length(12, 256)
  newPassword!: string;
}

export class SessionView implements SessionResponse {
  @ApiProperty({ example: 'eyJhbGciOiJFUzI1NiIsImtpZCI6IjIwMjYtMTEifQ.eyJzdWIiOi…' })
  accessToken!: string;
  @ApiProperty({ enum: ['Bearer'], example: 'Bearer' })
  tokenType!: 'Bearer';
  @ApiProperty({ example: 900, description: 'Seconds until the access token expires' })
  expiresIn!: number;
  @ApiProperty({ example: 'rt_3q2+7w…', description: 'Single use: every refresh returns a new one' })
  refreshToken!: string;
  @ApiProperty({ example: 2592000 })
  refreshExpiresIn!: number;
  @ApiProperty({ format: 'uuid', example: '6d0f0b7e-4a7c-4f55-9d1f-0c8d6c1b2a33' })
  userId!: string;
  @ApiProperty({ format: 'uuid', example: '0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d10' })
  tenantId!: string;
}

export class OkView {
  @ApiProperty({ enum: [true], example: true })
  ok!: true;
}

export class AcceptedView {
  @ApiProperty({ enum: [true], example: true })
  accepted!: true;
}

class MeUser {
  @ApiProperty({ format: 'uuid', example: '6d0f0b7e-4a7c-4f55-9d1f-0c8d6c1b2a33' }) id!: string;
  @ApiProperty({ example: 'ada@example.com' }) email!: string;
  @ApiProperty({ example: 'Ada Lovelace' }) name!: string;
  @ApiProperty({ example: false }) isPlatformAdmin!: boolean;
}
class MeTenant {
  @ApiProperty({ format: 'uuid', example: '0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d10' }) id!: string;
  @ApiProperty({ example: 'Harbour Car Parks' }) name!: string;
  @ApiProperty({ example: 'harbour-car-parks' }) slug!: string;
  @ApiProperty({ enum: ['active', 'suspended'], example: 'active' }) status!: 'active' | 'suspended';
}
export class UsageLimitsView implements UsageLimits {
  @ApiProperty({ type: 'integer', nullable: true, example: 3 }) users!: number | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 2 }) apiKeys!: number | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 1 }) integrations!: number | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 1 }) sites!: number | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 50 }) spaces!: number | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 50 }) devices!: number | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 60 }) apiRequestsPerMinute!: number | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 500 }) reservationsPerMonth!: number | null;
}
class MePlan {
  @ApiProperty({ example: 'free' }) id!: string;
  @ApiProperty({ type: UsageLimitsView }) limits!: UsageLimitsView;
}
export class MeView implements MeResponse {
  @ApiProperty({ type: MeUser }) user!: MeUser;
  @ApiProperty({ type: MeTenant }) tenant!: MeTenant;
  @ApiProperty({ enum: TENANT_ROLES, example: 'owner' }) role!: TenantRole;
  @ApiProperty({ enum: PERMISSIONS, isArray: true, example: ['spaces:read', 'spaces:write'] }) permissions!: Permission[];
  @ApiProperty({ type: MePlan }) plan!: MePlan;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'boolean' }, example: { reservations: true } }) features!: Record<string, boolean>;
}

export class JwksView {
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    example: [{ kty: 'EC', crv: 'P-256', kid: '2026-11', use: 'sig', alg: 'ES256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' }],
  })
  keys!: Array<Record<string, unknown>>;
}
