import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { HistoryController } from './history.controller';
import { ImportController } from './import.controller';
import { InteropClient } from './interop-client';
import { InteropController } from './interop.controller';
import { LegacySpacesController } from './legacy-spaces.controller';
import { LIVE_STREAM_SLOTS } from './site-events/live-stream-slots.provider';
import { SiteEventFeed } from './site-events/site-event-feed';
import { SiteEventsController } from './site-events/site-events.controller';
import { SitesController } from './sites.controller';
import { SpacesController } from './spaces.controller';
import { StatsController } from './stats.controller';
import { ZonesController } from './zones.controller';

/** The REST face of the occupancy service: thin controllers that validate and forward over NATS. */
@Module({
  imports: [AuthModule],
  controllers: [ImportController, SitesController, ZonesController, SpacesController, LegacySpacesController, HistoryController, InteropController, SiteEventsController, StatsController],
  providers: [InteropClient, SiteEventFeed, LIVE_STREAM_SLOTS],
})
export class OccupancyRoutesModule {}
