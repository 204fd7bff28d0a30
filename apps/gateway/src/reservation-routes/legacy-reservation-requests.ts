import type { CreateReservationRequest, ListReservationsRequest, SpaceAvailabilityRequest } from '@parking/contracts';
import { ValidationFailedError } from '@parking/problem-details';
import { IDEMPOTENCY_KEY_HEADER_NAME, idempotencyKeyMissing } from '../http-params/idempotency-key';
import type { LegacyCheckAvailabilityBody, LegacyCreateReservationBody, LegacyListReservationsQuery } from './legacy-reservation-bodies';

/**
 * The key of a v6 booking: `request_id` or the Idempotency-Key header. Given both, they must
 * agree: neither silently wins, since a client sending both retries with at least one of them
 * and a key that changed between retries would book twice.
 */
export function legacyIdempotencyKey(requestId: string | undefined, header: string | undefined): string {
  if (requestId !== undefined && header !== undefined && requestId !== header) {
    throw new ValidationFailedError([{ field: 'request_id', message: `request_id and the ${IDEMPOTENCY_KEY_HEADER_NAME} header differ; send one of them, or the same value in both` }]);
  }
  const key = requestId ?? header;
  if (key === undefined) throw idempotencyKeyMissing('request_id in the body');
  return key;
}

export function createReservationRequestOf(body: LegacyCreateReservationBody, header: string | undefined): CreateReservationRequest {
  return {
    spaceId: body.space_id,
    startTime: body.start_time,
    endTime: body.end_time,
    ...(body.user_email !== undefined ? { userEmail: body.user_email } : {}),
    idempotencyKey: legacyIdempotencyKey(body.request_id, header),
  };
}

export function listReservationsRequestOf(query: LegacyListReservationsQuery): ListReservationsRequest {
  const request: ListReservationsRequest = {
    cursor: query.cursor,
    limit: query.limit,
    siteId: query.site_id,
    zoneId: query.zone_id,
    spaceId: query.space_id,
    state: query.state,
    from: query.from,
    to: query.to,
    vehiclePlate: query.vehicle_plate,
  };
  return Object.fromEntries(Object.entries(request).filter(([, value]) => value !== undefined)) as ListReservationsRequest;
}

export function spaceAvailabilityRequestOf(spaceId: string, body: LegacyCheckAvailabilityBody): SpaceAvailabilityRequest {
  return { spaceId, from: body.start_time, to: body.end_time };
}
