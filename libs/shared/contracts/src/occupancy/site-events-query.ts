import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';

/**
 * The query of a site's live stream (GET /api/v1/sites/{id}/events). The gateway serves the
 * stream itself from the OCCUPANCY stream; no service receives this.
 */
export class SiteEventsQuery {
  @ApiPropertyOptional({
    example: '48213',
    description: 'Resume after this OCCUPANCY stream sequence (for clients that cannot send Last-Event-ID, e.g. a first EventSource connection after loading a snapshot)',
  })
  @IsOptional()
  @Matches(/^\d{1,15}$/, { message: 'lastEventId must be an OCCUPANCY stream sequence: digits only' })
  lastEventId?: string;
}
