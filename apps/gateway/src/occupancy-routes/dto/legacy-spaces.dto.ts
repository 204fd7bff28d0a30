import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, ValidateIf } from 'class-validator';
import { SetMaintenanceBody, SpaceCodeField, SpaceFieldsBody, UuidField, type CreateSpaceRequest } from '@parking/contracts';

// The previous platform's bodies of /api/v6/spaces, kept for its clients. Each maps onto a
// contracts request (see LegacySpacesController); the fields they share are the contracts' own.

/**
 * The states the previous platform let operators set by hand. `maintenance` sets the
 * override; `free` and `occupied` clear it, after which the space shows what its sensor
 * says. `reserved` and `unknown` only come from reservations and sensor silence.
 */
export const LEGACY_MANUAL_STATES = ['maintenance', 'free', 'occupied'] as const;
export type LegacyManualState = (typeof LEGACY_MANUAL_STATES)[number];

const SITE_EXAMPLE = '0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d10';

/** POST /api/v6/spaces: the v1 body (CreateSpaceRequest), or the previous platform's `{site_id, code, name}`. */
export class LegacyCreateSpaceBody extends SpaceFieldsBody {
  // Required unless site_id stands in for it, hence documented optional over the required UUID rule.
  @ApiPropertyOptional({ format: 'uuid', example: SITE_EXAMPLE, description: 'The site; give this or site_id' })
  @ValidateIf((body: LegacyCreateSpaceBody) => body.site_id === undefined || body.siteId !== undefined)
  @UuidField()
  siteId?: string;

  @UuidField({ presence: 'optional', doc: { example: SITE_EXAMPLE, description: "The previous platform's name of siteId" } })
  site_id?: string;

  @SpaceCodeField('required') code!: string;
}

/** The v1 create request the legacy body stands for; undefined when it names its site twice. */
export function createSpaceRequestOf(body: LegacyCreateSpaceBody): CreateSpaceRequest | undefined {
  const { site_id: legacySiteId, siteId, ...space } = body;
  if (legacySiteId !== undefined && siteId !== undefined) return undefined;
  return { ...space, siteId: (siteId ?? legacySiteId) as string };
}

/** PUT /api/v6/spaces/{id}/state: a manual state, mapped onto the maintenance override (SetMaintenanceBody's reason). */
export class LegacySpaceStateBody extends SetMaintenanceBody {
  @ApiProperty({
    enum: LEGACY_MANUAL_STATES,
    example: 'maintenance',
    description: "maintenance sets the operator's override (with the optional reason); free or occupied clear it, and the space then shows what its sensor says",
  })
  @IsIn(LEGACY_MANUAL_STATES, { message: `state must be one of ${LEGACY_MANUAL_STATES.join(', ')}; reserved and unknown follow from reservations and sensor silence, never from a manual setting` })
  state!: LegacyManualState;
}
