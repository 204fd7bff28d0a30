import { ChirpstackRoutesModule } from './chirpstack-routes/chirpstack-routes.module';
import { DeviceRoutesModule } from './device-routes/device-routes.module';
import { IdentityRoutesModule } from './identity-routes/identity-routes.module';
import { IngestAdminRoutesModule } from './ingest-admin-routes/ingest-admin-routes.module';
import { OccupancyRoutesModule } from './occupancy-routes/occupancy-routes.module';
import { ReservationRoutesModule } from './reservation-routes/reservation-routes.module';
import { SignageRoutesModule } from './signage-routes/signage-routes.module';

/** The REST API's route modules: the gateway serves them and the OpenAPI document describes them, from this one list. */
export const API_ROUTE_MODULES = [IdentityRoutesModule, DeviceRoutesModule, IngestAdminRoutesModule, OccupancyRoutesModule, ReservationRoutesModule, SignageRoutesModule, ChirpstackRoutesModule];
