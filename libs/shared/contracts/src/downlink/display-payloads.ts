import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsObject, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { Each, NullOrAbsentOr } from '../fields/compose';
import { DevEuiField, UUID_EXAMPLE, UuidField } from '../fields/identifiers';
import { PageOf, PageQueryOf } from '../fields/paging';
import { documented, TextField } from '../fields/text';
import { InstantField } from '../fields/time-range';
import { ExpectedVersion, OneOf } from '../occupancy/occupancy-fields';
import { ARROWS, BLINKS, type Arrow, type Blink, type Colour } from './display-wish';

/** Displays as the gateway takes them and the downlink service answers them (DOWNLINK_RPC). */

export const DISPLAY_TARGETS = ['space', 'zone', 'site'] as const;
/** A bay light shows its space; a count sign its zone's or site's free spaces. */
export type DisplayTarget = (typeof DISPLAY_TARGETS)[number];
export const DISPLAY_PAGE_MAX = 200;
export const OVERRIDE_REASON_MAX = 500;
/** An override lasts at most this long; a sign left on manual for longer is forgotten, not managed. */
export const OVERRIDE_MAX_DAYS = 31;
/** A count sign's text: what the reference count-display frame holds. */
export const COUNT_TEXT_MAX = 12;
export const COUNT_TEXT_PATTERN = /^[\x20-\x7e]*$/;
/** The longest window a statistics query covers. */
export const SIGNAGE_STATS_MAX_HOURS = 24 * 31;

const Channel = (name: string) =>
  Each(ApiProperty({ type: 'integer', minimum: 0, maximum: 255, example: name === 'green' ? 255 : 0 }), IsInt({ message: `$property must be an integer 0–255` }), Min(0), Max(255));

export class ColourInput implements Colour {
  @Channel('red') red!: number;
  @Channel('green') green!: number;
  @Channel('blue') blue!: number;
}

/** A nested colour: `{"red": 0, "green": 255, "blue": 0}`. */
export const ColourField = (description: string) =>
  Each(
    ApiProperty({ type: ColourInput, description }),
    IsObject({ message: '$property must be an object {"red": 0, "green": 255, "blue": 0}' }),
    ValidateNested(),
    Type(() => ColourInput),
  );

export const BlinkField = (presenceOf: 'required' | 'optional' = 'required') =>
  OneOf(BLINKS, { presence: presenceOf, doc: { example: 'steady', description: 'steady, slow (1 s on, 1 s off) or fast (0.3 s on, 0.3 s off)' } });

// ---------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------

class DisplayFields {
  @TextField({ max: 100, doc: { example: 'Bay L2-017 light' } }) name!: string;
  @OneOf(DISPLAY_TARGETS, { doc: { example: 'space', description: 'space: a bay light showing its state; zone or site: a count sign showing the free spaces' } }) target!: DisplayTarget;
  @UuidField({ doc: { description: 'The space, zone or site it shows' } }) targetId!: string;
  @OneOf(ARROWS, { presence: 'optional', doc: { example: 'left', description: 'The arrow a count sign shows beside its number (default none)' } }) arrow?: Arrow;
}

/** Binds a device registered with kind `display` to what it shows. */
export class BindDisplayBody extends DisplayFields {
  @DevEuiField({ doc: { description: 'A device registered with kind display and a display codec (kuando-busylight, count-display)' } }) devEui!: string;
}
export class BindDisplayRequest extends BindDisplayBody {}

/** Replaces the binding whole (its device stays). */
export class UpdateDisplayBody extends DisplayFields {
  @ExpectedVersion() version?: number;
}
export class UpdateDisplayRequest extends UpdateDisplayBody {
  @UuidField() displayId!: string;
}
export class DisplayRef {
  @UuidField() displayId!: string;
}
export class ListDisplaysRequest extends PageQueryOf(DISPLAY_PAGE_MAX) {
  @UuidField({ presence: 'optional', doc: { description: "One site's displays" } }) siteId?: string;
  @UuidField({ presence: 'optional', doc: { description: 'The displays over one space, zone or site' } }) targetId?: string;
  @OneOf(['true', 'false'], { presence: 'optional', doc: { example: 'true', description: 'Only displays marked faulty (true) or only healthy ones (false)' } }) faulty?: 'true' | 'false';
}

/**
 * What a sign shows while an override lasts. A bay light shows the colour as it blinks; a
 * count sign also shows `count` (none when absent) and `text`.
 */
export class OverrideBody {
  @ColourField('The colour to show') colour!: ColourInput;
  @BlinkField('optional') blink?: Blink;
  @Each(
    documented('nullable', { type: 'integer', minimum: 0, maximum: 9999, example: 0, description: 'A count sign\'s number; absent or null shows none' }),
    NullOrAbsentOr(IsInt(), Min(0), Max(9999)),
  )
  count?: number | null;
  @TextField({ presence: 'optional', min: 0, max: COUNT_TEXT_MAX, pattern: COUNT_TEXT_PATTERN, hint: 'must be printable ASCII', doc: { example: 'CLOSED', description: "A count sign's text (bay lights have none)" } }) text?: string;
  @InstantField({ example: '2026-12-24T18:00:00Z', description: `When the sign goes back to its policy: in the future, at most ${OVERRIDE_MAX_DAYS} days ahead` }) expiresAt!: string;
  @TextField({ max: OVERRIDE_REASON_MAX, doc: { example: 'Level closed for cleaning' } }) reason!: string;
}
export class SetOverrideRequest extends OverrideBody {
  @UuidField() displayId!: string;
}
/** Every display of a zone (its count signs and the bay lights of its spaces, nested zones included) or of a site. */
export class BulkOverrideRequest extends OverrideBody {
  @OneOf(['zone', 'site']) scope!: 'zone' | 'site';
  @UuidField() scopeId!: string;
}
export class BulkScopeRef {
  @OneOf(['zone', 'site']) scope!: 'zone' | 'site';
  @UuidField() scopeId!: string;
}

export class SignageStatsQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: SIGNAGE_STATS_MAX_HOURS, default: 24, example: 24, description: 'The last this many hours' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(SIGNAGE_STATS_MAX_HOURS)
  hours?: number;
}
export class DisplayStatsRequest extends SignageStatsQuery {
  @UuidField() displayId!: string;
}
export class ListCommandsRequest extends PageQueryOf(DISPLAY_PAGE_MAX) {
  @UuidField() displayId!: string;
}

// ---------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------

export class ColourView implements Colour {
  @ApiProperty({ example: 0 }) red!: number;
  @ApiProperty({ example: 255 }) green!: number;
  @ApiProperty({ example: 0 }) blue!: number;
}

/** What a display should show: a colour and blink (a bay light), plus a count and text (a count sign). */
export class WishView {
  @ApiProperty({ enum: ['light', 'count'], example: 'light' }) kind!: 'light' | 'count';
  @ApiProperty({ type: ColourView }) colour!: ColourView;
  @ApiProperty({ enum: BLINKS, example: 'steady' }) blink!: Blink;
  @ApiPropertyOptional({ type: 'integer', nullable: true, example: 12, description: 'Count signs: the number shown, null for none' }) count?: number | null;
  @ApiPropertyOptional({ example: '', description: 'Count signs: the text shown' }) text?: string;
  @ApiPropertyOptional({ enum: ARROWS, example: 'none', description: 'Count signs: the arrow shown' }) arrow?: Arrow;
}

export class OverrideView {
  @ApiProperty({ type: WishView }) wish!: WishView;
  @ApiProperty({ example: 'Level closed for cleaning' }) reason!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty({ type: 'string', nullable: true, example: 'user:5b1e7c2a-3d4f-4a6b-8c9d-0e1f2a3b4c5d', description: 'Who set it' }) setBy!: string | null;
}

export class DisplayShowsView {
  @ApiProperty({ example: 15 }) fPort!: number;
  @ApiProperty({ example: '0000ff0000', description: 'The frame, hex' }) frame!: string;
  @ApiProperty({ format: 'date-time' }) since!: string;
}

export class DisplayView {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) id!: string;
  @ApiProperty({ example: '70b3d54750100a1b' }) devEui!: string;
  @ApiProperty({ example: 'kuando-busylight', description: 'The display codec that frames its wishes (the device\'s codec)' }) codec!: string;
  @ApiProperty({ example: 'Bay L2-017 light' }) name!: string;
  @ApiProperty({ enum: DISPLAY_TARGETS, example: 'space' }) target!: DisplayTarget;
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) targetId!: string;
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) siteId!: string;
  @ApiProperty({ enum: ARROWS, example: 'none' }) arrow!: Arrow;
  @ApiProperty({ type: OverrideView, nullable: true, description: 'A manual override in force, or null' }) override!: OverrideView | null;
  @ApiProperty({ type: DisplayShowsView, nullable: true, description: 'The frame the sign is known to show (confirmed by its echo, an ack or a txack), or null' }) shows!: DisplayShowsView | null;
  @ApiProperty({ type: 'string', nullable: true, example: '0016c001f153a14c', description: 'The gateway that heard it best lately; frames go out through it' }) gatewayId!: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, description: 'Set when a frame went to the dead letters after its last retry; cleared by the next confirmed frame' }) faultyAt!: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: null }) faultyReason!: string | null;
  @ApiProperty({ example: 1 }) version!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}
export class DisplayPage extends PageOf(DisplayView) {}

export class BulkOverrideAnswer {
  @ApiProperty({ example: 14, description: 'Displays whose override was set or cleared' }) displays!: number;
}

export class CommandStepView {
  @ApiProperty({ example: 'sent', description: 'queued, coalesced, superseded, sent, failed, txack, ack, nack, echo, confirmed, dead' }) outcome!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, example: { queueItemId: 'f1c3…', gatewayId: '0016c001f153a14c' } }) detail!: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class CommandView {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) id!: string;
  @ApiProperty({ enum: ['override', 'state', 'refresh'], example: 'state' }) priority!: 'override' | 'state' | 'refresh';
  @ApiProperty({ type: WishView }) wish!: WishView;
  @ApiProperty({ example: 15 }) fPort!: number;
  @ApiProperty({ example: '0000ff0000', description: 'The frame, hex' }) frame!: string;
  @ApiProperty({ example: 61.7, description: 'Its time on air at the RX2 data rate, ms' }) airtimeMs!: number;
  @ApiProperty({ enum: ['pending', 'sent', 'confirmed', 'superseded', 'dead'], example: 'confirmed' }) state!: string;
  @ApiProperty({ example: 1 }) sends!: number;
  @ApiProperty({ type: 'string', nullable: true, description: "ChirpStack's queue item id of the last send" }) queueItemId!: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: '0016c001f153a14c' }) gatewayId!: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: null }) lastError!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: CommandStepView, isArray: true, description: 'Every step, oldest first' }) steps!: CommandStepView[];
}
export class CommandPage extends PageOf(CommandView) {}

export class CommandCounts {
  @ApiProperty({ example: 40, description: 'Commands queued' }) queued!: number;
  @ApiProperty({ example: 38, description: 'Sends to ChirpStack (retries included)' }) sent!: number;
  @ApiProperty({ example: 36 }) confirmed!: number;
  @ApiProperty({ example: 1, description: 'Sends ChirpStack or the gateway refused' }) failed!: number;
  @ApiProperty({ example: 0, description: 'Commands given up after their last retry' }) dead!: number;
  @ApiProperty({ example: 2280.5, description: 'Time on air of the sends, ms' }) airtimeMs!: number;
}

export class DisplayStatsView extends CommandCounts {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) displayId!: string;
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time' }) to!: string;
}

export class SubBandAirtime {
  @ApiProperty({ example: '869.4-869.65', description: 'The ETSI EN 300 220 sub-band, MHz' }) subBand!: string;
  @ApiProperty({ example: 10, description: "The sub-band's duty-cycle limit, percent" }) dutyCyclePercent!: number;
  @ApiProperty({ example: 288000, description: 'Airtime the budget allows per hour after the headroom, ms' }) budgetMsPerHour!: number;
  @ApiProperty({ example: 5123.4, description: 'Airtime the gateway spent on signage frames in the last hour (every tenant\'s), ms' }) usedMsLastHour!: number;
}

export class GatewaySignageView extends CommandCounts {
  @ApiProperty({ example: '0016c001f153a14c' }) gatewayId!: string;
  @ApiProperty({ example: 12, description: "This tenant's displays it serves" }) displays!: number;
  @ApiProperty({ type: SubBandAirtime, isArray: true }) airtime!: SubBandAirtime[];
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, description: 'It refused frames lately: nothing goes to it before then' }) slowUntil!: string | null;
}
export class GatewaySignagePage {
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time' }) to!: string;
  @ApiProperty({ type: GatewaySignageView, isArray: true, description: "Gateways that serve this tenant's displays or carried their frames in the window" }) items!: GatewaySignageView[];
}
