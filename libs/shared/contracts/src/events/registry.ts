import * as Chirpstack from './chirpstack';
import type { EventDefinition } from './define-event';
import * as Downlink from './downlink';
import * as Identity from './identity';
import * as Ingest from './ingest';
import * as Occupancy from './occupancy';
import * as Reservations from './reservations';

/** Every domain's event folder, re-exported as a namespace: `IdentityEvents.TenantCreatedV1`. */
export { Chirpstack as ChirpstackEvents, Downlink as DownlinkEvents, Identity as IdentityEvents, Ingest as IngestEvents, Occupancy as OccupancyEvents, Reservations as ReservationsEvents };

function definitionsIn(namespace: Record<string, unknown>): EventDefinition[] {
  return Object.values(namespace).filter(
    (value): value is EventDefinition =>
      typeof value === 'object' && value !== null && 'type' in value && 'schema' in value && 'example' in value,
  );
}

/** Every registered event, sorted by type so generated documents are stable. */
export const EVENT_DEFINITIONS: readonly EventDefinition[] = [
  ...definitionsIn(Chirpstack),
  ...definitionsIn(Downlink),
  ...definitionsIn(Identity),
  ...definitionsIn(Ingest),
  ...definitionsIn(Occupancy),
  ...definitionsIn(Reservations),
].sort((a, b) =>
  a.type.localeCompare(b.type),
);

const byType = new Map<string, EventDefinition>();
for (const def of EVENT_DEFINITIONS) {
  if (byType.has(def.type)) throw new Error(`Event type ${def.type} is defined twice`);
  byType.set(def.type, def);
}

export function findEventDefinition(type: string): EventDefinition | undefined {
  return byType.get(type);
}
