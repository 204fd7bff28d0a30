import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import {
  CancelReservationBody,
  CheckInReservationBody,
  CreateReservationBody,
  ExtendReservationBody,
  ListReservationsRequest,
  RESERVATION_PAGE_MAX,
  RESERVATIONS_RPC,
  ReservationPage,
  ReservationsEvents,
  ReservationView,
  type Principal,
} from '@parking/contracts';
import { RpcClient } from '@parking/messaging-nest';
import type { FastifyReply } from 'fastify';
import { RequirePermission } from '../auth/access-requirements';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { IdempotencyKey } from '../http-params/idempotency-key';
import { NoQueryParams } from '../http-params/no-query-params';
import { UuidParam } from '../http-params/uuid-param';
import { ApiAuthenticated } from '../openapi/api-docs.decorators';
import { idempotentReply } from './idempotent-reply';
import {
  ApiIdempotencyKeyHeader,
  ApiIdempotentReservation,
  BOOKING_LIMIT,
  BOOKING_PERMISSIONS,
  KEY_IN_FLIGHT,
  KEY_MALFORMED,
  KEY_MISSING,
  KEY_REUSED,
  NO_SPACE,
  OVERLAP,
  QUOTE_NOT_APPLICABLE,
  READING_PERMISSIONS,
  RESERVATION_ID_PARAM,
  RESERVATION_NOT_FOUND,
  RULE_VIOLATED,
  SPACE_OR_ZONE_NOT_FOUND,
  STATE_CONFLICT,
} from './reservation-docs';

/** What every command under an Idempotency-Key may answer besides its own problems. */
export const IDEMPOTENCY_PROBLEMS = [KEY_MISSING, KEY_MALFORMED, KEY_IN_FLIGHT, KEY_REUSED];

/** Bookings of the caller's tenant (owned by the reservations service). */
@ApiTags('reservations')
@Controller('api/v1/reservations')
export class ReservationsController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @RequirePermission('reservations:write', 'reservations:own')
  @Post()
  @ApiOperation({
    summary: 'Book a space, or any free space of a zone, for a window; needs an Idempotency-Key',
    description:
      `Needs ${BOOKING_PERMISSIONS}. No two active bookings of a space overlap: a taken window is 409 RESERVATION_OVERLAP naming it (never whose it is); a zone booking picks a free space of the zone (and \`type\`), else 409 NO_SPACE_AVAILABLE. ` +
      "The site's rules (duration, how far ahead, opening hours) are 422 RESERVATION_RULE_VIOLATED naming the rule; a `quoteId` holds the quoted price until it expires (422 QUOTE_NOT_APPLICABLE after). " +
      `403 LIMIT_EXCEEDED at the plan's reservationsPerMonth. A retry with the same Idempotency-Key answers the first booking again, with \`Idempotent-Replayed: true\`. Publishes ${ReservationsEvents.RESERVATION_CREATED_V1}.`,
  })
  @ApiIdempotencyKeyHeader({ required: true })
  @ApiIdempotentReservation(201)
  @ApiAuthenticated(...IDEMPOTENCY_PROBLEMS, BOOKING_LIMIT, SPACE_OR_ZONE_NOT_FOUND, OVERLAP, NO_SPACE, RULE_VIOLATED, QUOTE_NOT_APPLICABLE)
  async create(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() idempotencyKey: string,
    @Body() body: CreateReservationBody,
    @Query() _query: NoQueryParams,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ReservationView> {
    return idempotentReply(reply, await this.rpc.call(RESERVATIONS_RPC.create, { ...body, idempotencyKey }, { principal }));
  }

  @RequirePermission('reservations:read', 'reservations:own')
  @Get()
  @ApiOperation({
    summary: 'Reservations of the tenant by start, oldest first; filter by site, zone, space, state, window or plate',
    description:
      `Needs ${READING_PERMISSIONS} (it then lists only those). \`from\`/\`to\` select the bookings whose window overlaps them; \`zoneId\` includes the zones nested in it. ` +
      `Keyset-paginated: pass \`nextCursor\` back as \`cursor\`; \`limit\` 1 to ${RESERVATION_PAGE_MAX} (default 50).`,
  })
  @ApiOkResponse({ type: ReservationPage })
  @ApiAuthenticated()
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListReservationsRequest): Promise<ReservationPage> {
    return this.rpc.call(RESERVATIONS_RPC.list, query, { principal });
  }

  @RequirePermission('reservations:read', 'reservations:own')
  @Get(':id')
  @ApiOperation({
    summary: 'One reservation with its state, price, charges and check-in window',
    description: `Needs ${READING_PERMISSIONS}. A reservation of another tenant is 404, like an unknown id.`,
  })
  @ApiParam(RESERVATION_ID_PARAM)
  @ApiOkResponse({ type: ReservationView })
  @ApiAuthenticated(RESERVATION_NOT_FOUND)
  get(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) reservationId: string, @Query() _query: NoQueryParams): Promise<ReservationView> {
    return this.rpc.call(RESERVATIONS_RPC.get, { reservationId }, { principal });
  }

  @RequirePermission('reservations:write', 'reservations:own')
  @Post(':id/extend')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Move the end of an active reservation later; the extra time is priced at the rate that applies; needs an Idempotency-Key',
    description:
      `Needs ${BOOKING_PERMISSIONS}. Only confirmed or checked-in reservations are extended (409 CONFLICT otherwise); the new end must be later than the current one and within 31 days of the start. ` +
      'A later booking of the space in the added time is 409 RESERVATION_OVERLAP naming its window. A retry with the same Idempotency-Key answers the first extension again, with `Idempotent-Replayed: true`. ' +
      `Send the \`version\` you read to get 409 CONFLICT instead of extending a booking that changed. Publishes ${ReservationsEvents.RESERVATION_EXTENDED_V1}.`,
  })
  @ApiParam(RESERVATION_ID_PARAM)
  @ApiIdempotencyKeyHeader({ required: true })
  @ApiIdempotentReservation(200)
  @ApiAuthenticated(...IDEMPOTENCY_PROBLEMS, RESERVATION_NOT_FOUND, OVERLAP, STATE_CONFLICT('extended', 'confirmed or checked_in'))
  async extend(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParam) reservationId: string,
    @IdempotencyKey() idempotencyKey: string,
    @Body() body: ExtendReservationBody,
    @Query() _query: NoQueryParams,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ReservationView> {
    return idempotentReply(reply, await this.rpc.call(RESERVATIONS_RPC.extend, { ...body, reservationId, idempotencyKey }, { principal }));
  }

  @RequirePermission('reservations:write', 'reservations:own')
  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({
    summary: "Cancel a confirmed reservation; free until the site's free-cancellation time, then the site's fee is charged",
    description:
      `Needs ${BOOKING_PERMISSIONS}. Only a confirmed reservation is cancelled (409 CONFLICT naming its \`state\` otherwise). ` +
      `\`charged\` shows the fee, if any. Send the \`version\` you read to get 409 CONFLICT instead of cancelling a booking that changed. Publishes ${ReservationsEvents.RESERVATION_ENDED_V1} (reason cancelled).`,
  })
  @ApiParam(RESERVATION_ID_PARAM)
  @ApiOkResponse({ type: ReservationView })
  @ApiAuthenticated(RESERVATION_NOT_FOUND, STATE_CONFLICT('cancelled', 'confirmed'))
  cancel(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) reservationId: string, @Body() body: CancelReservationBody, @Query() _query: NoQueryParams): Promise<ReservationView> {
    return this.rpc.call(RESERVATIONS_RPC.cancel, { ...body, reservationId }, { principal });
  }

  @RequirePermission('reservations:write', 'reservations:own')
  @Post(':id/check-in')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Check a confirmed reservation in by hand, where the sensor cannot tell',
    description:
      `Needs ${BOOKING_PERMISSIONS}. Only within the check-in window (\`checkInWindow\`: 409 CONFLICT before it opens) and only a confirmed reservation (409 CONFLICT otherwise). ` +
      `Sensors check bookings in on their own when the car arrives. Publishes ${ReservationsEvents.RESERVATION_CHECKED_IN_V1}.`,
  })
  @ApiParam(RESERVATION_ID_PARAM)
  @ApiOkResponse({ type: ReservationView })
  @ApiAuthenticated(RESERVATION_NOT_FOUND, STATE_CONFLICT('checked in', 'confirmed'))
  checkIn(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) reservationId: string, @Body() body: CheckInReservationBody, @Query() _query: NoQueryParams): Promise<ReservationView> {
    return this.rpc.call(RESERVATIONS_RPC.checkIn, { ...body, reservationId }, { principal });
  }
}
