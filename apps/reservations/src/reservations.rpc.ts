import { Controller } from '@nestjs/common';
import {
  RESERVATION_PAGE_DEFAULT,
  RESERVATIONS_RPC,
  type AvailabilityRequest,
  type AvailabilityView,
  type CancelReservationRequest,
  type CheckInReservationRequest,
  type CreateReservationRequest,
  type CreateTariffRequest,
  type ExpireOldAnswer,
  type ExtendReservationRequest,
  type IdempotentReservationAnswer,
  type ListReservationsRequest,
  type ListTariffsRequest,
  type Page,
  type PutSiteSettingsRequest,
  type QuoteRequest,
  type QuoteView,
  type ReceivedRpcContext,
  type ReservationRef,
  type ReservationStatsRequest,
  type ReservationStatsView,
  type ReservationView,
  type RevenueRequest,
  type RevenueView,
  type SiteSettingsRef,
  type SiteSettingsView,
  type SpaceAvailabilityRequest,
  type SpaceAvailabilityView,
  type TariffRef,
  type TariffView,
  type UpdateTariffRequest,
} from '@parking/contracts';
import { RpcHandler } from '@parking/messaging-nest';
import { authorised, principalOf, requirePlatformAdmin } from '@parking/service-runtime';
import { bookingAccess } from './bookings/booking-access';
import { BookingUseCase } from './bookings/booking.use-case';
import { ReservationCommands } from './bookings/reservation-commands.use-case';
import { ReservationQueries } from './bookings/reservation-queries.use-case';
import { LifecycleJobs } from './lifecycle/lifecycle-jobs';
import { QuotesUseCase } from './pricing/quotes.use-case';
import { TariffsUseCase } from './pricing/tariffs.use-case';
import { RevenueUseCase } from './revenue/revenue.use-case';

@Controller()
export class ReservationsRpc {
  constructor(
    private readonly booking: BookingUseCase,
    private readonly commands: ReservationCommands,
    private readonly queries: ReservationQueries,
    private readonly quotes: QuotesUseCase,
    private readonly tariffs: TariffsUseCase,
    private readonly revenueOf: RevenueUseCase,
    private readonly jobs: LifecycleJobs,
  ) {}

  @RpcHandler(RESERVATIONS_RPC.create)
  create(request: CreateReservationRequest, context: ReceivedRpcContext): Promise<IdempotentReservationAnswer> {
    const { idempotencyKey, ...body } = request;
    return this.booking.create(bookingAccess(context, 'write'), idempotencyKey, body);
  }

  @RpcHandler(RESERVATIONS_RPC.list)
  list(request: ListReservationsRequest, context: ReceivedRpcContext): Promise<Page<ReservationView>> {
    return this.queries.list(bookingAccess(context, 'read'), request, request.limit ?? RESERVATION_PAGE_DEFAULT);
  }

  @RpcHandler(RESERVATIONS_RPC.get)
  get(request: ReservationRef, context: ReceivedRpcContext): Promise<ReservationView> {
    return this.queries.get(bookingAccess(context, 'read'), request.reservationId);
  }

  @RpcHandler(RESERVATIONS_RPC.cancel)
  cancel(request: CancelReservationRequest, context: ReceivedRpcContext): Promise<ReservationView> {
    return this.commands.cancel(bookingAccess(context, 'write'), request.reservationId, request);
  }

  @RpcHandler(RESERVATIONS_RPC.extend)
  extend(request: ExtendReservationRequest, context: ReceivedRpcContext): Promise<IdempotentReservationAnswer> {
    const { reservationId, idempotencyKey, ...body } = request;
    return this.commands.extend(bookingAccess(context, 'write'), reservationId, idempotencyKey, body);
  }

  @RpcHandler(RESERVATIONS_RPC.checkIn)
  checkIn(request: CheckInReservationRequest, context: ReceivedRpcContext): Promise<ReservationView> {
    return this.commands.checkIn(bookingAccess(context, 'write'), request.reservationId, request);
  }

  @RpcHandler(RESERVATIONS_RPC.availability)
  availability(request: AvailabilityRequest, context: ReceivedRpcContext): Promise<AvailabilityView> {
    return this.queries.availability(bookingAccess(context, 'read').principal, request);
  }

  @RpcHandler(RESERVATIONS_RPC.spaceAvailability)
  spaceAvailability(request: SpaceAvailabilityRequest, context: ReceivedRpcContext): Promise<SpaceAvailabilityView> {
    return this.queries.spaceAvailability(bookingAccess(context, 'read').principal, request.spaceId, new Date(request.from), new Date(request.to));
  }

  @RpcHandler(RESERVATIONS_RPC.quote)
  quote(request: QuoteRequest, context: ReceivedRpcContext): Promise<QuoteView> {
    return this.quotes.quote(bookingAccess(context, 'read').principal, request);
  }

  @RpcHandler(RESERVATIONS_RPC.stats)
  stats(request: ReservationStatsRequest, context: ReceivedRpcContext): Promise<ReservationStatsView> {
    return this.queries.stats(authorised(context, 'revenue:read'), request);
  }

  @RpcHandler(RESERVATIONS_RPC.revenue)
  revenue(request: RevenueRequest, context: ReceivedRpcContext): Promise<RevenueView> {
    return this.revenueOf.revenue(authorised(context, 'revenue:read'), request);
  }

  @RpcHandler(RESERVATIONS_RPC.expireOld)
  expireOld(_request: object, context: ReceivedRpcContext): Promise<ExpireOldAnswer> {
    const principal = principalOf(context);
    requirePlatformAdmin(principal);
    return this.jobs.expireOld(principal.actor);
  }

  @RpcHandler(RESERVATIONS_RPC.createTariff)
  createTariff(request: CreateTariffRequest, context: ReceivedRpcContext): Promise<TariffView> {
    const { siteId, ...body } = request;
    return this.tariffs.create(authorised(context, 'tariffs:write'), siteId, body);
  }

  @RpcHandler(RESERVATIONS_RPC.listTariffs)
  listTariffs(request: ListTariffsRequest, context: ReceivedRpcContext): Promise<Page<TariffView>> {
    return this.tariffs.list(authorised(context, 'reservations:read'), request, request.limit ?? RESERVATION_PAGE_DEFAULT);
  }

  @RpcHandler(RESERVATIONS_RPC.getTariff)
  getTariff(request: TariffRef, context: ReceivedRpcContext): Promise<TariffView> {
    return this.tariffs.get(authorised(context, 'reservations:read'), request.tariffId);
  }

  @RpcHandler(RESERVATIONS_RPC.updateTariff)
  updateTariff(request: UpdateTariffRequest, context: ReceivedRpcContext): Promise<TariffView> {
    const { tariffId, ...body } = request;
    return this.tariffs.update(authorised(context, 'tariffs:write'), tariffId, body);
  }

  @RpcHandler(RESERVATIONS_RPC.deleteTariff)
  deleteTariff(request: TariffRef, context: ReceivedRpcContext): Promise<TariffView> {
    return this.tariffs.remove(authorised(context, 'tariffs:write'), request.tariffId);
  }

  @RpcHandler(RESERVATIONS_RPC.getSiteSettings)
  siteSettings(request: SiteSettingsRef, context: ReceivedRpcContext): Promise<SiteSettingsView> {
    return this.tariffs.settings(authorised(context, 'reservations:read'), request.siteId);
  }

  @RpcHandler(RESERVATIONS_RPC.putSiteSettings)
  putSiteSettings(request: PutSiteSettingsRequest, context: ReceivedRpcContext): Promise<SiteSettingsView> {
    const { siteId, ...body } = request;
    return this.tariffs.putSettings(authorised(context, 'tariffs:write'), siteId, body);
  }
}
