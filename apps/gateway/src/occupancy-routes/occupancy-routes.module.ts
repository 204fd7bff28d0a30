import { Module } from '@nestjs/common';
import { LegacySpacesController } from './legacy-spaces.controller';
import { OccupancyClient } from './occupancy-client';
import { SitesController } from './sites.controller';
import { SpacesController } from './spaces.controller';
import { ZonesController } from './zones.controller';

/** The REST face of the occupancy service: thin controllers that validate and forward over NATS. */
@Module({
  controllers: [SitesController, ZonesController, SpacesController, LegacySpacesController],
  providers: [OccupancyClient],
})
export class OccupancyRoutesModule {}
