import { Inject, Injectable } from '@nestjs/common';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { IngestEvents, Namespace, STREAMS } from '@parking/contracts';
import { afterCommit, type TemplateSqlClient, type TenantDatabase } from '@parking/database';
import type { TenantBatchItem } from '@parking/messaging';
import { JETSTREAM, NATS_CONNECTION, TenantBatchConsumer, TenantBatchDurable } from '@parking/messaging-nest';
import { RAW_TENANT_DATABASE } from '@parking/service-runtime';
import { DeviceSyncWorker } from './device-sync.worker';

export const DEVICES_DURABLE = 'chirpstack-sync-devices';

type Device = IngestEvents.DeviceSnapshotV1;
interface DeviceChange {
  device: Device;
  removed: boolean;
}

/**
 * Writes what ChirpStack should hold of each device (pending) for the sync worker; nothing here
 * calls ChirpStack, so a registration never waits on it. Each event carries the device's
 * version: an older one changes nothing. A later registration of the devEUI (a new device id,
 * changed later) takes the row over, without the old device's keys. An import brings thousands
 * of events at once, so they are taken a batch at a time, one transaction per tenant with an
 * inbox row per event, in stream order: events of distinct devEUIs go in one statement, which
 * judges each row as the single-event statement would; a devEUI met again starts the next.
 */
@Injectable()
export class DeviceEventsConsumer extends TenantBatchConsumer<Device, TemplateSqlClient> {
  protected readonly durable: TenantBatchDurable<Device, TemplateSqlClient>;

  constructor(
    private readonly worker: DeviceSyncWorker,
    @Inject(RAW_TENANT_DATABASE) db: TenantDatabase<TemplateSqlClient>,
    @Inject(NATS_CONNECTION) nc: NatsConnection,
    @Inject(JETSTREAM) js: JetStreamClient,
    ns: Namespace,
  ) {
    super();
    this.durable = new TenantBatchDurable({
      nc,
      js,
      ns,
      db,
      service: 'chirpstack-sync',
      inboxSchema: 'chirpstack',
      stream: STREAMS.INGEST,
      durable: DEVICES_DURABLE,
      filterSubject: IngestEvents.DEVICE_EVENTS_FILTER,
      description: "Ingest's device registry to what ChirpStack should hold",
      batchSize: 256,
      eventTypes: IngestEvents.DEVICE_CHANGES,
      ignoredTypes: IngestEvents.DEVICE_REPORTS,
      apply: (tx, _tenantId, items) => this.apply(tx, items),
    });
  }

  private async apply(tx: TemplateSqlClient, work: TenantBatchItem<Device>[]): Promise<void> {
    let run = new Map<string, DeviceChange>();
    let changed = 0;
    for (const { type, data } of work) {
      // One statement changes a row once: a devEUI already in this run waits for the next.
      if (run.has(data.devEui)) {
        changed += await this.write(tx, [...run.values()]);
        run = new Map();
      }
      run.set(data.devEui, { device: data, removed: type === IngestEvents.DEVICE_REMOVED_V1 });
    }
    if (run.size > 0) changed += await this.write(tx, [...run.values()]);
    if (changed > 0) afterCommit(tx, () => this.worker.wake());
  }

  private write(tx: TemplateSqlClient, changes: DeviceChange[]): Promise<number> {
    // In one order, so concurrent writers never deadlock on two devices.
    changes.sort((a, b) => a.device.devEui.localeCompare(b.device.devEui));
    const devices = changes.map((c) => c.device);
    return tx.$executeRaw`
      INSERT INTO chirpstack.devices AS d (tenant_id, dev_eui, device_id, name, description, codec, application_id, profile_id, join_eui, tags,
                                          device_version, changed_at, removed, status, next_attempt_at)
      SELECT e.tenant_id, e.dev_eui, e.device_id, e.name, e.description, e.codec, e.application_id, e.profile_id, e.join_eui, e.tags,
             e.device_version, e.changed_at, e.removed, 'pending', now()
        FROM unnest(${devices.map((x) => x.tenantId)}::uuid[], ${devices.map((x) => x.devEui)}::text[], ${devices.map((x) => x.deviceId)}::uuid[],
                    ${devices.map((x) => x.name)}::text[], ${devices.map((x) => x.description ?? null)}::text[], ${devices.map((x) => x.codec)}::text[],
                    ${devices.map((x) => x.chirpstackApplicationId)}::text[], ${devices.map((x) => x.chirpstackProfileId)}::text[],
                    ${devices.map((x) => x.joinEui ?? null)}::text[], ${devices.map((x) => JSON.stringify(x.tags))}::jsonb[],
                    ${devices.map((x) => x.version)}::int[], ${devices.map((x) => x.at)}::timestamptz[], ${changes.map((c) => c.removed)}::boolean[])
             AS e(tenant_id, dev_eui, device_id, name, description, codec, application_id, profile_id, join_eui, tags, device_version, changed_at, removed)
      ON CONFLICT (tenant_id, dev_eui) DO UPDATE
        SET device_id = EXCLUDED.device_id, name = EXCLUDED.name, description = EXCLUDED.description, codec = EXCLUDED.codec,
            application_id = EXCLUDED.application_id, profile_id = EXCLUDED.profile_id, join_eui = EXCLUDED.join_eui, tags = EXCLUDED.tags,
            device_version = EXCLUDED.device_version, changed_at = EXCLUDED.changed_at, removed = EXCLUDED.removed,
            status = 'pending', reason = NULL, attempts = 0, next_attempt_at = now(), generation = d.generation + 1, updated_at = now(),
            synced_version = CASE WHEN d.device_id = EXCLUDED.device_id THEN d.synced_version END,
            keys_sealed = CASE WHEN d.device_id = EXCLUDED.device_id AND NOT EXCLUDED.removed THEN d.keys_sealed END,
            keys_pending = d.keys_pending AND d.device_id = EXCLUDED.device_id AND NOT EXCLUDED.removed,
            keys_synced_at = CASE WHEN d.device_id = EXCLUDED.device_id AND NOT EXCLUDED.removed THEN d.keys_synced_at END
      WHERE (d.device_id = EXCLUDED.device_id AND (EXCLUDED.device_version > d.device_version OR (EXCLUDED.removed AND NOT d.removed)))
         OR (d.device_id <> EXCLUDED.device_id AND EXCLUDED.changed_at >= d.changed_at)`;
  }
}
