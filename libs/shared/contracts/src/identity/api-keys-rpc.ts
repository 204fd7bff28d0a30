import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsDateString, IsIn, IsOptional, ValidateBy } from 'class-validator';
import { UuidField } from '../fields/identifiers';
import { PageOf } from '../fields/paging';
import { TextField } from '../fields/text';
import { IdentityPageQuery, PresentedSecretField } from './identity-fields';
import { PERMISSIONS, type Permission } from './permissions';
import type { Principal } from './principal';

// ---------------------------------------------------------------------------------------
// API keys (api-keys:read / api-keys:write)
// ---------------------------------------------------------------------------------------

/** Keys are `pk_live_<8>_<43>`; anything longer than this was never issued. */
export const API_KEY_MAX = 500;

const API_KEY_SHAPE = /^pk_live_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{32,}$/;

/**
 * Whether a presented API key has the shape identity issues (`pk_live_<8 letters or digits>_<secret>`,
 * at most 200 characters, identity's own check): the gateway refuses any other without asking identity.
 */
export function isWellFormedApiKey(key: string): boolean {
  return key.length <= 200 && API_KEY_SHAPE.test(key);
}

/** An expiry in the past would make a key that never works. */
const FutureInstant = () =>
  ValidateBy({
    name: 'isFutureInstant',
    validator: {
      // An unreadable date is IsDateString's to report; this rule only says "in the past".
      validate: (value: unknown) => typeof value !== 'string' || Number.isNaN(Date.parse(value)) || Date.parse(value) > Date.now(),
      defaultMessage: () => 'expiresAt must be an RFC 3339 date-time in the future',
    },
  });

/**
 * `rpc.identity.v1.api-keys.create`: `scopes` must be a subset of the caller's permissions
 * (403 FORBIDDEN naming the extra ones); 403 LIMIT_EXCEEDED (limit `apiKeys`). A key created
 * by an API key expires no later than its creator: without `expiresAt` it gets the creator's
 * expiry, a later one is 403 FORBIDDEN naming `expiresAt`.
 */
export class CreateApiKeyRequest {
  @TextField({ max: 100, doc: { example: 'Signage controller, level 2' } })
  name!: string;

  @ApiProperty({ enum: PERMISSIONS, isArray: true, example: ['spaces:read', 'displays:write'], description: 'A subset of your own permissions' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(PERMISSIONS.length)
  @ArrayUnique()
  @IsIn(PERMISSIONS, { each: true })
  scopes!: Permission[];

  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: 'string', example: '2027-01-01T00:00:00Z' })
  @IsOptional()
  @IsDateString({ strict: true })
  @FutureInstant()
  expiresAt?: string | null;
}

/** `rpc.identity.v1.api-keys.list`: active and revoked keys, newest first, without secrets. */
export class ListApiKeysRequest extends IdentityPageQuery {}

/**
 * One key of the caller's tenant: `rpc.identity.v1.api-keys.revoke` (idempotent) and
 * `rpc.identity.v1.api-keys.rotate` (a new key with the same name, scopes and expiry; the
 * old one is revoked at once).
 */
export class ApiKeyRef {
  @UuidField({ doc: { example: '2f6c9a1e-7b3d-4c5e-8f90-a1b2c3d4e5f6' } }) apiKeyId!: string;
}

/**
 * `rpc.identity.v1.api-keys.authenticate`: for the gateway, on every request that carries a
 * key. Unknown, revoked, expired, or of a suspended tenant: 401 UNAUTHENTICATED (one detail for all).
 */
export class AuthenticateApiKeyRequest {
  /** The presented secret, as sent; identity hashes it and finds the key by its prefix. */
  @PresentedSecretField(API_KEY_MAX) key!: string;
}

// ---------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------

const Instant = (example: string | null) => ApiProperty({ format: 'date-time', type: 'string', nullable: true, example });

export class ApiKeyView {
  @ApiProperty({ format: 'uuid', example: '2f6c9a1e-7b3d-4c5e-8f90-a1b2c3d4e5f6' }) id!: string;
  @ApiProperty({ example: 'Signage controller, level 2' }) name!: string;
  /** The public part, `pk_live_<8 chars>`: shown in lists so a key can be recognised. */
  @ApiProperty({ example: 'pk_live_7Hq2xK9a' }) prefix!: string;
  @ApiProperty({ enum: PERMISSIONS, isArray: true, example: ['spaces:read'] }) scopes!: Permission[];
  @ApiProperty({ example: 'user:6d0f0b7e-4a7c-4f55-9d1f-0c8d6c1b2a33' }) createdBy!: string;
  @ApiProperty({ format: 'date-time', example: '2026-11-23T12:00:00Z' }) createdAt!: string;
  @Instant(null) expiresAt!: string | null;
  @Instant('2026-11-23T12:30:00Z') lastUsedAt!: string | null;
  @Instant(null) revokedAt!: string | null;
}

export class ApiKeySecretResponse {
  @ApiProperty({ type: ApiKeyView }) apiKey!: ApiKeyView;
  /** `pk_live_<8 chars>_<secret>`; shown this once, never stored. */
  @ApiProperty({ example: 'pk_live_7Hq2xK9a_Zt1cGq0m3yV8w…', description: 'Shown this once; store it now' }) key!: string;
}

export class ApiKeyPage extends PageOf(ApiKeyView) {}

export class AuthenticateApiKeyResponse {
  principal!: Principal;
  /** When the key stops working of itself (RFC 3339), or null: a cache must not trust it past this. */
  expiresAt?: string | null;
}

export type CreateApiKeyResponse = ApiKeySecretResponse;
export type ListApiKeysResponse = ApiKeyPage;
export type RevokeApiKeyResponse = ApiKeyView;
export type RotateApiKeyResponse = ApiKeySecretResponse;
