import { Module } from '@nestjs/common';
import { HistoryController } from './history.controller';
import { ImportController } from './import.controller';
import { InteropClient } from './interop-client';
import { InteropController } from './interop.controller';
import { LegacySpacesController } from './legacy-spaces.controller';
import { SiteEventFeed } from './site-events/site-event-feed';
import { SiteEventsController } from './site-events/site-events.controller';
import { SitesController } from './sites.controller';
import { SpacesController } from './spaces.controller';
import { StatsController } from './stats.controller';
import { ZonesController } from './zones.controller';

/** The REST face of the occupancy service: thin controllers that validate and forward over NATS. */
@Module({
  controllers: [ImportController, SitesController, ZonesController, SpacesController, LegacySpacesController, HistoryController, InteropController, SiteEventsController, StatsController],
  providers: [InteropClient, SiteEventFeed],
})
export class OccupancyRoutesModule {}
