// The consumers occupancy runs are the ones its NATS user may create (NATS_ACCESS): a consumer
// missing from the declaration would be refused by the server where authorization is on.
import { IngestEvents, NATS_ACCESS } from '@parking/contracts';
import { DEVICES_DURABLE } from './device-events.consumer';
import { RESERVATION_EVENT_DURABLES } from './reservation-events.consumer';
import { TENANT_LIMITS_CONSUMER } from './tenant-limits.consumer';
import { UPLINKS_DURABLE, UPLINKS_FILTER } from './uplink-batch.consumer';

describe("occupancy's consumers and its NATS access", () => {
  it('declares exactly the durable consumers the service runs', () => {
    const run = [TENANT_LIMITS_CONSUMER].map((def) => ({ stream: def.stream, durable: `occupancy-${def.purpose}`, filter: def.filterSubject }));
    run.push(
      ...RESERVATION_EVENT_DURABLES.map(({ durable, type }) => ({ stream: 'RESERVATIONS', durable, filter: `${type}.>` })),
      { stream: 'INGEST', durable: UPLINKS_DURABLE, filter: UPLINKS_FILTER },
      { stream: 'INGEST', durable: DEVICES_DURABLE, filter: IngestEvents.DEVICE_EVENTS_FILTER },
    );
    const byName = (a: { durable: string }, b: { durable: string }) => a.durable.localeCompare(b.durable);
    expect([...NATS_ACCESS.occupancy.durables].sort(byName)).toEqual(run.sort(byName));
  });
});
