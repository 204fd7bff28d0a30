import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CancelReservationBody, ExpireOldAnswer, RESERVATION_PAGE_MAX, RESERVATIONS_RPC, ReservationPage, ReservationView, SpaceAvailabilityView, type Principal } from '@parking/contracts';
import { RpcClient } from '@parking/messaging-nest';
import type { FastifyReply } from 'fastify';
import { RequirePermission, RequirePlatformAdmin } from '../auth/access-requirements';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { OptionalIdempotencyKey } from '../http-params/idempotency-key';
import { NoQueryParams } from '../http-params/no-query-params';
import { UuidParam, uuidParamNamed } from '../http-params/uuid-param';
import { ApiAuthenticated, type RouteProblem } from '../openapi/api-docs.decorators';
import { idempotentReply } from './idempotent-reply';
import { LegacyCheckAvailabilityBody, LegacyCreateReservationBody, LegacyListReservationsQuery } from './legacy-reservation-bodies';
import { createReservationRequestOf, listReservationsRequestOf, spaceAvailabilityRequestOf } from './legacy-reservation-requests';
import {
  ApiIdempotencyKeyHeader,
  ApiIdempotentReservation,
  BOOKING_LIMIT,
  BOOKING_PERMISSIONS,
  KEY_IN_FLIGHT,
  KEY_MALFORMED,
  KEY_REUSED,
  OVERLAP,
  READING_PERMISSIONS,
  RESERVATION_ID_PARAM,
  RESERVATION_NOT_FOUND,
  RULE_VIOLATED,
  SPACE_NOT_FOUND,
  STATE_CONFLICT,
} from './reservation-docs';

/** The opening of each alias's description: which v1 route it stands for. */
const aliasOf = (route: string): string => `Deprecated alias of ${route}, kept for clients of the previous platform; it answers in the v1 shape`;

const SPACE_ID_PARAM = { name: 'space_id', format: 'uuid', example: '5b1e7c2a-3d4f-4a6b-8c9d-0e1f2a3b4c5d', description: 'The space' } as const;

const LEGACY_KEY_MISSING: RouteProblem = {
  code: 'IDEMPOTENCY_KEY_MISSING',
  when: 'Neither request_id nor an Idempotency-Key header',
  detail:
    'Send an Idempotency-Key header (or request_id in the body): a fresh value, such as a UUID, for each new request, and the same value on its retries, so that a retry never books twice.',
  instance: '/api/v6/reservations',
};
const KEYS_DIFFER: RouteProblem = {
  code: 'VALIDATION_FAILED',
  when: 'request_id and the Idempotency-Key header differ',
  detail: 'The request has 1 invalid field: request_id.',
  instance: '/api/v6/reservations',
  extras: { errors: [{ field: 'request_id', message: 'request_id and the Idempotency-Key header differ; send one of them, or the same value in both' }] },
};

/**
 * The previous platform's reservation routes, kept for its clients: its bodies and query in
 * snake_case, answered as /api/v1/reservations answers.
 */
@ApiTags('reservations')
@Controller('api/v6/reservations')
export class LegacyReservationsController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @RequirePermission('reservations:write', 'reservations:own')
  @Post()
  @ApiOperation({
    summary: 'Alias of POST /api/v1/reservations for one space, taking {space_id, start_time, end_time, user_email, request_id}',
    description:
      `${aliasOf('POST /api/v1/reservations')}; same rules and errors. Needs ${BOOKING_PERMISSIONS}. ` +
      '`request_id` is the Idempotency-Key: give it or the header; given both, they must be equal (400 otherwise), so a retry never runs under another key. ' +
      'Neither is 400 IDEMPOTENCY_KEY_MISSING. A retry answers the first booking again, with `Idempotent-Replayed: true`.',
    deprecated: true,
  })
  @ApiIdempotencyKeyHeader({ required: false, alternative: 'Optional here: `request_id` in the body stands for it; given both, they must be equal.' })
  @ApiIdempotentReservation(201)
  @ApiAuthenticated(LEGACY_KEY_MISSING, KEY_MALFORMED, KEYS_DIFFER, KEY_IN_FLIGHT, KEY_REUSED, BOOKING_LIMIT, SPACE_NOT_FOUND, OVERLAP, RULE_VIOLATED)
  async create(
    @CurrentPrincipal() principal: Principal,
    @OptionalIdempotencyKey() header: string | undefined,
    @Body() body: LegacyCreateReservationBody,
    @Query() _query: NoQueryParams,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ReservationView> {
    return idempotentReply(reply, await this.rpc.call(RESERVATIONS_RPC.create, createReservationRequestOf(body, header), { principal }));
  }

  @RequirePermission('reservations:read', 'reservations:own')
  @Get()
  @ApiOperation({
    summary: 'Alias of GET /api/v1/reservations, with the filters in snake_case (site_id, zone_id, space_id, state, from, to, vehicle_plate)',
    description: `${aliasOf('GET /api/v1/reservations')}. Needs ${READING_PERMISSIONS}. Keyset-paginated: pass \`nextCursor\` back as \`cursor\`; \`limit\` 1 to ${RESERVATION_PAGE_MAX} (default 50).`,
    deprecated: true,
  })
  @ApiOkResponse({ type: ReservationPage })
  @ApiAuthenticated()
  list(@CurrentPrincipal() principal: Principal, @Query() query: LegacyListReservationsQuery): Promise<ReservationPage> {
    return this.rpc.call(RESERVATIONS_RPC.list, listReservationsRequestOf(query), { principal });
  }

  @RequirePlatformAdmin()
  @Post('expire-old')
  @HttpCode(200)
  @ApiOperation({
    summary: "Expire every tenant's bookings that are past their end and never checked in",
    description:
      'Platform administrators only. The reservations service expires such bookings on its own; this runs the sweep now and answers how many it expired. ' +
      'Sites with a no-show grace settle most of them as no_show before; what is left ends as expired, without a charge.',
    deprecated: true,
  })
  @ApiOkResponse({ type: ExpireOldAnswer })
  @ApiAuthenticated()
  expireOld(@CurrentPrincipal() principal: Principal, @Query() _query: NoQueryParams): Promise<ExpireOldAnswer> {
    return this.rpc.call(RESERVATIONS_RPC.expireOld, {}, { principal });
  }

  @RequirePermission('reservations:read', 'reservations:own')
  @Get(':id')
  @ApiOperation({ summary: 'Alias of GET /api/v1/reservations/{id}', description: `${aliasOf('GET /api/v1/reservations/{id}')}; same errors. Needs ${READING_PERMISSIONS}.`, deprecated: true })
  @ApiParam(RESERVATION_ID_PARAM)
  @ApiOkResponse({ type: ReservationView })
  @ApiAuthenticated(RESERVATION_NOT_FOUND)
  get(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) reservationId: string, @Query() _query: NoQueryParams): Promise<ReservationView> {
    return this.rpc.call(RESERVATIONS_RPC.get, { reservationId }, { principal });
  }

  @RequirePermission('reservations:write', 'reservations:own')
  @Put(':id/cancel')
  @ApiOperation({
    summary: 'Alias of POST /api/v1/reservations/{id}/cancel (PUT here)',
    description: `${aliasOf('POST /api/v1/reservations/{id}/cancel')}; same optional body {reason, version} and errors. Needs ${BOOKING_PERMISSIONS}.`,
    deprecated: true,
  })
  @ApiParam(RESERVATION_ID_PARAM)
  @ApiOkResponse({ type: ReservationView })
  @ApiAuthenticated(RESERVATION_NOT_FOUND, STATE_CONFLICT('cancelled', 'confirmed'))
  cancel(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) reservationId: string, @Body() body: CancelReservationBody, @Query() _query: NoQueryParams): Promise<ReservationView> {
    return this.rpc.call(RESERVATIONS_RPC.cancel, { ...body, reservationId }, { principal });
  }

  @RequirePermission('reservations:read', 'reservations:own')
  @Post(':space_id/check-availability')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Whether a space is free to book for a window {start_time, end_time}, and which booked windows are in the way',
    description:
      `Needs \`reservations:read\` or \`reservations:own\`. \`conflicts\` names the overlapping booked windows, never whose they are; a space in maintenance is not available, with no conflicts. ` +
      'For many spaces at once, see GET /api/v1/availability.',
    deprecated: true,
  })
  @ApiParam(SPACE_ID_PARAM)
  @ApiOkResponse({ type: SpaceAvailabilityView })
  @ApiAuthenticated(SPACE_NOT_FOUND)
  checkAvailability(
    @CurrentPrincipal() principal: Principal,
    @Param('space_id', uuidParamNamed('space_id')) spaceId: string,
    @Body() body: LegacyCheckAvailabilityBody,
    @Query() _query: NoQueryParams,
  ): Promise<SpaceAvailabilityView> {
    return this.rpc.call(RESERVATIONS_RPC.spaceAvailability, spaceAvailabilityRequestOf(spaceId, body), { principal });
  }
}
