import { ApiProperty } from '@nestjs/swagger';
import { UUID_EXAMPLE, UuidField } from '../fields/identifiers';
import { PageOf } from '../fields/paging';
import { InstantField, RangeEndField } from '../fields/time-range';
import { ExpectedVersion, OneOf, SPACE_TYPES, type SpaceType } from '../occupancy/occupancy-fields';
import {
  DriverEmailField,
  ExternalRefField,
  IdempotencyKeyField,
  RESERVATION_STATES,
  RESERVATION_WINDOW_MAX_DAYS,
  ReasonField,
  ReservationPageQuery,
  SpaceOrZoneIdField,
  VehiclePlateField,
  WindowEndField,
  WindowStartField,
  type ReservationState,
} from './reservation-fields';

/** Reservations as the gateway takes them and the reservations service answers them (RESERVATIONS_RPC). */

const START = { example: '2026-12-24T10:00:00Z', description: 'Start of the window (inclusive), RFC 3339' };
const END = { example: '2026-12-24T12:00:00Z', description: `End of the window (exclusive), after the start and at most ${RESERVATION_WINDOW_MAX_DAYS} days later` };

// ---------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------

export class ReservationRef {
  @UuidField() reservationId!: string;
}

/** A booking of one space, or of any free space in a zone (with its nested zones). */
export class CreateReservationBody {
  @SpaceOrZoneIdField('The space to book; or give zoneId instead') spaceId?: string;
  @UuidField({ presence: 'optional', doc: { description: 'Book any free space in this zone (or its nested zones); or give spaceId instead' } }) zoneId?: string;
  /** A zone booking picks a space of this type (default: any). */
  @OneOf(SPACE_TYPES, { presence: 'optional', doc: { example: 'ev', description: 'A zone booking picks a space of this type; default any' } }) type?: SpaceType;
  @WindowStartField(START) startTime!: string;
  @WindowEndField('startTime', END) endTime!: string;
  @VehiclePlateField() vehiclePlate?: string | null;
  @DriverEmailField() userEmail?: string | null;
  @ExternalRefField() externalRef?: string | null;
  @UuidField({ presence: 'optional', doc: { description: 'A quote of GET /api/v1/quotes for the same space or zone and window; its price holds until it expires' } }) quoteId?: string;
}

/** The body with the caller's Idempotency-Key (a header in HTTP). */
export class CreateReservationRequest extends CreateReservationBody {
  @IdempotencyKeyField() idempotencyKey!: string;
}

export class ListReservationsRequest extends ReservationPageQuery {
  @UuidField({ presence: 'optional' }) siteId?: string;
  @UuidField({ presence: 'optional', doc: { description: 'Bookings of spaces in this zone or its nested zones' } }) zoneId?: string;
  @UuidField({ presence: 'optional' }) spaceId?: string;
  @OneOf(RESERVATION_STATES, { presence: 'optional', doc: { example: 'confirmed' } }) state?: ReservationState;
  @InstantField({ example: '2026-12-24T00:00:00Z', description: 'Bookings whose window ends after this instant' }) from?: string;
  @RangeEndField({}, { example: '2026-12-25T00:00:00Z', description: 'Bookings whose window starts before this instant' }) to?: string;
  @VehiclePlateField() vehiclePlate?: string;
}

export class CancelReservationBody {
  @ReasonField() reason?: string;
  @ExpectedVersion() version?: number;
}
export class CancelReservationRequest extends CancelReservationBody {
  @UuidField() reservationId!: string;
}

/** A later end, re-quoted for the extra time; 409 RESERVATION_OVERLAP when the space is booked then. */
export class ExtendReservationBody {
  /** Checked against the booking's current end by the service (the body does not hold it). */
  @WindowStartField({ example: '2026-12-24T13:00:00Z', description: 'The new end (exclusive), later than the current end' }) endTime!: string;
  @ExpectedVersion() version?: number;
}
export class ExtendReservationRequest extends ExtendReservationBody {
  @UuidField() reservationId!: string;
  @IdempotencyKeyField() idempotencyKey!: string;
}

/** Manual check-in, where the sensor cannot tell (or the operator knows better). */
export class CheckInReservationBody {
  @ExpectedVersion() version?: number;
}
export class CheckInReservationRequest extends CheckInReservationBody {
  @UuidField() reservationId!: string;
}

// ---------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------

export class Money {
  @ApiProperty({ example: 450, description: 'In minor units of the currency (cents)' }) amount!: number;
  @ApiProperty({ example: 'EUR', description: 'ISO 4217' }) currency!: string;
}

export class CheckInWindow {
  @ApiProperty({ format: 'date-time', example: '2026-12-24T09:45:00Z' }) opensAt!: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-24T10:15:00Z', description: 'Not checked in by then: the booking ends as no_show' }) closesAt!: string;
}

export class ReservationView {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) id!: string;
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) siteId!: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, example: null, description: 'The zone the space lies in' }) zoneId!: string | null;
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) spaceId!: string;
  @ApiProperty({ example: 'L2-017' }) spaceCode!: string;
  @ApiProperty({ format: 'date-time', example: START.example }) startTime!: string;
  @ApiProperty({ format: 'date-time', example: END.example }) endTime!: string;
  @ApiProperty({ enum: RESERVATION_STATES, example: 'confirmed' }) state!: ReservationState;
  @ApiProperty({ type: 'string', nullable: true, example: 'B-PK 2041' }) vehiclePlate!: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: 'driver@example.com' }) userEmail!: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: 'order-88121' }) externalRef!: string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, example: null }) quoteId!: string | null;
  @ApiProperty({ type: Money, nullable: true, description: 'The booked price; null where the site has no tariff' }) price!: Money | null;
  @ApiProperty({ type: Money, nullable: true, description: 'Charged so far: the price once used or forfeited, a cancellation fee, an overstay' }) charged!: Money | null;
  @ApiProperty({ type: CheckInWindow }) checkInWindow!: CheckInWindow;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: null, description: 'When the space became held (the check-in window opened)' }) startedAt!: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: null }) checkedInAt!: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: null, description: 'When the booking ran past its end with the car still there' }) overstayedAt!: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: null, description: 'When the sensor saw the car leave' }) leftAt!: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: null }) endedAt!: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: null }) cancelReason!: string | null;
  @ApiProperty({ example: 1, description: 'Grows with every change; send it back to cancel or extend only what you read' }) version!: number;
  @ApiProperty({ format: 'date-time', example: '2026-12-20T08:00:00Z' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-20T08:00:00Z' }) updatedAt!: string;
}

export class ReservationPage extends PageOf(ReservationView) {}

/** A command answered under an Idempotency-Key: `replayed` when it is the stored first answer. */
export class IdempotentReservationAnswer {
  @ApiProperty({ type: ReservationView }) reservation!: ReservationView;
  @ApiProperty({ example: false }) replayed!: boolean;
}

/** What a 409 RESERVATION_OVERLAP names: the taken window, never whose it is. */
export class ReservationConflict {
  @ApiProperty({ format: 'date-time', example: '2026-12-24T11:00:00Z' }) startTime!: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-24T13:00:00Z' }) endTime!: string;
}
