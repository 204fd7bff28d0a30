import { Inject, Injectable } from '@nestjs/common';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { IngestEvents, Namespace, STREAMS } from '@parking/contracts';
import type { DownlinkDatabase, DownlinkTransaction } from '@parking/downlink/data-access';
import type { TenantBatchItem } from '@parking/messaging';
import { JETSTREAM, NATS_CONNECTION, TenantBatchConsumer, TenantBatchDurable } from '@parking/messaging-nest';
import { TENANT_DATABASE } from '@parking/service-runtime';

export const DEVICES_DURABLE = 'downlink-devices';

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
export class DeviceEventsConsumer extends TenantBatchConsumer<Device, DownlinkTransaction> {
  protected readonly durable: TenantBatchDurable<Device, DownlinkTransaction>;

  constructor(@Inject(TENANT_DATABASE) db: DownlinkDatabase, @Inject(NATS_CONNECTION) nc: NatsConnection, @Inject(JETSTREAM) js: JetStreamClient, ns: Namespace) {
    super();
    this.durable = new TenantBatchDurable({
      nc,
      js,
      ns,
      db,
      service: 'downlink',
      inboxSchema: 'downlink',
      stream: STREAMS.INGEST,
      durable: DEVICES_DURABLE,
      filterSubject: IngestEvents.DEVICE_EVENTS_FILTER,
      description: "Ingest's device registry to the downlink service's devices",
      batchSize: 256,
      eventTypes: IngestEvents.DEVICE_CHANGES,
      ignoredTypes: IngestEvents.DEVICE_REPORTS,
      apply: (tx, _tenantId, items) => this.apply(tx, items),
    });
  }

  private async apply(tx: DownlinkTransaction, work: TenantBatchItem<Device>[]): Promise<void> {
    const outcome = new Map<string, DeviceChange>();
    for (const { type, data } of work) {
      const change = { device: data, removed: type === IngestEvents.DEVICE_REMOVED_V1 };
      const seen = outcome.get(data.deviceId);
      // Nothing changes a tombstone, so the first removal is final.
      if (!seen || (!seen.removed && (change.removed || seen.device.version < data.version))) outcome.set(data.deviceId, change);
    }
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
