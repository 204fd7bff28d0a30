import { Injectable } from '@nestjs/common';
import { EventEnvelope, IdentityEvents, STREAMS } from '@parking/contracts';
import { IngestTransaction } from '@parking/ingest/data-access';
import type { ConsumerDefinition, EventConsumer } from '@parking/messaging-nest';

/**
 * Keeps ingest.tenant_limits at the highest version identity announced for each tenant;
 * an older event arriving late changes nothing.
 */
@Injectable()
export class TenantLimitsConsumer implements EventConsumer<IngestTransaction> {
  async handle(envelope: EventEnvelope, tx: IngestTransaction): Promise<void> {
    const { tenantId, limits, version } = envelope.data as IdentityEvents.TenantLimitsChangedV1Data;
    await tx.$executeRaw`
      INSERT INTO ingest.tenant_limits (tenant_id, devices, version, updated_at)
      VALUES (${tenantId}::uuid, ${limits.devices}::int, ${version}::int, now())
      ON CONFLICT (tenant_id) DO UPDATE SET devices = EXCLUDED.devices, version = EXCLUDED.version, updated_at = now()
       WHERE ingest.tenant_limits.version < EXCLUDED.version`;
  }
}

export const TENANT_LIMITS_CONSUMER: ConsumerDefinition = {
  purpose: 'tenant-limits',
  stream: STREAMS.IDENTITY.name,
  filterSubject: `${IdentityEvents.TENANT_LIMITS_CHANGED_V1}.>`,
  handler: TenantLimitsConsumer,
  concurrency: 4,
};
