import { ApiProperty } from '@nestjs/swagger';
import { UUID_EXAMPLE, UuidField } from '../fields/identifiers';
import { PageOf } from '../fields/paging';
import { ExpectedVersion } from '../occupancy/occupancy-fields';
import { ReservationPageQuery } from './reservation-fields';
import { CancellationPolicyInput, SiteReservationSettingsBody, TAX_MODES, type TaxMode } from './site-rules-payloads';
import { TariffBody } from './tariff-payloads';

/** Rate tables and sites' booking settings over RPC (the bodies are in tariff-payloads and site-rules-payloads). */

export class CreateTariffRequest extends TariffBody {
  @UuidField() siteId!: string;
}
export class TariffRef {
  @UuidField() tariffId!: string;
}
/** A tariff is replaced whole: send every field, with the version read. */
export class UpdateTariffBody extends TariffBody {
  @ExpectedVersion() version?: number;
}
export class UpdateTariffRequest extends UpdateTariffBody {
  @UuidField() tariffId!: string;
}
export class ListTariffsRequest extends ReservationPageQuery {
  @UuidField({ presence: 'optional' }) siteId?: string;
}

export class TariffView extends TariffBody {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) id!: string;
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) siteId!: string;
  @ApiProperty({ example: 1 }) version!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}
export class TariffPage extends PageOf(TariffView) {}

export class SiteSettingsRef {
  @UuidField() siteId!: string;
}
/** Replaces the site's settings whole (absent optional parts take their defaults). */
export class PutSiteSettingsBody extends SiteReservationSettingsBody {
  @ExpectedVersion() version?: number;
}
export class PutSiteSettingsRequest extends PutSiteSettingsBody {
  @UuidField() siteId!: string;
}

export class CheckInWindowView {
  @ApiProperty({ example: 15 }) beforeMinutes!: number;
  @ApiProperty({ example: 15 }) afterMinutes!: number;
}
export class BookingRulesView {
  @ApiProperty({ type: 'integer', nullable: true, example: 30 }) minDurationMinutes!: number | null;
  @ApiProperty({ type: 'integer', nullable: true, example: null }) maxDurationMinutes!: number | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 30 }) maxAdvanceDays!: number | null;
}
/** A site's booking settings as they apply (defaults filled in); version 0: the site has none of its own. */
export class SiteSettingsView {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) siteId!: string;
  @ApiProperty({ enum: TAX_MODES, example: 'included' }) taxMode!: TaxMode;
  @ApiProperty({ example: 19 }) taxRatePercent!: number;
  @ApiProperty({ type: CheckInWindowView }) checkInWindow!: CheckInWindowView;
  @ApiProperty({ example: 15 }) noShowGraceMinutes!: number;
  @ApiProperty({ type: CancellationPolicyInput }) cancellation!: CancellationPolicyInput;
  @ApiProperty({ type: BookingRulesView }) rules!: BookingRulesView;
  @ApiProperty({ example: 1 }) version!: number;
}
