import type { RpcContract } from '../rpc-contract';
import type { StreamName } from '../streams';

/** A contracts group such as `IDENTITY_RPC`: every command and query of one area, by name. */
export type RpcContractGroup = Readonly<Record<string, RpcContract<object, unknown>>>;

/** A durable pull consumer the service provisions and pulls (explicit ack). */
export interface DurableConsumerAccess {
  stream: StreamName;
  /** `<service>-<purpose>`, as the code names it. */
  durable: string;
  /** Logical filter subject (NATS 2.9: one per consumer). */
  filter: string;
}

/** An ordered (ephemeral, unacknowledged) consumer the service creates to follow part of a stream. */
export interface OrderedConsumerAccess {
  stream: StreamName;
  /** Logical filter subject; `*` stands for a token the code fills in (a tenant id). */
  filter: string;
}

/** A subject the service publishes into a stream it does not own. */
export interface StreamPublishAccess {
  stream: StreamName;
  subject: string;
}

/**
 * What one service does on NATS. Everything it may publish or subscribe is derived from
 * this (see `natsPermissionsOf`); anything not said here is refused by the server.
 */
export interface NatsServiceAccess {
  /** Answers `rpc.<service>.>` in its queue group (and replies to those requests only). */
  servesRpc: boolean;
  /** The contract groups whose commands and queries it sends. */
  calls: readonly RpcContractGroup[];
  /** Streams it publishes its own events to and keeps configured (creates, updates). */
  owns: readonly StreamName[];
  /** Subjects it publishes into streams it does not own (dead letters, republished webhooks). */
  publishesInto: readonly StreamPublishAccess[];
  /** Streams it creates when missing, so it can boot before their owner; it never changes them. */
  ensures: readonly StreamName[];
  durables: readonly DurableConsumerAccess[];
  follows: readonly OrderedConsumerAccess[];
  /** Streams whose stored messages it reads one at a time by sequence. */
  reads: readonly StreamName[];
}
