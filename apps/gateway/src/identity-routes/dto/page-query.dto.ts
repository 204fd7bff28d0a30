import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { PageRequest } from '@parking/contracts';

export const MAX_PAGE_SIZE = 200;

/** Cursor pagination of every list: pass `nextCursor` back as `cursor`. */
export class PageQuery implements PageRequest {
  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page', example: 'eyJpZCI6IjJmNmMifQ' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 50, example: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;
}
