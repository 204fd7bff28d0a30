import type { NatsConnection, Subscription } from '@nats-io/nats-core';
import { Namespace, OccupancyEvents } from '@parking/contracts';
import type { ZoneObservation } from './zone-guidance';

/**
 * Every `occupancy.zone.availability_changed.v1` of the watched zones a plain NATS subscriber
 * sees (JetStream publishes reach core subscribers too): the zone's free count, when it
 * arrived (epoch ms) and the event's id. Site-wide counts and other zones are left out.
 */
export class ZoneAvailabilityListener {
  private subscription?: Subscription;
  private readonly seen: ZoneObservation[] = [];

  /** `zones`: the index of each watched zone by its id. */
  constructor(
    private readonly nc: NatsConnection,
    private readonly namespace: Namespace,
    private readonly zones: ReadonlyMap<string, number>,
  ) {}

  start(): void {
    this.subscription = this.nc.subscribe(this.namespace.subject(`${OccupancyEvents.ZONE_AVAILABILITY_CHANGED_V1}.>`), {
      callback: (error, message) => {
        if (error) return;
        const at = Date.now();
        const envelope = message.json() as { id?: string; data?: Partial<OccupancyEvents.ZoneAvailabilityChangedV1Data> };
        const data = envelope.data;
        const zone = data?.zoneId ? this.zones.get(data.zoneId) : undefined;
        if (zone !== undefined && typeof data?.counts?.free === 'number') this.seen.push({ zone, count: data.counts.free, at, ref: envelope.id });
      },
    });
  }

  /** What arrived since `since` (epoch ms). */
  observationsSince(since: number): ZoneObservation[] {
    return this.seen.filter((observation) => observation.at >= since);
  }

  stop(): void {
    this.subscription?.unsubscribe();
  }
}
