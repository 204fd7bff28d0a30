import { Inject, Injectable, OnModuleDestroy, Optional } from '@nestjs/common';
import { callMetricsFor } from './call-metrics';
import { ChirpStackClient, DEFAULT_CALL_POLICY, type ChirpStackCallPolicy, type ChirpStackConnectionTarget } from './chirpstack-client';

export const CHIRPSTACK_CALL_POLICY = Symbol('CHIRPSTACK_CALL_POLICY');

/**
 * One client per connection and version, so each connection keeps its own circuit across
 * calls; a new version (another URL or token) gets a fresh client and the old one closes.
 */
@Injectable()
export class ChirpStackClients implements OnModuleDestroy {
  private readonly clients = new Map<string, { version: number; client: ChirpStackClient }>();

  constructor(@Optional() @Inject(CHIRPSTACK_CALL_POLICY) private readonly policy: ChirpStackCallPolicy = DEFAULT_CALL_POLICY) {}

  for(target: ChirpStackConnectionTarget & { version: number }): ChirpStackClient {
    const held = this.clients.get(target.id);
    if (held && held.version === target.version) return held.client;
    held?.client.close();
    const client = new ChirpStackClient(target, this.policy, callMetricsFor(target.id));
    this.clients.set(target.id, { version: target.version, client });
    return client;
  }

  /** A removed connection's client, closed. */
  forget(connectionId: string): void {
    this.clients.get(connectionId)?.client.close();
    this.clients.delete(connectionId);
  }

  onModuleDestroy(): void {
    for (const { client } of this.clients.values()) client.close();
    this.clients.clear();
  }
}
