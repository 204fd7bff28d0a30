import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { IngestEvents, Namespace, STREAMS } from '@parking/contracts';
import type { DownlinkDatabase, DownlinkTransaction } from '@parking/downlink/data-access';
import { claimInboxEntries, handleByTenant, type BatchConsumerRunner, type BatchMessage, type BatchOutcome, type TenantBatchItem } from '@parking/messaging';
import { JETSTREAM, NATS_CONNECTION, startBatchDurable } from '@parking/messaging-nest';
import { TENANT_DATABASE } from '@parking/service-runtime';

export const DEVICES_DURABLE = 'downlink-devices';
export const DEVICES_FILTER = 'ingest.device.>';
const BATCH_SIZE = 256;
/** Every event on the filter (NATS 2.9: one filter per consumer); joins and status reports need nothing here. */
const DEVICE_EVENTS = [IngestEvents.DEVICE_REGISTERED_V1, IngestEvents.DEVICE_UPDATED_V1, IngestEvents.DEVICE_REMOVED_V1, IngestEvents.DEVICE_JOINED_V1, IngestEvents.DEVICE_STATUS_V1];
const APPLIED = new Set<string>([IngestEvents.DEVICE_REGISTERED_V1, IngestEvents.DEVICE_UPDATED_V1, IngestEvents.DEVICE_REMOVED_V1]);

type Device = IngestEvents.DeviceSnapshotV1;
interface DeviceChange {
  device: Device;
  removed: boolean;
}

/**
 * Keeps downlink.devices in step with ingest's registry, so a display can be bound only to a
 * device registered as a display, and its devEUI is known without reading ingest's schema. An
 * older version changes nothing; a removed device stays as a tombstone. An import brings
 * thousands of events at once, so they are taken a batch at a time, one transaction per tenant
 * with an inbox row per event, and each device's outcome goes in one statement: its first removal
 * if the batch holds one (nothing changes a tombstone), else its newest version.
 */
@Injectable()
export class DeviceEventsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('DeviceEvents');
  private runner?: BatchConsumerRunner;

  constructor(
    @Inject(TENANT_DATABASE) private readonly db: DownlinkDatabase,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(JETSTREAM) private readonly js: JetStreamClient,
    private readonly ns: Namespace,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.runner = await startBatchDurable({
      nc: this.nc,
      js: this.js,
      ns: this.ns,
      service: 'downlink',
      stream: STREAMS.INGEST,
      durable: DEVICES_DURABLE,
      filterSubject: DEVICES_FILTER,
      description: "Ingest's device registry to the downlink service's devices",
      batchSize: BATCH_SIZE,
      handler: (batch) => this.handle(batch),
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.runner?.stop();
  }

  handle(batch: readonly BatchMessage[]): Promise<BatchOutcome[]> {
    return handleByTenant<Device>(
      batch,
      DEVICE_EVENTS,
      (tenantId, items) => (items.some((item) => APPLIED.has(item.type)) ? this.db.withTenant(tenantId, (tx) => this.applyTenantBatch(tx, tenantId, items)) : Promise.resolve()),
      (tenantId, count, error) => this.logger.warn(`device events of tenant ${tenantId} (${count}) failed: ${(error as Error).message}`),
    );
  }

  private async applyTenantBatch(tx: DownlinkTransaction, tenantId: string, items: TenantBatchItem<Device>[]): Promise<void> {
    const work = await claimInboxEntries(
      tx,
      'downlink',
      DEVICES_DURABLE,
      tenantId,
      items.filter((item) => APPLIED.has(item.type)),
    );
    const outcome = new Map<string, DeviceChange>();
    for (const { type, data } of work) {
      const change = { device: data, removed: type === IngestEvents.DEVICE_REMOVED_V1 };
      const seen = outcome.get(data.deviceId);
      // Nothing changes a tombstone, so the first removal is final.
      if (!seen || (!seen.removed && (change.removed || seen.device.version < data.version))) outcome.set(data.deviceId, change);
    }
    if (outcome.size === 0) return;
    // In one order, so concurrent writers never deadlock on two devices.
    const changes = [...outcome.values()].sort((a, b) => a.device.deviceId.localeCompare(b.device.deviceId));
    const devices = changes.map((c) => c.device);
    await tx.$executeRaw`
      INSERT INTO downlink.devices AS d (id, tenant_id, dev_eui, kind, codec, version, removed)
      SELECT * FROM unnest(${devices.map((x) => x.deviceId)}::uuid[], ${devices.map((x) => x.tenantId)}::uuid[], ${devices.map((x) => x.devEui)}::text[],
                           ${devices.map((x) => x.kind)}::text[], ${devices.map((x) => x.codec)}::text[], ${devices.map((x) => x.version)}::int[],
                           ${changes.map((c) => c.removed)}::boolean[])
      ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, codec = EXCLUDED.codec, version = EXCLUDED.version, removed = EXCLUDED.removed, updated_at = now()
       WHERE NOT d.removed AND (EXCLUDED.version > d.version OR EXCLUDED.removed)`;
  }
}
