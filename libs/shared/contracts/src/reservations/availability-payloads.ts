import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { Each } from '../fields/compose';
import { documented } from '../fields/text';
import { UUID_EXAMPLE, UuidField } from '../fields/identifiers';
import { InstantField, RangeEndField } from '../fields/time-range';
import { OneOf, SPACE_TYPES, type SpaceType } from '../occupancy/occupancy-fields';
import { OneIdOfField, SpaceOrZoneIdField, WindowEndField, WindowStartField } from './reservation-fields';
import { Money, ReservationConflict } from './reservation-payloads';

/** Availability searches, quotes, and the statistics and revenue of bookings. */

const FROM = { example: '2026-12-24T10:00:00Z', description: 'Start of the window (inclusive), RFC 3339' };
const TO = { example: '2026-12-24T12:00:00Z', description: 'End of the window (exclusive)' };

export const AVAILABILITY_SPACES_MAX = 500;

export class AvailabilityRequest {
  @OneIdOfField('zoneId', { description: 'Search this site; or give zoneId', meaning: 'a whole site', otherMeaning: 'a zone with its nested zones' }) siteId?: string;
  @UuidField({ presence: 'optional', doc: { description: 'Search this zone and its nested zones; or give siteId' } }) zoneId?: string;
  @WindowStartField(FROM) from!: string;
  @WindowEndField('from', TO) to!: string;
  @OneOf(SPACE_TYPES, { presence: 'optional', doc: { example: 'ev' } }) type?: SpaceType;
}

export class AvailableSpace {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) spaceId!: string;
  @ApiProperty({ example: 'L2-017' }) code!: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, example: null }) zoneId!: string | null;
  @ApiProperty({ enum: SPACE_TYPES, example: 'standard' }) type!: SpaceType;
}

export class AvailabilityCount {
  @ApiProperty({ enum: SPACE_TYPES, example: 'standard' }) type!: SpaceType;
  @ApiProperty({ example: 12 }) total!: number;
  @ApiProperty({ example: 7 }) available!: number;
}

/**
 * Spaces bookable for the whole window: not booked in it, not in maintenance, and, for a
 * window that starts now, not occupied now.
 */
export class AvailabilityView {
  @ApiProperty({ format: 'date-time', example: FROM.example }) from!: string;
  @ApiProperty({ format: 'date-time', example: TO.example }) to!: string;
  @ApiProperty({ example: 40, description: 'Spaces searched (of the type asked, if any)' }) total!: number;
  @ApiProperty({ example: 27 }) available!: number;
  @ApiProperty({ type: AvailabilityCount, isArray: true }) byType!: AvailabilityCount[];
  @ApiProperty({ type: AvailableSpace, isArray: true, description: `The available spaces by code, at most ${AVAILABILITY_SPACES_MAX}` }) spaces!: AvailableSpace[];
}

export class QuoteRequest {
  @SpaceOrZoneIdField('Price this space; or give zoneId') spaceId?: string;
  @UuidField({ presence: 'optional', doc: { description: 'Price a booking of any space in this zone; or give spaceId' } }) zoneId?: string;
  @WindowStartField(FROM) from!: string;
  @WindowEndField('from', TO) to!: string;
}

export class QuoteLine {
  @ApiProperty({ example: 'Mon–Sat day rate, first hour' }) label!: string;
  @ApiProperty({ format: 'date-time', example: FROM.example }) from!: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-24T11:00:00Z' }) to!: string;
  @ApiProperty({ example: 60 }) minutes!: number;
  @ApiProperty({ example: 300 }) amount!: number;
}

/** APDS's Quote: the price of a window at the rate that applies, held until `expiresAt`. */
export class QuoteView {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) id!: string;
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) siteId!: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, example: UUID_EXAMPLE }) spaceId!: string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, example: null }) zoneId!: string | null;
  @ApiProperty({ format: 'date-time', example: FROM.example }) from!: string;
  @ApiProperty({ format: 'date-time', example: TO.example }) to!: string;
  @ApiProperty({ type: Money, description: 'What a booking of the window costs, tax and reservation fee included' }) total!: Money;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The breakdown: lines per band and tier, caps, minimum charge, fee and tax' }) breakdown!: Record<string, unknown>;
  @ApiProperty({ format: 'date-time', example: '2026-12-20T08:15:00Z', description: 'A booking naming the quote after this pays the price of its own time' }) expiresAt!: string;
}

export class ReservationStatsRequest {
  @UuidField({ presence: 'optional' }) siteId?: string;
  @InstantField({ example: '2026-12-01T00:00:00Z', description: 'Bookings whose window starts at or after this instant (default: 30 days before `to`)' }) from?: string;
  @RangeEndField({ maxDays: 366 }, { example: '2026-12-31T00:00:00Z', description: 'Bookings whose window starts before this instant (default now)' }) to?: string;
}

export class ReservationStatsView {
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time' }) to!: string;
  @ApiProperty({ example: 120 }) total!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { confirmed: 10, checked_in: 2, completed: 90, cancelled: 10, no_show: 8, expired: 0 } })
  byState!: Record<string, number>;
  @ApiProperty({ type: 'number', nullable: true, example: 0.08, description: 'no_show ÷ (completed + no_show + checked_in); null without any' }) noShowRate!: number | null;
  @ApiProperty({ type: 'number', nullable: true, example: 1440.5, description: 'Average minutes from booking to start; null without any' }) averageLeadMinutes!: number | null;
}

export const REVENUE_GROUPS = ['day', 'zone', 'space'] as const;
export type RevenueGroup = (typeof REVENUE_GROUPS)[number];
const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;
export const REVENUE_RANGE_MAX_DAYS = 366;

const LocalDateField = (doc: { example: string; description: string }) =>
  Each(documented('required', { type: 'string', format: 'date', ...doc }), Matches(LOCAL_DATE, { message: '$property must be a date YYYY-MM-DD (a local day of the site)' }));

export class RevenueRequest {
  @UuidField() siteId!: string;
  @LocalDateField({ example: '2026-12-01', description: "First local day of the site (inclusive)" }) from!: string;
  @LocalDateField({ example: '2026-12-31', description: `Last local day (inclusive), at most ${REVENUE_RANGE_MAX_DAYS} days after from` }) to!: string;
  @Each(documented('optional', { enum: [...REVENUE_GROUPS], default: 'day' }), IsOptional(), IsIn(REVENUE_GROUPS)) groupBy?: RevenueGroup;
}

export class RevenueRow {
  @ApiProperty({ example: '2026-12-24', description: 'The local day, zone id (or "none") or space id' }) key!: string;
  @ApiProperty({ example: 'EUR' }) currency!: string;
  @ApiProperty({ example: 12450, description: 'Minor units' }) amount!: number;
  @ApiProperty({ example: 31 }) charges!: number;
}

export class RevenueView {
  @ApiProperty({ format: 'uuid' }) siteId!: string;
  @ApiProperty({ example: '2026-12-01' }) from!: string;
  @ApiProperty({ example: '2026-12-31' }) to!: string;
  @ApiProperty({ enum: REVENUE_GROUPS }) groupBy!: RevenueGroup;
  @ApiProperty({ type: RevenueRow, isArray: true }) rows!: RevenueRow[];
  @ApiProperty({ type: Money, isArray: true, description: 'Per currency' }) totals!: Money[];
}

/** v6 `POST /{space_id}/check-availability`. */
export class SpaceAvailabilityRequest {
  @UuidField() spaceId!: string;
  @WindowStartField(FROM) from!: string;
  @WindowEndField('from', TO) to!: string;
}
export class SpaceAvailabilityView {
  @ApiProperty({ example: false }) available!: boolean;
  @ApiProperty({ type: ReservationConflict, isArray: true, description: 'The booked windows that overlap, without whose they are' }) conflicts!: ReservationConflict[];
}

export class ExpireOldAnswer {
  @ApiProperty({ example: 3, description: 'Bookings past their end, never checked in, now expired' }) expired!: number;
}
