import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { fromNatsHeaders } from './headers';

/** What a dead letter says about the message the consumer gave up on. */
export interface DeadLetterRecord {
  originalSubject: string;
  stream: string;
  consumer: string;
  streamSequence: number;
  deliveries: number;
  reason: string;
  failedAt: string;
  headers: Record<string, string>;
  payload: string;
  payloadEncoding: 'utf8' | 'base64';
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function encodePayload(data: Uint8Array): Pick<DeadLetterRecord, 'payload' | 'payloadEncoding'> {
  try {
    return { payload: strictUtf8.decode(data), payloadEncoding: 'utf8' };
  } catch {
    return { payload: Buffer.from(data).toString('base64'), payloadEncoding: 'base64' };
  }
}

export function deadLetterRecord(msg: JsMsg, consumer: string, reason: string): DeadLetterRecord {
  return {
    originalSubject: msg.subject,
    stream: msg.info.stream,
    consumer,
    streamSequence: msg.seq,
    deliveries: msg.info.deliveryCount,
    reason,
    failedAt: new Date().toISOString(),
    headers: fromNatsHeaders(msg.headers),
    ...encodePayload(msg.data),
  };
}

/**
 * Publishes the dead letter and waits for JetStream's ack. The msgID is derived from the
 * original's stream position and the consumer, so retrying after a lost ack stores it once.
 */
export async function publishDeadLetter(js: JetStreamClient, subject: string, record: DeadLetterRecord): Promise<void> {
  await js.publish(subject, JSON.stringify(record), { msgID: `dl:${record.stream}:${record.consumer}:${record.streamSequence}` });
}
