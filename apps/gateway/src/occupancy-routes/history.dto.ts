import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { IsDateString, IsIn, IsOptional } from 'class-validator';
import {
  SITE_SPACES_INCLUDES,
  SPACE_STATES,
  TRANSITION_CAUSES,
  type SiteSpaceView,
  type SiteSpacesInclude,
  type SpaceState,
  type SpaceTransitionView,
  type TransitionCause,
} from '@parking/contracts';
import { OccupancyPageQuery } from './dto/occupancy-fields';
import { SpaceDto, SpaceReadingDto, SpaceStateDto } from './dto/spaces.dto';

export class ListTransitionsQuery extends OccupancyPageQuery {
  @ApiPropertyOptional({ format: 'date-time', example: '2026-12-01T00:00:00Z', description: 'Only transitions at or after this instant' })
  @IsOptional()
  @IsDateString({ strict: true }, { message: 'from must be an RFC 3339 date-time, e.g. 2026-12-01T00:00:00Z' })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', example: '2026-12-02T00:00:00Z', description: 'Only transitions before this instant' })
  @IsOptional()
  @IsDateString({ strict: true }, { message: 'to must be an RFC 3339 date-time, e.g. 2026-12-02T00:00:00Z' })
  to?: string;
}

export class SpaceTransitionDto implements SpaceTransitionView {
  @ApiProperty({ example: '48213', description: 'Grows with every transition stored; the newest has the largest' }) id!: string;
  @ApiProperty({ enum: SPACE_STATES, example: 'free' }) from!: SpaceState;
  @ApiProperty({ enum: SPACE_STATES, example: 'occupied' }) to!: SpaceState;
  @ApiProperty({ enum: TRANSITION_CAUSES, example: 'sensor' }) cause!: TransitionCause;
  @ApiProperty({ type: SpaceReadingDto, nullable: true, description: 'The reading the space held after the change' }) reading!: SpaceReadingDto | null;
  @ApiProperty({ example: 7, description: "The space's state version after the change, as in occupancy.space.state_changed.v1" }) version!: number;
  @ApiProperty({ format: 'date-time', example: '2026-12-02T09:41:12.031Z' }) at!: string;
}

export class SpaceTransitionPage {
  @ApiProperty({ type: SpaceTransitionDto, isArray: true }) items!: SpaceTransitionDto[];
  @ApiProperty({ type: 'string', nullable: true, example: null }) nextCursor!: string | null;
}

export class ListSiteSpacesQuery extends OccupancyPageQuery {
  @ApiPropertyOptional({ enum: SITE_SPACES_INCLUDES, example: 'state', description: "state: each space with its live state and the state's version" })
  @IsOptional()
  @IsIn(SITE_SPACES_INCLUDES, { message: `include must be one of ${SITE_SPACES_INCLUDES.join(', ')}` })
  include?: SiteSpacesInclude;
}

export class SiteSpaceDto extends OmitType(SpaceDto, ['state'] as const) implements SiteSpaceView {
  @ApiPropertyOptional({ type: SpaceStateDto, description: 'With include=state only' }) state?: SpaceStateDto;
}

export class SiteSpacePage {
  @ApiProperty({ type: SiteSpaceDto, isArray: true }) items!: SiteSpaceDto[];
  @ApiProperty({ type: 'string', nullable: true, example: null }) nextCursor!: string | null;
  @ApiProperty({
    example: 48213,
    description:
      'The OCCUPANCY stream sequence this page reflects. Follow GET /api/v1/sites/{id}/events with Last-Event-ID set to the first ' +
      "page's value and apply an event only when its version is greater than the space's state.version.",
  })
  streamSequence!: number;
}
