import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsIn, IsNotEmpty, IsString, Length, MaxLength } from 'class-validator';
import { TENANT_ROLES, type InvitationView, type TenantRole, type TenantUserView } from '@parking/contracts';

export class InviteUserBody {
  @ApiProperty({ example: 'grace@example.com' })
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ enum: TENANT_ROLES, example: 'operator', description: 'Only an owner may invite an owner' })
  @IsIn(TENANT_ROLES)
  role!: TenantRole;
}

export class AcceptInvitationBody {
  @ApiProperty({ example: 'inv_Q2x9…', maxLength: 512 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(512)
  token!: string;

  @ApiProperty({ example: 'Grace Hopper' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ example: 'correct horse battery staple', minLength: 12, maxLength: 256 })
  @IsString()
  @Length(12, 256)
  password!: string;
}

export class ChangeRoleBody {
  @ApiProperty({ enum: TENANT_ROLES, example: 'viewer' })
  @IsIn(TENANT_ROLES)
  role!: TenantRole;
}

export class InvitationDto implements InvitationView {
  @ApiProperty({ format: 'uuid', example: '9a7b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d' }) id!: string;
  @ApiProperty({ example: 'grace@example.com' }) email!: string;
  @ApiProperty({ enum: TENANT_ROLES, example: 'operator' }) role!: TenantRole;
  @ApiProperty({ format: 'date-time', example: '2026-11-30T12:00:00Z' }) expiresAt!: string;
  @ApiProperty({ format: 'date-time', example: '2026-11-23T12:00:00Z' }) createdAt!: string;
}

export class TenantUserDto implements TenantUserView {
  @ApiProperty({ format: 'uuid', example: '6d0f0b7e-4a7c-4f55-9d1f-0c8d6c1b2a33' }) id!: string;
  @ApiProperty({ example: 'ada@example.com' }) email!: string;
  @ApiProperty({ example: 'Ada Lovelace' }) name!: string;
  @ApiProperty({ enum: TENANT_ROLES, example: 'owner' }) role!: TenantRole;
  @ApiProperty({ format: 'date-time', example: '2026-11-01T09:00:00Z' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: 'string', example: '2026-11-23T08:15:00Z' }) lastLoginAt!: string | null;
}

export class TenantUserPage {
  @ApiProperty({ type: TenantUserDto, isArray: true }) items!: TenantUserDto[];
  @ApiProperty({ type: 'string', nullable: true, example: null }) nextCursor!: string | null;
}
