import { Inject, Injectable, Logger } from '@nestjs/common';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { Namespace, STREAMS } from '@parking/contracts';
import { NATS_CONNECTION } from '@parking/messaging-nest';

/** The consumer whose backlog must be read before a booking is judged: the spaces' states. */
export const STATES_DURABLE = 'reservations-spaces';

/**
 * Whether the space-state consumer has read everything occupancy published so far. Until it
 * has, a booking's no-show or end is not judged: an arrival may still be in the backlog.
 */
@Injectable()
export class SensorBacklog {
  private readonly logger = new Logger('SensorBacklog');
  /** Made once: making one asks the server whether JetStream is there, a round trip each time. */
  private jsm?: Promise<JetStreamManager>;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly ns: Namespace,
  ) {}

  async caughtUp(): Promise<boolean> {
    try {
      this.jsm ??= jetstreamManager(this.nc);
      const jsm = await this.jsm.catch((error: unknown) => {
        this.jsm = undefined;
        throw error;
      });
      const info = await jsm.consumers.info(this.ns.stream(STREAMS.OCCUPANCY.name), STATES_DURABLE);
      return info.num_pending === 0 && info.num_ack_pending === 0;
    } catch (error) {
      this.logger.warn(`cannot read the backlog of ${STATES_DURABLE} (${(error as Error).message}); no-shows and ends wait`);
      return false;
    }
  }
}
