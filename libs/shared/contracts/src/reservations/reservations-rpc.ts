import { NoInput } from '../fields/no-input';
import { defineRpc } from '../rpc-contract';
import {
  AvailabilityRequest,
  AvailabilityView,
  ExpireOldAnswer,
  QuoteRequest,
  QuoteView,
  ReservationStatsRequest,
  ReservationStatsView,
  RevenueRequest,
  RevenueView,
  SpaceAvailabilityRequest,
  SpaceAvailabilityView,
} from './availability-payloads';
import {
  CreateTariffRequest,
  ListTariffsRequest,
  PutSiteSettingsRequest,
  SiteSettingsRef,
  SiteSettingsView,
  TariffPage,
  TariffRef,
  TariffView,
  UpdateTariffRequest,
} from './tariff-requests';
import {
  CancelReservationRequest,
  CheckInReservationRequest,
  CreateReservationRequest,
  ExtendReservationRequest,
  IdempotentReservationAnswer,
  ListReservationsRequest,
  ReservationPage,
  ReservationRef,
  ReservationView,
} from './reservation-payloads';

/**
 * Reservations over NATS request/reply. The service checks the permission against the
 * principal inside its tenant: another tenant's id is 404. A caller holding only
 * `reservations:own` (an API key) creates, reads and changes only the bookings it made.
 */
export const RESERVATIONS_RPC = {
  /**
   * 409 RESERVATION_OVERLAP naming the taken window; 422 RESERVATION_RULE_VIOLATED naming the
   * site's rule; 403 LIMIT_EXCEEDED at the plan's reservationsPerMonth. Idempotent by key.
   */
  create: defineRpc('rpc.reservations.v1.reservations.create', CreateReservationRequest, IdempotentReservationAnswer),
  list: defineRpc('rpc.reservations.v1.reservations.list', ListReservationsRequest, ReservationPage),
  get: defineRpc('rpc.reservations.v1.reservations.get', ReservationRef, ReservationView),
  cancel: defineRpc('rpc.reservations.v1.reservations.cancel', CancelReservationRequest, ReservationView),
  extend: defineRpc('rpc.reservations.v1.reservations.extend', ExtendReservationRequest, IdempotentReservationAnswer),
  checkIn: defineRpc('rpc.reservations.v1.reservations.check-in', CheckInReservationRequest, ReservationView),
  availability: defineRpc('rpc.reservations.v1.availability', AvailabilityRequest, AvailabilityView),
  spaceAvailability: defineRpc('rpc.reservations.v1.space-availability', SpaceAvailabilityRequest, SpaceAvailabilityView),
  quote: defineRpc('rpc.reservations.v1.quotes.create', QuoteRequest, QuoteView),
  stats: defineRpc('rpc.reservations.v1.stats', ReservationStatsRequest, ReservationStatsView),
  revenue: defineRpc('rpc.reservations.v1.revenue', RevenueRequest, RevenueView),
  /** Platform admins: every tenant's bookings past their end that never checked in. */
  expireOld: defineRpc('rpc.reservations.v1.admin.expire-old', NoInput, ExpireOldAnswer),
  createTariff: defineRpc('rpc.reservations.v1.tariffs.create', CreateTariffRequest, TariffView),
  listTariffs: defineRpc('rpc.reservations.v1.tariffs.list', ListTariffsRequest, TariffPage),
  getTariff: defineRpc('rpc.reservations.v1.tariffs.get', TariffRef, TariffView),
  updateTariff: defineRpc('rpc.reservations.v1.tariffs.update', UpdateTariffRequest, TariffView),
  deleteTariff: defineRpc('rpc.reservations.v1.tariffs.delete', TariffRef, TariffView),
  getSiteSettings: defineRpc('rpc.reservations.v1.site-settings.get', SiteSettingsRef, SiteSettingsView),
  putSiteSettings: defineRpc('rpc.reservations.v1.site-settings.put', PutSiteSettingsRequest, SiteSettingsView),
} as const;
