import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsObject, IsOptional, Max, Min, ValidateBy, ValidateNested } from 'class-validator';
import { AuditReasonField } from '../fields/audit';
import { Each, NullOrAbsentOr } from '../fields/compose';
import { UuidField } from '../fields/identifiers';
import { PageOf } from '../fields/paging';
import { TextField } from '../fields/text';
import { IdentityPageQuery } from './identity-fields';
import { TENANT_STATUSES, type TenantStatus } from './sessions-rpc';
import { PLANS, UsageLimitsView, type PlanId, type UsageLimits } from './usage-limits';

// ---------------------------------------------------------------------------------------
// Platform administration: users whose principal says isPlatformAdmin (identity checks it in
// its database), every call audited with its reason
// ---------------------------------------------------------------------------------------

export const PLAN_IDS = Object.keys(PLANS) as PlanId[];
/** A limit above this is a typo, not a plan. */
export const USAGE_LIMIT_MAX = 1_000_000_000;
/** Feature flag names: lower case, as every service reads them. */
export const FEATURE_NAME = /^[a-z][a-z0-9-]{0,63}$/;

export class AdminListTenantsRequest extends IdentityPageQuery {
  @AuditReasonField('Monthly billing review') reason!: string;
}

export class AdminListAuditRequest extends AdminListTenantsRequest {
  /** Only rows about this target, e.g. `tenant:<uuid>`. */
  @TextField({ presence: 'optional', max: 200, doc: { example: 'tenant:0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d10' } })
  target?: string;
}

/** `suspended: false` reinstates. Publishes `identity.tenant.suspended.v1` when suspending. */
export class SuspendTenantBody {
  @AuditReasonField('Support ticket #4711: customer asked to pause the account') reason!: string;

  @ApiPropertyOptional({ default: true, example: true, description: '`false` reinstates the tenant' })
  @IsOptional()
  @IsBoolean()
  suspended?: boolean;
}
export class AdminSuspendTenantRequest extends SuspendTenantBody {
  @UuidField() tenantId!: string;
}

/** Plans: see PLANS. Publishes `identity.tenant.limits_changed.v1`. */
export class SetPlanBody {
  @AuditReasonField('Support ticket #4711: customer asked to pause the account') reason!: string;

  @ApiProperty({ enum: PLAN_IDS, example: 'standard' })
  @IsIn(PLAN_IDS)
  plan!: PlanId;
}
export class AdminSetPlanRequest extends SetPlanBody {
  @UuidField() tenantId!: string;
}

const LimitOverride = (example: number | null) =>
  Each(
    ApiPropertyOptional({ type: 'integer', nullable: true, minimum: 0, maximum: USAGE_LIMIT_MAX, example }),
    NullOrAbsentOr(IsInt(), Min(0), Max(USAGE_LIMIT_MAX)),
  );

/** Overrides of single limits; `null` is unlimited; an absent key keeps its value. */
export class LimitOverrides implements Partial<UsageLimits> {
  @LimitOverride(10) users?: number | null;
  @LimitOverride(5) apiKeys?: number | null;
  @LimitOverride(2) integrations?: number | null;
  @LimitOverride(3) sites?: number | null;
  @LimitOverride(500) spaces?: number | null;
  @LimitOverride(500) devices?: number | null;
  @LimitOverride(300) apiRequestsPerMinute?: number | null;
  @LimitOverride(null) reservationsPerMonth?: number | null;
  @LimitOverride(50_000) webhooksPerMinute?: number | null;
}

/** Overrides merged over the current ones; omit a key to keep it. Publishes limits_changed. */
export class SetLimitsBody {
  @AuditReasonField('Support ticket #4711: customer asked to pause the account') reason!: string;

  @ApiProperty({ type: LimitOverrides })
  @IsObject()
  @ValidateNested()
  @Type(() => LimitOverrides)
  limits!: LimitOverrides;

  @ApiPropertyOptional({ default: false, example: false, description: 'Drop every override first' })
  @IsOptional()
  @IsBoolean()
  replace?: boolean;
}
export class AdminSetLimitsRequest extends SetLimitsBody {
  @UuidField() tenantId!: string;
}

const FeatureFlags = () =>
  ValidateBy({
    name: 'isFeatureFlags',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value) &&
        Object.entries(value).every(([name, flag]) => FEATURE_NAME.test(name) && typeof flag === 'boolean'),
      defaultMessage: () => 'features must map flag names (lower-case letters, digits, "-") to true or false',
    },
  });

/** Flags merged over the current ones. Publishes limits_changed (it carries the features too). */
export class SetFeaturesBody {
  @AuditReasonField('Support ticket #4711: customer asked to pause the account') reason!: string;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'boolean' }, example: { reservations: true, signage: false } })
  @FeatureFlags()
  features!: Record<string, boolean>;
}
export class AdminSetFeaturesRequest extends SetFeaturesBody {
  @UuidField() tenantId!: string;
}

/**
 * `rpc.identity.v1.admin.signing-keys.rotate`: a new access-token signing key, used from now on.
 * The previous keys stay in the JWKS until the tokens they signed have expired, unless
 * `retirePrevious` drops every earlier key at once (a key believed compromised: their tokens stop
 * working as soon as the gateways refresh the JWKS).
 */
export class AdminRotateSigningKeyRequest {
  @AuditReasonField('Quarterly key rotation') reason!: string;

  @ApiPropertyOptional({
    default: false,
    example: false,
    description: 'Drop every earlier key from the JWKS at once, so the tokens they signed stop working (a compromised key)',
  })
  @IsOptional()
  @IsBoolean()
  retirePrevious?: boolean;
}

// ---------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------

export class SigningKeyRotationView {
  /** The new key's id: the `kid` of every access token signed from now on. */
  @ApiProperty({ example: '3c1e5f7a-9b2d-4e6f-8a1c-3e5f7a9b2d4e' }) kid!: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-10T09:00:00Z' }) createdAt!: string;
  /** The keys this rotation retired (they stop signing; the JWKS lists them while their tokens live, unless `retirePrevious`). */
  @ApiProperty({ type: [String], example: ['8f2d4b6e-1a3c-4e5f-9b7d-2c4e6a8b0d1f'] }) retired!: string[];
}

export class TenantAdminView {
  @ApiProperty({ format: 'uuid', example: '0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d10' }) id!: string;
  @ApiProperty({ example: 'Harbour Car Parks' }) name!: string;
  @ApiProperty({ example: 'harbour-car-parks' }) slug!: string;
  @ApiProperty({ enum: TENANT_STATUSES, example: 'active' }) status!: TenantStatus;
  @ApiProperty({ example: 'free' }) plan!: string;
  /** The plan's limits with this tenant's overrides applied. */
  @ApiProperty({ type: UsageLimitsView }) limits!: UsageLimits;
  /** Only the overrides set for this tenant. */
  @ApiProperty({ type: LimitOverrides }) limitOverrides!: Partial<UsageLimits>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'boolean' }, example: { reservations: true } }) features!: Record<string, boolean>;
  @ApiProperty({ format: 'date-time', example: '2026-11-01T09:00:00Z' }) createdAt!: string;
  @ApiProperty({ example: 4 }) userCount!: number;
}

export class TenantAdminPage extends PageOf(TenantAdminView) {}

export class AuditEntry {
  @ApiProperty({ example: '1042' }) id!: string;
  @ApiProperty({ example: 'user:6d0f0b7e-4a7c-4f55-9d1f-0c8d6c1b2a33' }) actor!: string;
  @ApiProperty({ example: 'Support ticket #4711' }) reason!: string;
  /** e.g. `tenant.suspend`; null for rows written before actions were recorded. */
  @ApiProperty({ type: 'string', nullable: true, example: 'tenant.suspend' }) action!: string | null;
  /** e.g. `tenant:<uuid>` */
  @ApiProperty({ type: 'string', nullable: true, example: 'tenant:0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d10' }) target!: string | null;
  @ApiProperty({ format: 'date-time', example: '2026-11-23T12:00:00Z' }) at!: string;
}

export class AuditPage extends PageOf(AuditEntry) {}

export type AdminListTenantsResponse = TenantAdminPage;
export type AdminSuspendTenantResponse = TenantAdminView;
export type AdminSetPlanResponse = TenantAdminView;
export type AdminSetLimitsResponse = TenantAdminView;
export type AdminSetFeaturesResponse = TenantAdminView;
export type AdminListAuditResponse = AuditPage;
export type AdminRotateSigningKeyResponse = SigningKeyRotationView;
