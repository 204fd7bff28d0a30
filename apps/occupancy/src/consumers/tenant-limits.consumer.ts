import { Injectable } from '@nestjs/common';
import { EventEnvelope, IdentityEvents, STREAMS } from '@parking/contracts';
import type { ConsumerDefinition, EventConsumer } from '@parking/messaging-nest';
import { OccupancyTransaction } from '@parking/occupancy/data-access';

/**
 * Keeps occupancy.tenant_limits at the highest version identity announced for each tenant;
 * an older event arriving late changes nothing.
 */
@Injectable()
export class TenantLimitsConsumer implements EventConsumer<OccupancyTransaction> {
  async handle(envelope: EventEnvelope, tx: OccupancyTransaction): Promise<void> {
    const { tenantId, limits, version } = envelope.data as IdentityEvents.TenantLimitsChangedV1Data;
    await tx.$executeRaw`
      INSERT INTO occupancy.tenant_limits (tenant_id, sites, spaces, version, updated_at)
      VALUES (${tenantId}::uuid, ${limits.sites}::int, ${limits.spaces}::int, ${version}::int, now())
      ON CONFLICT (tenant_id) DO UPDATE SET sites = EXCLUDED.sites, spaces = EXCLUDED.spaces, version = EXCLUDED.version, updated_at = now()
       WHERE occupancy.tenant_limits.version < EXCLUDED.version`;
  }
}

export const TENANT_LIMITS_CONSUMER: ConsumerDefinition = {
  purpose: 'tenant-limits',
  stream: STREAMS.IDENTITY.name,
  filterSubject: `${IdentityEvents.TENANT_LIMITS_CHANGED_V1}.>`,
  handler: TenantLimitsConsumer,
  concurrency: 4,
};
