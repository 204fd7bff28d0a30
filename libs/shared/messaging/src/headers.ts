// nats-core is transport-node's own core (same version); its root entry carries the types.
import { headers as natsHeaders, type MsgHdrs } from '@nats-io/nats-core';

export function toNatsHeaders(record: Record<string, string> | undefined): MsgHdrs {
  const h = natsHeaders();
  for (const [key, value] of Object.entries(record ?? {})) h.set(key, value);
  return h;
}

export function fromNatsHeaders(h: MsgHdrs | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  if (!h) return record;
  for (const key of h.keys()) record[key] = h.get(key);
  return record;
}
