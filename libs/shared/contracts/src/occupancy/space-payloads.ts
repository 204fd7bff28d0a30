import { ApiProperty } from '@nestjs/swagger';
import { DevEuiField, UUID_EXAMPLE, UuidField } from '../fields/identifiers';
import { PageOf } from '../fields/paging';
import {
  ExpectedVersion,
  GeoPoint,
  MaintenanceReasonField,
  NullableLocation,
  OccupancyPageQuery,
  OneOf,
  PriceZoneField,
  SITE_CATEGORIES,
  SPACE_TYPES,
  SpaceCodeField,
  SpaceNameField,
  SpaceTagFilter,
  SpaceTagsField,
  type SiteCategory,
  type SpaceType,
} from './occupancy-fields';
import { SPACE_STATES, SpaceReading, type SpaceState } from './space-states';

/** Spaces, their sensors and maintenance overrides as occupancy takes and answers them (OCCUPANCY_RPC). */

const SITE_EXAMPLE = '0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d10';

// ---------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------

export class SpaceRef {
  @UuidField() spaceId!: string;
}

/** The fields of a space other than its site and code, the same on create and change. */
export class SpaceFieldsBody {
  @SpaceNameField() name?: string | null;
  /** A zone of the space's site; null: directly in the site. */
  @UuidField({ presence: 'nullable', doc: { description: "A zone of the space's site; null: directly in the site" } }) zoneId?: string | null;
  @NullableLocation() location?: GeoPoint | null;
  /** Default: the site's category. */
  @OneOf(SITE_CATEGORIES, { presence: 'optional', doc: { example: 'off_street', description: "Default: the site's category" } }) category?: SiteCategory;
  @OneOf(SPACE_TYPES, { presence: 'optional', doc: { default: 'standard', example: 'ev' } }) type?: SpaceType;
  @SpaceTagsField() tags?: string[];
  @PriceZoneField() priceZone?: string | null;
}

/** A new space's fields other than its site. */
export class SpaceInput extends SpaceFieldsBody {
  /** Unique within the site. */
  @SpaceCodeField('required') code!: string;
}

/** 403 LIMIT_EXCEEDED (limit `spaces`); 409 CONFLICT when the code is taken in the site. */
export class CreateSpaceRequest extends SpaceInput {
  @UuidField({ doc: { example: SITE_EXAMPLE } }) siteId!: string;
}

/** Moving a space to another zone moves its count with it; the site is fixed. */
export class UpdateSpaceBody extends SpaceFieldsBody {
  @SpaceCodeField('optional') code?: string;
  @ExpectedVersion() version?: number;
}
export class UpdateSpaceRequest extends UpdateSpaceBody {
  @UuidField() spaceId!: string;
}

export class ListSpacesRequest extends OccupancyPageQuery {
  @UuidField({ presence: 'optional', doc: { example: SITE_EXAMPLE } }) siteId?: string;
  @UuidField({ presence: 'optional', doc: { description: 'Spaces in this zone or in zones nested in it' } }) zoneId?: string;
  @OneOf(SPACE_STATES, { presence: 'optional', doc: { example: 'free' } }) state?: SpaceState;
  @OneOf(SPACE_TYPES, { presence: 'optional', doc: { example: 'ev' } }) type?: SpaceType;
  /** Spaces carrying this tag. */
  @SpaceTagFilter() tag?: string;
}
/** The filters of a space list, as the use case takes them. */
export type SpaceFilters = Pick<ListSpacesRequest, 'siteId' | 'zoneId' | 'state' | 'type' | 'tag'>;

export class AssignSensorBody {
  @DevEuiField({ doc: { example: '70-B3-D5-47-50-10-0A-1B', description: 'A sensor registered in the device registry: 16 hex digits, any case, optionally separated by "-" or ":"' } })
  devEui!: string;
}
/**
 * The device must be a registered sensor of the tenant (404 otherwise). 409 CONFLICT when it
 * lies under another space, or this space has another sensor (unassign that one first).
 * Assigning the sensor a space already has changes nothing.
 */
export class AssignSensorRequest extends AssignSensorBody {
  @UuidField() spaceId!: string;
}

/** Sticky until cleared: readings keep arriving and are kept, but the space shows `maintenance`. */
export class SetMaintenanceBody {
  @MaintenanceReasonField() reason?: string | null;
}
export class SetMaintenanceRequest extends SetMaintenanceBody {
  @UuidField() spaceId!: string;
}

// ---------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------

export class SpaceMaintenance {
  @ApiProperty({ type: 'string', nullable: true, example: 'Barrier repair until Friday' }) reason!: string | null;
}

/** The live state of a space, with what it rests on. */
export class SpaceStateView {
  @ApiProperty({ enum: SPACE_STATES, example: 'occupied', description: 'maintenance over a fresh reading; free with an active reservation shows reserved; a silent (or no) sensor shows unknown' })
  state!: SpaceState;
  /** What the sensor last said; null: no reading yet (or none since the sensor changed). */
  @ApiProperty({ type: 'boolean', nullable: true, example: true, description: 'What the sensor last said; null: no reading yet' }) sensorOccupied!: boolean | null;
  @ApiProperty({ example: false }) sensorSilent!: boolean;
  @ApiProperty({ type: SpaceMaintenance, nullable: true, description: "The operator's override; null: none" }) maintenance!: SpaceMaintenance | null;
  @ApiProperty({ example: false }) reservationActive!: boolean;
  @ApiProperty({ type: SpaceReading, nullable: true }) reading!: SpaceReading | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: '2026-12-02T09:41:12.004Z' }) lastReadingAt!: string | null;
  @ApiProperty({ format: 'date-time', example: '2026-12-02T09:41:12.031Z' }) changedAt!: string;
  /** Grows with every change of state; matches `version` of `occupancy.space.state_changed.v1`. */
  @ApiProperty({ example: 7, description: 'Grows with every change of state; matches `version` of occupancy.space.state_changed.v1' }) version!: number;
}

export class SpaceView {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) id!: string;
  @ApiProperty({ format: 'uuid', example: SITE_EXAMPLE }) siteId!: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, example: null }) zoneId!: string | null;
  @ApiProperty({ example: 'L2-017' }) code!: string;
  @ApiProperty({ type: 'string', nullable: true, example: 'Bay 17, level 2' }) name!: string | null;
  @ApiProperty({ type: GeoPoint, nullable: true }) location!: GeoPoint | null;
  @ApiProperty({ enum: SITE_CATEGORIES, example: 'off_street' }) category!: SiteCategory;
  @ApiProperty({ enum: SPACE_TYPES, example: 'standard' }) type!: SpaceType;
  @ApiProperty({ type: 'array', items: { type: 'string' }, example: ['covered'] }) tags!: string[];
  @ApiProperty({ type: 'string', nullable: true, example: 'A' }) priceZone!: string | null;
  /** The assigned sensor's devEUI, if any. */
  @ApiProperty({ type: 'string', nullable: true, example: '70b3d54750100a1b', description: "The assigned sensor's devEUI" }) sensorDevEui!: string | null;
  @ApiProperty({ example: 1, description: 'Grows by one with every change of the space (not of its state)' }) version!: number;
  @ApiProperty({ format: 'date-time', example: '2026-12-02T09:30:00Z' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-02T09:30:00Z' }) updatedAt!: string;
  @ApiProperty({ type: SpaceStateView }) state!: SpaceStateView;
}

export class SpacePage extends PageOf(SpaceView) {}
