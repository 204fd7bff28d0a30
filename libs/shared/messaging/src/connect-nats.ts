import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';

export interface NatsConnectionOptions {
  url: string;
  /** Shows up in the server's connection list (`<service>` or `<service>-relay`). */
  name: string;
}

/**
 * Reconnects forever: a service outlives NATS restarts, and its readiness check reports
 * the outage meanwhile instead of the process dying.
 */
export function connectNats({ url, name }: NatsConnectionOptions): Promise<NatsConnection> {
  return connect({ servers: url.split(','), name, maxReconnectAttempts: -1, reconnectTimeWait: 500 });
}
