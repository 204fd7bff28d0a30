import { ConfigError, type ServiceEnv } from '@parking/config';
import { natsInboxPrefix } from '@parking/contracts';
import type { NatsAuth } from '@parking/messaging';

/**
 * Who the service is on NATS: NATS_USER and NATS_PASSWORD (both or neither) and its private
 * inbox prefix, which every NATS client of the process uses, with or without credentials.
 */
export function natsAuthFrom(service: string, env: Pick<ServiceEnv, 'NATS_USER' | 'NATS_PASSWORD' | 'NATS_NAMESPACE'>): NatsAuth {
  if (Boolean(env.NATS_USER) !== Boolean(env.NATS_PASSWORD)) {
    const missing = env.NATS_USER ? 'NATS_PASSWORD' : 'NATS_USER';
    throw new ConfigError([{ variable: missing, expected: 'set together with the other of NATS_USER and NATS_PASSWORD (or neither)', actual: 'not set' }]);
  }
  const inboxPrefix = natsInboxPrefix(service, env.NATS_NAMESPACE);
  return env.NATS_USER && env.NATS_PASSWORD ? { credentials: { user: env.NATS_USER, password: env.NATS_PASSWORD }, inboxPrefix } : { inboxPrefix };
}
