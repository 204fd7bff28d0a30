import { ApiProperty } from '@nestjs/swagger';
import { UUID_EXAMPLE, UuidField } from '../fields/identifiers';
import { PageOf } from '../fields/paging';
import { TextField } from '../fields/text';
import {
  ExpectedVersion,
  GeoPoint,
  HeartbeatTimeoutField,
  NullableLocation,
  OccupancyPageQuery,
  OneOf,
  OPENING_HOURS_DOC,
  OpeningHoursField,
  SITE_CATEGORIES,
  TimeZoneField,
  ZONE_KINDS,
  type OpeningHours,
  type SiteCategory,
  type ZoneKind,
} from './occupancy-fields';
import { AvailabilityCounts } from './space-states';

/** Sites and their zones as occupancy takes and answers them (OCCUPANCY_RPC). */

const SiteName = (presence: 'required' | 'optional', example: string) => TextField({ presence, max: 200, doc: { example } });
const Address = () => TextField({ presence: 'nullable', max: 500, doc: { example: 'Alexanderplatz 1, 10178 Berlin' } });
const Category = (presence: 'required' | 'optional') => OneOf(SITE_CATEGORIES, { presence, doc: { example: 'off_street' } });
const ZoneName = (presence: 'required' | 'optional', example: string) => TextField({ presence, max: 200, doc: { example } });

// ---------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------

export class SiteRef {
  @UuidField() siteId!: string;
}
export class ZoneRef {
  @UuidField() zoneId!: string;
}

/** The fields of a new site, as creation and each site row of an import take them. */
export class SiteInput {
  @SiteName('required', 'Alexa car park') name!: string;
  @Category('required') category!: SiteCategory;
  @Address() address?: string | null;
  @NullableLocation() location?: GeoPoint | null;
  /** Default `UTC`. */
  @TimeZoneField() timeZone?: string;
  @OpeningHoursField() openingHours?: OpeningHours | null;
  @HeartbeatTimeoutField() heartbeatTimeoutSeconds?: number | null;
}

/** 403 LIMIT_EXCEEDED (limit `sites`) when the plan's sites are used up. */
export class CreateSiteRequest extends SiteInput {}

/** Only the fields given change; `null` clears an optional one; `version` (optional) must match. */
export class UpdateSiteBody {
  @SiteName('optional', 'Alexa car park (north)') name?: string;
  @Category('optional') category?: SiteCategory;
  @Address() address?: string | null;
  @NullableLocation() location?: GeoPoint | null;
  @TimeZoneField() timeZone?: string;
  @OpeningHoursField() openingHours?: OpeningHours | null;
  @HeartbeatTimeoutField() heartbeatTimeoutSeconds?: number | null;
  @ExpectedVersion() version?: number;
}
export class UpdateSiteRequest extends UpdateSiteBody {
  @UuidField() siteId!: string;
}

export class ListSitesRequest extends OccupancyPageQuery {
  @Category('optional') category?: SiteCategory;
}

/** A zone nests in another zone of its site (at most ZONE_MAX_DEPTH deep); its parent is fixed once created. */
export class CreateZoneBody {
  @ZoneName('required', 'Level 2') name!: string;
  @OneOf(ZONE_KINDS, { presence: 'optional', doc: { default: 'zone', example: 'level' } }) kind?: ZoneKind;
  @UuidField({ presence: 'nullable', doc: { example: null, description: 'A zone of the same site to nest in (at most 8 deep); fixed once created' } })
  parentZoneId?: string | null;
}
export class CreateZoneRequest extends CreateZoneBody {
  @UuidField() siteId!: string;
}

/** A zone keeps its site and parent: to move spaces, change each space's zoneId. */
export class UpdateZoneBody {
  @ZoneName('optional', 'Level 2 (short stay)') name?: string;
  @OneOf(ZONE_KINDS, { presence: 'optional', doc: { example: 'level' } }) kind?: ZoneKind;
  @ExpectedVersion() version?: number;
}
export class UpdateZoneRequest extends UpdateZoneBody {
  @UuidField() zoneId!: string;
}

export class ListZonesQuery extends OccupancyPageQuery {
  @UuidField({ presence: 'optional', doc: { description: 'Only the zones nested directly in this one' } }) parentZoneId?: string;
  @OneOf(ZONE_KINDS, { presence: 'optional', doc: { example: 'level' } }) kind?: ZoneKind;
}
export class ListZonesRequest extends ListZonesQuery {
  @UuidField() siteId!: string;
}

// ---------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------

export class SiteView {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) id!: string;
  @ApiProperty({ example: 'Alexa car park' }) name!: string;
  @ApiProperty({ enum: SITE_CATEGORIES, example: 'off_street' }) category!: SiteCategory;
  @ApiProperty({ type: 'string', nullable: true, example: 'Alexanderplatz 1, 10178 Berlin' }) address!: string | null;
  @ApiProperty({ type: GeoPoint, nullable: true }) location!: GeoPoint | null;
  @ApiProperty({ example: 'Europe/Berlin' }) timeZone!: string;
  @ApiProperty(OPENING_HOURS_DOC) openingHours!: OpeningHours | null;
  @ApiProperty({ type: 'integer', nullable: true, example: null, description: "null: 2 × the sensor's heartbeat" }) heartbeatTimeoutSeconds!: number | null;
  @ApiProperty({ example: 1, description: 'Grows by one with every change' }) version!: number;
  @ApiProperty({ format: 'date-time', example: '2026-12-02T09:30:00Z' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-02T09:30:00Z' }) updatedAt!: string;
}

export class SitePage extends PageOf(SiteView) {}

export class ZoneView {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) id!: string;
  @ApiProperty({ format: 'uuid', example: '0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d10' }) siteId!: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, example: null }) parentZoneId!: string | null;
  @ApiProperty({ example: 'Level 2' }) name!: string;
  @ApiProperty({ enum: ZONE_KINDS, example: 'level' }) kind!: ZoneKind;
  @ApiProperty({ example: 1, description: 'Grows by one with every change' }) version!: number;
  @ApiProperty({ format: 'date-time', example: '2026-12-02T09:30:00Z' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-02T09:30:00Z' }) updatedAt!: string;
}

export class ZonePage extends PageOf(ZoneView) {}

export class ZoneAvailabilityView {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) zoneId!: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, example: null }) parentZoneId!: string | null;
  @ApiProperty({ example: 'Level 2' }) name!: string;
  @ApiProperty({ enum: ZONE_KINDS, example: 'level' }) kind!: ZoneKind;
  @ApiProperty({ type: AvailabilityCounts, description: 'Spaces of this zone and the zones nested in it' }) counts!: AvailabilityCounts;
  @ApiProperty({ example: 17 }) version!: number;
}

/** From the counts kept with every change; no space is scanned. */
export class SiteAvailabilityResponse {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) siteId!: string;
  @ApiProperty({ type: AvailabilityCounts }) counts!: AvailabilityCounts;
  @ApiProperty({ example: 42, description: "Grows with every change of the site's counts" }) version!: number;
  @ApiProperty({ type: ZoneAvailabilityView, isArray: true, description: 'Outer zones first' }) zones!: ZoneAvailabilityView[];
  @ApiProperty({ format: 'date-time', example: '2026-12-02T09:41:12Z', description: "When the site's counts last changed" }) updatedAt!: string;
}
