import { SPACE_REMOVED_V1 } from './space-removed.v1';
import { SPACE_STATE_CHANGED_V1 } from './space-state-changed.v1';
import { SPACE_UPSERTED_V1 } from './space-upserted.v1';

/** Every space event's subject starts here (NATS 2.9: a consumer has one filter). */
export const SPACE_EVENTS_FILTER = 'occupancy.space.>';
/** The events of a space: its fields, its removal and its live state. */
export const SPACE_EVENTS = [SPACE_UPSERTED_V1, SPACE_REMOVED_V1, SPACE_STATE_CHANGED_V1] as const;
