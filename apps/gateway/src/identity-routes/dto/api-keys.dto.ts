import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsDateString, IsIn, IsOptional, IsString, Length } from 'class-validator';
import { PERMISSIONS, type ApiKeySecretResponse, type ApiKeyView, type Permission } from '@parking/contracts';

export class CreateApiKeyBody {
  @ApiProperty({ example: 'Signage controller, level 2' })
  @IsString()
  @Length(1, 100)
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
  expiresAt?: string | null;
}

export class ApiKeyDto implements ApiKeyView {
  @ApiProperty({ format: 'uuid', example: '2f6c9a1e-7b3d-4c5e-8f90-a1b2c3d4e5f6' }) id!: string;
  @ApiProperty({ example: 'Signage controller, level 2' }) name!: string;
  @ApiProperty({ example: 'pk_live_7Hq2xK9a' }) prefix!: string;
  @ApiProperty({ enum: PERMISSIONS, isArray: true, example: ['spaces:read'] }) scopes!: Permission[];
  @ApiProperty({ example: 'user:6d0f0b7e-4a7c-4f55-9d1f-0c8d6c1b2a33' }) createdBy!: string;
  @ApiProperty({ format: 'date-time', example: '2026-11-23T12:00:00Z' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', type: 'string', nullable: true, example: null }) expiresAt!: string | null;
  @ApiProperty({ format: 'date-time', type: 'string', nullable: true, example: '2026-11-23T12:30:00Z' }) lastUsedAt!: string | null;
  @ApiProperty({ format: 'date-time', type: 'string', nullable: true, example: null }) revokedAt!: string | null;
}

export class ApiKeySecretDto implements ApiKeySecretResponse {
  @ApiProperty({ type: ApiKeyDto }) apiKey!: ApiKeyDto;
  @ApiProperty({ example: 'pk_live_7Hq2xK9a_Zt1cGq0m3yV8w…', description: 'Shown this once; store it now' }) key!: string;
}

export class ApiKeyPage {
  @ApiProperty({ type: ApiKeyDto, isArray: true }) items!: ApiKeyDto[];
  @ApiProperty({ type: 'string', nullable: true, example: 'eyJpZCI6IjJmNmMifQ' }) nextCursor!: string | null;
}
