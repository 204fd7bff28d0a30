// The consumers reservations runs are the ones its NATS user may create (NATS_ACCESS): a consumer
// missing from the declaration would be refused by the server where authorization is on.
import { NATS_ACCESS, OccupancyEvents, STREAMS } from '@parking/contracts';
import { STATES_DURABLE } from '../lifecycle/sensor-backlog';
import { RESERVATIONS_CONSUMERS } from './inventory.consumers';

describe("reservations' consumers and its NATS access", () => {
  it('declares exactly the durable consumers the service runs', () => {
    const run = [
      ...RESERVATIONS_CONSUMERS.map((def) => ({ stream: def.stream, durable: `reservations-${def.purpose}`, filter: def.filterSubject })),
      { stream: STREAMS.OCCUPANCY.name, durable: STATES_DURABLE, filter: OccupancyEvents.SPACE_EVENTS_FILTER },
    ];
    const byName = (a: { durable: string }, b: { durable: string }) => a.durable.localeCompare(b.durable);
    expect([...NATS_ACCESS.reservations.durables].sort(byName)).toEqual(run.sort(byName));
  });
});
