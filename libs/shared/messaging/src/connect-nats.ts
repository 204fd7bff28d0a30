import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';

/**
 * Who a process is on NATS: its user (each service has its own, see `NATS_ACCESS` in
 * `@parking/contracts`) and its private reply subjects. Without credentials the client
 * connects anonymously, which only a server without authorization accepts.
 */
export interface NatsAuth {
  credentials?: { user: string; password: string };
  /** Replies come back under `<inboxPrefix>.…`, which only this service may subscribe to. */
  inboxPrefix?: string;
}

export interface NatsConnectionOptions {
  url: string;
  /** Shows up in the server's connection list (`<service>` or `<service>-relay`). */
  name: string;
  auth?: NatsAuth;
}

/**
 * The connect options every NATS client of a service takes, the `nats` v2 client under
 * Nest's transport as well as `@nats-io/transport-node` (both name them `user`, `pass`, `inboxPrefix`).
 */
export function natsAuthOptions(auth: NatsAuth | undefined): { user?: string; pass?: string; inboxPrefix?: string } {
  return {
    ...(auth?.credentials ? { user: auth.credentials.user, pass: auth.credentials.password } : {}),
    ...(auth?.inboxPrefix ? { inboxPrefix: auth.inboxPrefix } : {}),
  };
}

/**
 * `servers` from a comma-separated NATS_URL. Both clients drop the `tls://` scheme and use TLS
 * only when the server asks for it; `tls: {}` makes them require it, so a `tls://` URL never
 * ends in a plain-text connection (the CA comes from Node's store, e.g. NODE_EXTRA_CA_CERTS).
 */
export function natsServerOptions(url: string): { servers: string[]; tls?: Record<string, never> } {
  const servers = url.split(',').map((server) => server.trim());
  return servers.some((server) => server.startsWith('tls://')) ? { servers, tls: {} } : { servers };
}

/**
 * What every NATS client of a service connects with, the `nats` v2 client under Nest's
 * transport as well as `@nats-io/transport-node`: servers, TLS, name and credentials, and no
 * async stack traces (with them every request and JetStream publish builds two Error objects
 * up front, a few per cent of a busy service's CPU; a timeout still says which subject).
 */
export function natsClientOptions({ url, name, auth }: NatsConnectionOptions) {
  return { ...natsServerOptions(url), name, noAsyncTraces: true, ...natsAuthOptions(auth) };
}

/**
 * Reconnects forever: a service outlives NATS restarts, and its readiness check reports
 * the outage meanwhile instead of the process dying.
 */
export function connectNats(options: NatsConnectionOptions): Promise<NatsConnection> {
  return connect({ ...natsClientOptions(options), maxReconnectAttempts: -1, reconnectTimeWait: 500 });
}
