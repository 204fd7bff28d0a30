import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsString, Length, Matches, Max, Min, ValidateBy, ValidateIf, ValidateNested } from 'class-validator';
import { NoInput } from '../fields/no-input';
import { UuidField } from '../fields/identifiers';
import { PageOf } from '../fields/paging';
import { TextField } from '../fields/text';
import { InstantField, instantHint, isInstant } from '../fields/time-range';
import type { OkView } from './acknowledgements';
import { IdentityPageQuery } from './identity-fields';

// ---------------------------------------------------------------------------------------
// Webhook integrations (integrations:read / integrations:write)
// ---------------------------------------------------------------------------------------

export const INTEGRATION_GRACE_DEFAULT_SECONDS = 86_400;
export const INTEGRATION_GRACE_MAX_SECONDS = 7 * 86_400;
/** One delivery report carries at most this many integrations, each with at most this many refusals. */
export const DELIVERY_REPORTS_MAX = 1_000;
export const DELIVERY_REJECTIONS_MAX = 100;

/** `rpc.identity.v1.webhook-integrations.create`: 403 LIMIT_EXCEEDED (limit `integrations`). */
export class CreateIntegrationRequest {
  @TextField({ max: 100, doc: { example: 'ChirpStack production' } }) name!: string;
}

export class ListIntegrationsRequest extends IdentityPageQuery {}

/** One integration of the caller's tenant: get, and delete (publishes `identity.webhook_integration.deleted.v1`). */
export class IntegrationRef {
  @UuidField({ doc: { example: '5c4b3a29-1807-4f6e-9d5c-4b3a29180716' } }) integrationId!: string;
}

/** New token and HMAC secret; the previous ones keep working for `graceSeconds`. */
export class RotateIntegrationBody {
  @ApiPropertyOptional({
    minimum: 0,
    maximum: INTEGRATION_GRACE_MAX_SECONDS,
    default: INTEGRATION_GRACE_DEFAULT_SECONDS,
    example: INTEGRATION_GRACE_DEFAULT_SECONDS,
    description: 'How long the previous token and secret keep working',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(INTEGRATION_GRACE_MAX_SECONDS)
  graceSeconds?: number;
}

export class RotateIntegrationRequest extends RotateIntegrationBody {
  @UuidField() integrationId!: string;
}

/** `rpc.identity.v1.webhook-integrations.snapshot`: every integration's credentials, for the gateway's boot. */
export class IntegrationSnapshotRequest extends NoInput {}

/** The public prefix of a webhook token: `whk_` and 8 letters or digits. */
export const WEBHOOK_TOKEN_PREFIX_PATTERN = /^whk_[A-Za-z0-9]{8}$/;

/**
 * `rpc.identity.v1.webhook-integrations.lookup`: one integration's credentials, by the prefix of
 * its current token or by its id, for a gateway that has not heard of it yet (it was created a
 * moment ago, and identity's event has not reached that gateway). Exactly one of the two.
 */
export class IntegrationLookupRequest {
  @ValidateIf((request: IntegrationLookupRequest) => request.integrationId === undefined || request.tokenPrefix !== undefined)
  @IsString()
  @Matches(WEBHOOK_TOKEN_PREFIX_PATTERN, { message: '$property must be whk_ and 8 letters or digits' })
  tokenPrefix?: string;

  @ValidateIf((request: IntegrationLookupRequest) => request.tokenPrefix === undefined || request.integrationId !== undefined)
  @UuidField()
  @ValidateBy({
    name: 'notBoth',
    validator: {
      validate: (_value: unknown, args) => (args?.object as IntegrationLookupRequest).tokenPrefix === undefined,
      defaultMessage: () => 'give tokenPrefix or integrationId, not both',
    },
  })
  integrationId?: string;
}

// ---------------------------------------------------------------------------------------
// Delivery reports: the gateway's counters (batched, fire and forget; unknown ids are ignored)
// ---------------------------------------------------------------------------------------

/** Why a webhook of a known integration was refused, and when. */
export class IntegrationRejection {
  @ApiProperty({ format: 'date-time', example: '2026-11-23T11:59:00Z' })
  @ValidateBy({ name: 'isInstant', validator: { validate: isInstant, defaultMessage: () => instantHint('at', '2026-11-23T11:59:00Z') } })
  at!: string;

  /** A short machine word: `bad-token`, `bad-signature`, `bad-payload`, `too-large`, ... */
  @ApiProperty({ example: 'bad-signature' })
  @IsString()
  @Length(1, 100)
  reason!: string;
}

export class IntegrationDeliveryReport {
  @UuidField() integrationId!: string;
  @UuidField() tenantId!: string;
  @InstantField({ example: '2026-11-23T12:00:05.000Z', description: 'The latest accepted webhook' }) lastReceivedAt?: string;

  @IsArray()
  @ArrayMaxSize(DELIVERY_REJECTIONS_MAX)
  @ValidateNested({ each: true })
  @Type(() => IntegrationRejection)
  rejections!: IntegrationRejection[];
}

export class ReportIntegrationDeliveriesRequest {
  @IsArray()
  @ArrayMaxSize(DELIVERY_REPORTS_MAX)
  @ValidateNested({ each: true })
  @Type(() => IntegrationDeliveryReport)
  reports!: IntegrationDeliveryReport[];
}

// ---------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------

const NullableInstant = (example: string | null) => ApiProperty({ format: 'date-time', type: 'string', nullable: true, example });

export class IntegrationView {
  @ApiProperty({ format: 'uuid', example: '5c4b3a29-1807-4f6e-9d5c-4b3a29180716' }) id!: string;
  @ApiProperty({ example: 'ChirpStack production' }) name!: string;
  /** Public part of the current token, `whk_<8 chars>`. */
  @ApiProperty({ example: 'whk_Pq8sT2vW' }) tokenPrefix!: string;
  @ApiProperty({ format: 'date-time', example: '2026-11-20T10:00:00Z' }) createdAt!: string;
  @NullableInstant(null) rotatedAt!: string | null;
  /** Until when the previous token and HMAC secret are still accepted, if a rotation is in grace. */
  @NullableInstant(null) previousValidUntil!: string | null;
  @NullableInstant('2026-11-23T12:00:05Z') lastReceivedAt!: string | null;
  @ApiProperty({ example: 0 }) rejectedCount!: number;
  /** The latest rejections, newest first (at most 20). */
  @ApiProperty({ type: IntegrationRejection, isArray: true, example: [] }) lastRejections!: IntegrationRejection[];
}

export class IntegrationSecretsResponse {
  @ApiProperty({ type: IntegrationView }) integration!: IntegrationView;
  /** Static bearer for ChirpStack's HTTP integration headers: `whk_<8 chars>_<secret>`. Shown once. */
  @ApiProperty({ example: 'whk_Pq8sT2vW_h3Jx…', description: 'Bearer for ChirpStack; shown once' }) token!: string;
  /** Base64url HMAC-SHA256 key for signed webhooks. Shown once. */
  @ApiProperty({ example: 'b64url-hmac-key…', description: 'HMAC-SHA256 key for signed webhooks; shown once' }) hmacSecret!: string;
}

export class IntegrationPage extends PageOf(IntegrationView) {}

/**
 * What the gateway needs to check a webhook without a round trip; the same shape travels in
 * `identity.webhook_integration.upserted.v1`. Tokens are SHA-256 hex of the whole token;
 * HMAC secrets are sealed with INTEGRATION_SECRETS_KEY (`@parking/secret-box`), bound to the
 * integration's id (`sealedFor.webhookIntegration(id)`).
 */
export interface IntegrationCredentials {
  id: string;
  tenantId: string;
  /** Current first; a previous one while its grace lasts. */
  tokens: Array<{ prefix: string; sha256: string; validUntil: string | null }>;
  hmacSecrets: Array<{ sealed: string; validUntil: string | null }>;
  /** False while the tenant is suspended: refuse its webhooks. */
  enabled: boolean;
}

export class IntegrationSnapshotResponse {
  integrations!: IntegrationCredentials[];
  /** When the snapshot was read; apply events newer than this on top. */
  takenAt!: string;
}

export class IntegrationLookupResponse {
  /** The integration with its version (as `identity.webhook_integration.upserted.v1` carries it), or null: no such integration. */
  integration!: (IntegrationCredentials & { version: number }) | null;
}

export type CreateIntegrationResponse = IntegrationSecretsResponse;
export type ListIntegrationsResponse = IntegrationPage;
export type GetIntegrationResponse = IntegrationView;
export type DeleteIntegrationResponse = OkView;
export type RotateIntegrationResponse = IntegrationSecretsResponse;
export type ReportIntegrationDeliveriesResponse = OkView;
