import { Inject, Injectable } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/nats-core';
import { NATS_CONNECTION } from './messaging.tokens';

/** Ready when the connection is open and a PING round trip to the server succeeds. */
@Injectable()
export class NatsReadiness {
  constructor(@Inject(NATS_CONNECTION) private readonly nc: NatsConnection) {}

  async check(): Promise<void> {
    if (this.nc.isClosed()) throw new Error('NATS connection is closed');
    await this.nc.flush();
  }
}
