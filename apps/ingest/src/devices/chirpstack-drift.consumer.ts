import { Injectable } from '@nestjs/common';
import { ChirpstackEvents, EventEnvelope, STREAMS } from '@parking/contracts';
import { IngestTransaction } from '@parking/ingest/data-access';
import type { ConsumerDefinition, EventConsumer } from '@parking/messaging-nest';
import { OutboxWriter, PoisonMessageError } from '@parking/messaging';
import { DeviceFields } from './device-fields';
import { updateDevice } from './device-store';

const ADOPTABLE_FIELDS = ['name', 'description', 'tags', 'chirpstackProfileId'] as const;

/** The fields the event names (a null description included: ChirpStack has none); only those change. */
function adoptedFields(changes: ChirpstackEvents.DeviceDriftAdoptedV1Data['changes']): Partial<Omit<DeviceFields, 'devEui'>> {
  return Object.fromEntries(ADOPTABLE_FIELDS.filter((field) => changes[field] !== undefined).map((field) => [field, changes[field]]));
}

/**
 * Takes ChirpStack's values into the registry where a reconciliation under a connection's
 * chirpstack-wins policy found them drifted, as an update through the API would (new version,
 * ingest.device.updated.v1). The transaction is the envelope's tenant's, so RLS keeps the
 * device to it.
 */
@Injectable()
export class ChirpstackDriftConsumer implements EventConsumer<IngestTransaction> {
  constructor(private readonly outbox: OutboxWriter) {}

  async handle(envelope: EventEnvelope, tx: IngestTransaction): Promise<void> {
    if (envelope.type !== ChirpstackEvents.DEVICE_DRIFT_ADOPTED_V1) return;
    const drift = envelope.data as ChirpstackEvents.DeviceDriftAdoptedV1Data;
    // The device is looked up in the envelope's tenant; another tenant named in the data would never fit RLS.
    if (drift.tenantId !== envelope.tenantid) {
      throw new PoisonMessageError(`tenantId ${drift.tenantId} is not the envelope's tenant ${envelope.tenantid}`);
    }
    const device = await tx.device.findFirst({ where: { id: drift.deviceId, tenantId: envelope.tenantid } });
    // Unknown or removed, not the devEUI the run compared, or changed since the run read it: the
    // registry's state is newer than what the run compared, so it stays and the event is done with.
    if (!device || device.devEui !== drift.devEui || device.version !== drift.deviceVersion) return;
    // Undefined when a change commits between the read and the update: that change wins too.
    await updateDevice(this.outbox, tx, device, adoptedFields(drift.changes));
  }
}

/** In order: adopted drift is rare, and one device's events must not overtake each other. */
export const CHIRPSTACK_DRIFT_CONSUMER: ConsumerDefinition = {
  purpose: 'chirpstack-drift',
  stream: STREAMS.CHIRPSTACK.name,
  filterSubject: `${ChirpstackEvents.DEVICE_DRIFT_ADOPTED_V1}.>`,
  handler: ChirpstackDriftConsumer,
  concurrency: 1,
};
