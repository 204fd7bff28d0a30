// The consumers the downlink service runs are the ones its NATS user may create (NATS_ACCESS): a
// consumer missing from the declaration would be refused by the server where authorization is on.
import { IngestEvents, NATS_ACCESS, OccupancyEvents, STREAMS } from '@parking/contracts';
import { AVAILABILITY_DURABLE, AVAILABILITY_FILTER } from './availability-events.consumer';
import { DEVICES_DURABLE } from './device-events.consumer';
import { DOWNLINK_CONSUMERS } from './downlink-consumers';
import { SPACES_DURABLE } from './space-events.consumer';

describe("downlink's consumers and its NATS access", () => {
  it('declares exactly the durable consumers the service runs', () => {
    const run = [
      ...DOWNLINK_CONSUMERS.map((def) => ({ stream: def.stream, durable: `downlink-${def.purpose}`, filter: def.filterSubject })),
      { stream: STREAMS.OCCUPANCY.name, durable: AVAILABILITY_DURABLE, filter: AVAILABILITY_FILTER },
      { stream: STREAMS.OCCUPANCY.name, durable: SPACES_DURABLE, filter: OccupancyEvents.SPACE_EVENTS_FILTER },
      { stream: STREAMS.INGEST.name, durable: DEVICES_DURABLE, filter: IngestEvents.DEVICE_EVENTS_FILTER },
    ];
    const byName = (a: { durable: string }, b: { durable: string }) => a.durable.localeCompare(b.durable);
    expect([...NATS_ACCESS.downlink.durables].sort(byName)).toEqual(run.sort(byName));
  });
});
