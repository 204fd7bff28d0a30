import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import type { IntegrationRejection, IntegrationSecretsResponse, IntegrationView } from '@parking/contracts';

export class CreateIntegrationBody {
  @ApiProperty({ example: 'ChirpStack production' })
  @IsString()
  @Length(1, 100)
  name!: string;
}

export class RotateIntegrationBody {
  @ApiPropertyOptional({ minimum: 0, maximum: 604800, default: 86400, example: 86400, description: 'How long the previous token and secret keep working' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(604_800)
  graceSeconds?: number;
}

class IntegrationRejectionDto implements IntegrationRejection {
  @ApiProperty({ format: 'date-time', example: '2026-11-23T11:59:00Z' }) at!: string;
  @ApiProperty({ example: 'bad-signature' }) reason!: string;
}

export class IntegrationDto implements IntegrationView {
  @ApiProperty({ format: 'uuid', example: '5c4b3a29-1807-4f6e-9d5c-4b3a29180716' }) id!: string;
  @ApiProperty({ example: 'ChirpStack production' }) name!: string;
  @ApiProperty({ example: 'whk_Pq8sT2vW' }) tokenPrefix!: string;
  @ApiProperty({ format: 'date-time', example: '2026-11-20T10:00:00Z' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', type: 'string', nullable: true, example: null }) rotatedAt!: string | null;
  @ApiProperty({ format: 'date-time', type: 'string', nullable: true, example: null }) previousValidUntil!: string | null;
  @ApiProperty({ format: 'date-time', type: 'string', nullable: true, example: '2026-11-23T12:00:05Z' }) lastReceivedAt!: string | null;
  @ApiProperty({ example: 0 }) rejectedCount!: number;
  @ApiProperty({ type: IntegrationRejectionDto, isArray: true, example: [] }) lastRejections!: IntegrationRejectionDto[];
}

export class IntegrationSecretsDto implements IntegrationSecretsResponse {
  @ApiProperty({ type: IntegrationDto }) integration!: IntegrationDto;
  @ApiProperty({ example: 'whk_Pq8sT2vW_h3Jx…', description: 'Bearer for ChirpStack; shown once' }) token!: string;
  @ApiProperty({ example: 'b64url-hmac-key…', description: 'HMAC-SHA256 key for signed webhooks; shown once' }) hmacSecret!: string;
}

export class IntegrationPage {
  @ApiProperty({ type: IntegrationDto, isArray: true }) items!: IntegrationDto[];
  @ApiProperty({ type: 'string', nullable: true, example: null }) nextCursor!: string | null;
}
