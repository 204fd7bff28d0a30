import { Module } from '@nestjs/common';
import { AvailabilityController } from './availability.controller';
import { LegacyReservationsController } from './legacy-reservations.controller';
import { ReservationReportsController } from './reservation-reports.controller';
import { ReservationsController } from './reservations.controller';
import { SiteReservationSettingsController } from './site-reservation-settings.controller';
import { TariffsController } from './tariffs.controller';

/**
 * The REST face of the reservations service: thin controllers that validate and forward over
 * NATS. The reports come before the reservations, so that `/reservations/stats` is its own
 * route rather than a reservation id (Fastify prefers the static path anyway).
 */
@Module({
  controllers: [ReservationReportsController, ReservationsController, LegacyReservationsController, AvailabilityController, TariffsController, SiteReservationSettingsController],
})
export class ReservationRoutesModule {}
