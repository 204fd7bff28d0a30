import { DEVICE_JOINED_V1 } from './device-joined.v1';
import { DEVICE_REGISTERED_V1 } from './device-registered.v1';
import { DEVICE_REMOVED_V1 } from './device-removed.v1';
import { DEVICE_STATUS_V1 } from './device-status.v1';
import { DEVICE_UPDATED_V1 } from './device-updated.v1';

/** Every device event's subject starts here (NATS 2.9: a consumer has one filter). */
export const DEVICE_EVENTS_FILTER = 'ingest.device.>';
/** The events that change a device in the registry, each carrying its whole snapshot. */
export const DEVICE_CHANGES = [DEVICE_REGISTERED_V1, DEVICE_UPDATED_V1, DEVICE_REMOVED_V1] as const;
/** What a device reports, on the same subjects: a read model of the registry acknowledges them. */
export const DEVICE_REPORTS = [DEVICE_JOINED_V1, DEVICE_STATUS_V1] as const;
