import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, Length, Min, ValidateBy, ValidateIf, ValidateNested } from 'class-validator';
import { PLANS, type AuditEntry, type TenantAdminView, type UsageLimits } from '@parking/contracts';
import { PageQuery } from './page-query.dto';
import { UsageLimitsView } from './session.dto';

const PLAN_IDS = Object.keys(PLANS);

/** Every platform-admin action says why; identity writes it to the audit trail. */
class AdminReason {
  @ApiProperty({ minLength: 3, maxLength: 500, example: 'Support ticket #4711: customer asked to pause the account' })
  @IsString()
  @Length(3, 500)
  reason!: string;
}

export class AdminListTenantsQuery extends PageQuery {
  @ApiProperty({ minLength: 3, maxLength: 500, example: 'Monthly billing review' })
  @IsString()
  @Length(3, 500)
  reason!: string;
}

export class AdminListAuditQuery extends AdminListTenantsQuery {
  @ApiPropertyOptional({ example: 'tenant:0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d10' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  target?: string;
}

export class SuspendTenantBody extends AdminReason {
  @ApiPropertyOptional({ default: true, example: true, description: '`false` reinstates the tenant' })
  @IsOptional()
  @IsBoolean()
  suspended?: boolean;
}

export class SetPlanBody extends AdminReason {
  @ApiProperty({ enum: PLAN_IDS, example: 'standard' })
  @IsIn(PLAN_IDS)
  plan!: string;
}

const nullableCount = (example: number | null) => [
  ApiPropertyOptional({ type: 'integer', nullable: true, minimum: 0, example }),
  IsOptional(),
  ValidateIf((_object: unknown, value: unknown) => value !== null),
  IsInt(),
  Min(0),
];

function NullableCount(example: number | null): PropertyDecorator {
  return (target, property) => nullableCount(example).forEach((decorate) => decorate(target, property));
}

/** Overrides of single limits; `null` is unlimited; an absent key keeps its value. */
export class LimitOverrides implements Partial<UsageLimits> {
  @NullableCount(10) users?: number | null;
  @NullableCount(5) apiKeys?: number | null;
  @NullableCount(2) integrations?: number | null;
  @NullableCount(3) sites?: number | null;
  @NullableCount(500) spaces?: number | null;
  @NullableCount(500) devices?: number | null;
  @NullableCount(300) apiRequestsPerMinute?: number | null;
  @NullableCount(null) reservationsPerMonth?: number | null;
}

export class SetLimitsBody extends AdminReason {
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

const IsFeatureFlags = () =>
  ValidateBy({
    name: 'isFeatureFlags',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value) &&
        Object.entries(value).every(([name, flag]) => /^[a-z][a-zA-Z0-9-]{0,63}$/.test(name) && typeof flag === 'boolean'),
      defaultMessage: () => 'features must map flag names (letters, digits, "-") to true or false',
    },
  });

export class SetFeaturesBody extends AdminReason {
  @ApiProperty({ type: 'object', additionalProperties: { type: 'boolean' }, example: { reservations: true, signage: false } })
  @IsFeatureFlags()
  features!: Record<string, boolean>;
}

export class TenantAdminDto implements TenantAdminView {
  @ApiProperty({ format: 'uuid', example: '0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d10' }) id!: string;
  @ApiProperty({ example: 'Harbour Car Parks' }) name!: string;
  @ApiProperty({ example: 'harbour-car-parks' }) slug!: string;
  @ApiProperty({ enum: ['active', 'suspended'], example: 'active' }) status!: 'active' | 'suspended';
  @ApiProperty({ example: 'free' }) plan!: string;
  @ApiProperty({ type: UsageLimitsView }) limits!: UsageLimitsView;
  @ApiProperty({ type: LimitOverrides }) limitOverrides!: LimitOverrides;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'boolean' }, example: { reservations: true } }) features!: Record<string, boolean>;
  @ApiProperty({ format: 'date-time', example: '2026-11-01T09:00:00Z' }) createdAt!: string;
  @ApiProperty({ example: 4 }) userCount!: number;
}

export class TenantAdminPage {
  @ApiProperty({ type: TenantAdminDto, isArray: true }) items!: TenantAdminDto[];
  @ApiProperty({ type: 'string', nullable: true, example: null }) nextCursor!: string | null;
}

export class AuditEntryDto implements AuditEntry {
  @ApiProperty({ example: '1042' }) id!: string;
  @ApiProperty({ example: 'user:6d0f0b7e-4a7c-4f55-9d1f-0c8d6c1b2a33' }) actor!: string;
  @ApiProperty({ example: 'Support ticket #4711' }) reason!: string;
  @ApiProperty({ type: 'string', nullable: true, example: 'tenant.suspend' }) action!: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: 'tenant:0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d10' }) target!: string | null;
  @ApiProperty({ format: 'date-time', example: '2026-11-23T12:00:00Z' }) at!: string;
}

export class AuditPage {
  @ApiProperty({ type: AuditEntryDto, isArray: true }) items!: AuditEntryDto[];
  @ApiProperty({ type: 'string', nullable: true, example: null }) nextCursor!: string | null;
}
