import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export const PAGE_SIZE_DEFAULT = 50;
/** Cursors are opaque; a longer one was never given out. */
export const PAGE_CURSOR_MAX = 512;

/** One page of a list: pass `nextCursor` back as `cursor` for the next. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Where a page starts (`cursor`) and how many items it holds (`limit`, 1..max). */
export interface PageRequest {
  cursor?: string;
  limit?: number;
}

/** The `cursor` and `limit` of a list whose pages hold at most `max` items. */
export function PageQueryOf(max: number, defaultSize = PAGE_SIZE_DEFAULT) {
  class PageQuery implements PageRequest {
    @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page', example: 'WyIxNzk2MjAwMDAwMDAwMDAwIiwiM2M5ZSJd' })
    @IsOptional()
    @IsString()
    @MaxLength(PAGE_CURSOR_MAX)
    cursor?: string;

    @ApiPropertyOptional({ minimum: 1, maximum: max, default: defaultSize, example: defaultSize })
    @IsOptional()
    @Type(() => Number)
    @IsInt()
    @Min(1)
    @Max(max)
    limit?: number;
  }
  return PageQuery;
}

/** The documentation of a page of `item`s (the class is only for OpenAPI and typing). */
export function PageOf<T>(item: new () => T) {
  class PageOfItems implements Page<T> {
    @ApiProperty({ type: item, isArray: true }) items!: T[];
    @ApiProperty({ type: 'string', nullable: true, example: null, description: 'Pass it as `cursor` for the next page; null on the last' })
    nextCursor!: string | null;
  }
  return PageOfItems;
}
