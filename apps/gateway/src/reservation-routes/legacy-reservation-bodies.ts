import {
  DriverEmailField,
  IDEMPOTENCY_KEY_MAX,
  IDEMPOTENCY_KEY_PATTERN,
  InstantField,
  OneOf,
  RangeEndField,
  RESERVATION_STATES,
  ReservationPageQuery,
  TextField,
  UuidField,
  VehiclePlateField,
  WindowEndField,
  WindowStartField,
  type ReservationState,
} from '@parking/contracts';

// The previous platform's reservation bodies and query (/api/v6/reservations), in its
// snake_case, checked by the same rules as the v1 requests they stand for.

const START = { example: '2026-12-24T10:00:00Z', description: 'Start of the window (inclusive), RFC 3339' };
const END = { example: '2026-12-24T12:00:00Z', description: 'End of the window (exclusive), after start_time and at most 31 days later' };

/** POST /api/v6/reservations: a booking of one space, with its Idempotency-Key as `request_id`. */
export class LegacyCreateReservationBody {
  @UuidField({ doc: { description: 'The space to book' } }) space_id!: string;
  @WindowStartField(START) start_time!: string;
  @WindowEndField('start_time', END) end_time!: string;
  @DriverEmailField() user_email?: string | null;

  @TextField({
    presence: 'optional',
    max: IDEMPOTENCY_KEY_MAX,
    trim: false,
    pattern: IDEMPOTENCY_KEY_PATTERN,
    hint: `must be 1 to ${IDEMPOTENCY_KEY_MAX} printable ASCII characters without spaces, e.g. a UUID`,
    doc: {
      example: '9f6d0e0e-56b1-4c62-9a5b-0d0e7a0d4c1e',
      description: 'The Idempotency-Key of the booking: the same value on a retry answers the first booking. Give this or the Idempotency-Key header (or both, equal)',
    },
  })
  request_id?: string;
}

/** GET /api/v6/reservations: the filters of GET /api/v1/reservations, snake_case. */
export class LegacyListReservationsQuery extends ReservationPageQuery {
  @UuidField({ presence: 'optional' }) site_id?: string;
  @UuidField({ presence: 'optional', doc: { description: 'Bookings of spaces in this zone or its nested zones' } }) zone_id?: string;
  @UuidField({ presence: 'optional' }) space_id?: string;
  @OneOf(RESERVATION_STATES, { presence: 'optional', doc: { example: 'confirmed' }, message: `state must be one of ${RESERVATION_STATES.join(', ')}` }) state?: ReservationState;
  @InstantField({ example: '2026-12-24T00:00:00Z', description: 'Bookings whose window ends after this instant' }) from?: string;
  @RangeEndField({}, { example: '2026-12-25T00:00:00Z', description: 'Bookings whose window starts before this instant' }) to?: string;
  @VehiclePlateField() vehicle_plate?: string;
}

/** POST /api/v6/reservations/{space_id}/check-availability: the window to check. */
export class LegacyCheckAvailabilityBody {
  @WindowStartField(START) start_time!: string;
  @WindowEndField('start_time', END) end_time!: string;
}
