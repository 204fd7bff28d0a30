import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { Namespace, STREAMS } from '@parking/contracts';

export interface StoredWebhook {
  seq: number;
  subject: string;
  headers: Record<string, string>;
  body: Buffer;
}

/** Every message of a namespace's WEBHOOKS stream, oldest first (an empty list when the stream does not exist yet). */
export async function storedWebhooks(nats: NatsConnection, namespace: string): Promise<StoredWebhook[]> {
  const jsm = await jetstreamManager(nats);
  const stream = new Namespace(namespace).stream(STREAMS.WEBHOOKS.name);
  const info = await jsm.streams.info(stream).catch(() => undefined);
  if (!info || info.state.messages === 0) return [];
  const stored: StoredWebhook[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
    const message = await jsm.streams.getMessage(stream, { seq });
    if (!message) continue;
    const headers: Record<string, string> = {};
    for (const key of message.header?.keys() ?? []) headers[key] = message.header.get(key);
    stored.push({ seq, subject: message.subject, headers, body: Buffer.from(message.data) });
  }
  return stored;
}
