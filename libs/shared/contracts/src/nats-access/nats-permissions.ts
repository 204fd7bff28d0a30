import { asNamespace, type Namespace } from '../namespace';
import { STREAMS, type StreamName } from '../streams';
import { natsAccessOf } from './platform-access';
import type { NatsServiceAccess } from './service-access';

/** What a NATS user may do: the `permissions` block of its entry in the server's authorization. */
export interface NatsPermissions {
  publish: string[];
  subscribe: string[];
  /** May answer the requests it received (once each): RPC servers only. */
  allowResponses: boolean;
}

/**
 * Each service's private reply subjects: `_INBOX_<service>` (`_INBOX_<ns>_<service>` in a
 * namespace). Its clients set it as `inboxPrefix`, and only its user may subscribe to it, so no
 * service can read another's replies (the default `_INBOX.` is nobody's).
 */
export function natsInboxPrefix(service: string, namespace: Namespace | string = ''): string {
  const ns = asNamespace(namespace);
  return ns.prefix ? `_INBOX_${ns.prefix}_${service}` : `_INBOX_${service}`;
}

/** The JetStream API (v1 ack subjects, as nats-server 2.9 and 2.10 send them). */
const api = {
  info: '$JS.API.INFO',
  streamCreate: (s: string) => `$JS.API.STREAM.CREATE.${s}`,
  streamUpdate: (s: string) => `$JS.API.STREAM.UPDATE.${s}`,
  streamInfo: (s: string) => `$JS.API.STREAM.INFO.${s}`,
  streamMessage: (s: string) => `$JS.API.STREAM.MSG.GET.${s}`,
  // The client puts the one filter subject into the create subject and the server holds the
  // request to it, so a create permission limits what the consumer may see.
  consumerCreate: (s: string, name: string, filter: string) => `$JS.API.CONSUMER.CREATE.${s}.${name}.${filter}`,
  consumerInfo: (s: string, name: string) => `$JS.API.CONSUMER.INFO.${s}.${name}`,
  consumerNext: (s: string, name: string) => `$JS.API.CONSUMER.MSG.NEXT.${s}.${name}`,
  ack: (s: string, name: string) => `$JS.ACK.${s}.${name}.>`,
};

/**
 * The publish and subscribe allow lists of one service, in a namespace. Consumer and stream
 * management is limited to the streams it names: it may create its consumers but never delete
 * a stream or a consumer, and may change only the configuration of the streams it owns.
 */
export function natsPermissionsOf(service: string, namespace: Namespace | string = '', access: NatsServiceAccess = natsAccessOf(service)): NatsPermissions {
  const ns = asNamespace(namespace);
  const stream = (name: StreamName) => ns.stream(STREAMS[name].name);
  const publish = new Set<string>([api.info]);
  const subscribe = new Set<string>([`${natsInboxPrefix(service, ns)}.>`]);

  if (access.servesRpc) subscribe.add(ns.subject(`rpc.${service}.>`));
  for (const group of access.calls) for (const contract of Object.values(group)) publish.add(ns.subject(contract.subject));
  for (const name of access.owns) {
    for (const subject of STREAMS[name].subjects) publish.add(ns.subject(subject));
    [api.streamInfo, api.streamCreate, api.streamUpdate].forEach((subject) => publish.add(subject(stream(name))));
  }
  for (const target of access.publishesInto) publish.add(ns.subject(target.subject));
  for (const name of access.ensures) [api.streamInfo, api.streamCreate].forEach((subject) => publish.add(subject(stream(name))));
  for (const name of access.reads) [api.streamInfo, api.streamMessage].forEach((subject) => publish.add(subject(stream(name))));
  for (const durable of access.durables) {
    const s = stream(durable.stream);
    publish.add(api.consumerCreate(s, durable.durable, ns.subject(durable.filter)));
    publish.add(api.consumerInfo(s, durable.durable));
    publish.add(api.consumerNext(s, durable.durable));
    publish.add(api.ack(s, durable.durable));
  }
  for (const followed of access.follows) {
    // Ordered consumers get random names: any name, but only with the declared filter, and
    // no ack subjects (they ack nothing). The stream's info tells where to start.
    const s = stream(followed.stream);
    publish.add(api.streamInfo(s));
    publish.add(api.consumerCreate(s, '*', ns.subject(followed.filter)));
    publish.add(api.consumerInfo(s, '*'));
    publish.add(api.consumerNext(s, '*'));
  }
  return { publish: [...publish], subscribe: [...subscribe], allowResponses: access.servesRpc };
}
