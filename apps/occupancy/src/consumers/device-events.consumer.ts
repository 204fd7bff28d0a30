import { Inject, Injectable } from '@nestjs/common';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { IngestEvents, Namespace, STREAMS } from '@parking/contracts';
import type { TenantBatchItem } from '@parking/messaging';
import { JETSTREAM, NATS_CONNECTION, TenantBatchConsumer, TenantBatchDurable } from '@parking/messaging-nest';
import type { OccupancyDatabase, OccupancyTransaction } from '@parking/occupancy/data-access';
import { TENANT_DATABASE } from '@parking/service-runtime';
import { SensorAssignments } from '../spaces/sensor-assignments';

export const DEVICES_DURABLE = 'occupancy-devices';

type Device = IngestEvents.DeviceSnapshotV1;

/**
 * Keeps occupancy.sensors in step with ingest's registry. Each device event carries the
 * device's version, so an older event arriving late changes nothing; a removed device stays
 * as a tombstone and leaves the space it lay under. An import brings thousands of events at
 * once, so they are taken a batch at a time, one transaction per tenant with an inbox row per
 * event, in stream order: the registrations and updates between two removals go in two
 * statements (a device's devEUI never changes, so they touch distinct rows); a removal goes
 * on its own.
 */
@Injectable()
export class DeviceEventsConsumer extends TenantBatchConsumer<Device, OccupancyTransaction> {
  protected readonly durable: TenantBatchDurable<Device, OccupancyTransaction>;

  constructor(
    private readonly assignments: SensorAssignments,
    @Inject(TENANT_DATABASE) db: OccupancyDatabase,
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
      service: 'occupancy',
      inboxSchema: 'occupancy',
      stream: STREAMS.INGEST,
      durable: DEVICES_DURABLE,
      filterSubject: IngestEvents.DEVICE_EVENTS_FILTER,
      description: "Ingest's device registry to occupancy's sensors",
      batchSize: 256,
      eventTypes: IngestEvents.DEVICE_CHANGES,
      ignoredTypes: IngestEvents.DEVICE_REPORTS,
      apply: (tx, _tenantId, items) => this.apply(tx, items),
    });
  }

  private async apply(tx: OccupancyTransaction, work: TenantBatchItem<Device>[]): Promise<void> {
    // Registrations and updates since the last removal: the newest version of each device.
    let run = new Map<string, Device>();
    const owners = new Map<string, string>();
    const flush = async () => {
      if (run.size > 0) await this.upsert(tx, [...run.values()]);
      run = new Map();
      owners.clear();
    };
    for (const { type, data } of work) {
      if (type === IngestEvents.DEVICE_REMOVED_V1) {
        await flush();
        await this.remove(tx, data);
        continue;
      }
      // Another device with the same devEUI: what came before must be applied first.
      if ((owners.get(data.devEui) ?? data.deviceId) !== data.deviceId) await flush();
      if ((run.get(data.deviceId)?.version ?? -1) < data.version) run.set(data.deviceId, data);
      owners.set(data.devEui, data.deviceId);
    }
    await flush();
  }

  private async upsert(tx: OccupancyTransaction, devices: Device[]): Promise<void> {
    // In one order, so concurrent writers never deadlock on two devices.
    devices.sort((a, b) => a.deviceId.localeCompare(b.deviceId));
    const ids = devices.map((d) => d.deviceId);
    const devEuis = devices.map((d) => d.devEui);
    // One devEUI has one live device: a newer registration means the old one is gone.
    await tx.$executeRaw`
      UPDATE occupancy.sensors s SET removed = true, updated_at = now()
        FROM unnest(${devEuis}::text[], ${ids}::uuid[]) AS n(dev_eui, device_id)
       WHERE s.dev_eui = n.dev_eui AND s.device_id <> n.device_id AND NOT s.removed`;
    await tx.$executeRaw`
      INSERT INTO occupancy.sensors (device_id, tenant_id, dev_eui, kind, name, heartbeat_seconds, version, removed, updated_at)
      SELECT d.device_id, d.tenant_id, d.dev_eui, d.kind, d.name, d.heartbeat_seconds, d.version, false, now()
        FROM unnest(${ids}::uuid[], ${devices.map((d) => d.tenantId)}::uuid[], ${devEuis}::text[], ${devices.map((d) => d.kind)}::text[],
                    ${devices.map((d) => d.name)}::text[], ${devices.map((d) => d.heartbeatSeconds)}::int[], ${devices.map((d) => d.version)}::int[])
             AS d(device_id, tenant_id, dev_eui, kind, name, heartbeat_seconds, version)
      ON CONFLICT (device_id) DO UPDATE
        SET dev_eui = EXCLUDED.dev_eui, kind = EXCLUDED.kind, name = EXCLUDED.name,
            heartbeat_seconds = EXCLUDED.heartbeat_seconds, version = EXCLUDED.version, updated_at = now()
      WHERE occupancy.sensors.version < EXCLUDED.version AND NOT occupancy.sensors.removed`;
  }

  private async remove(tx: OccupancyTransaction, device: Device): Promise<void> {
    await tx.$executeRaw`
      INSERT INTO occupancy.sensors (device_id, tenant_id, dev_eui, kind, name, heartbeat_seconds, version, removed, updated_at)
      VALUES (${device.deviceId}::uuid, ${device.tenantId}::uuid, ${device.devEui}, ${device.kind}, ${device.name},
              ${device.heartbeatSeconds}::int, ${device.version}::int, true, now())
      ON CONFLICT (device_id) DO UPDATE SET removed = true, version = GREATEST(occupancy.sensors.version, EXCLUDED.version), updated_at = now()`;
    await this.assignments.releaseIfGone(tx, device.devEui);
  }
}
