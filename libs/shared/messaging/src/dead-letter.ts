import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { deadLetters, messagesHandled } from '@parking/observability';
import { BackoffPolicy, redeliveryDelay } from './backoff';
import { errorMessage } from './errors';
import { fromNatsHeaders } from './headers';
import type { MessagingLogger } from './logger';

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

export interface DeadLetterTarget {
  js: JetStreamClient;
  /** Namespaced `deadletter.<service>.<consumer>`. */
  subject: string;
  consumer: string;
  backoff: BackoffPolicy;
  logger: MessagingLogger;
}

/**
 * What both consumer runners do with a message they give up on: store the dead letter,
 * then term it; if the dead letter cannot be stored, nak so it is tried again later.
 */
export async function deadLetterAndTerm(target: DeadLetterTarget, msg: JsMsg, kind: string, reason: string): Promise<void> {
  const { consumer } = target;
  try {
    await publishDeadLetter(target.js, target.subject, deadLetterRecord(msg, consumer, reason));
  } catch (error) {
    target.logger.error({ consumer, seq: msg.seq, err: errorMessage(error) }, 'dead letter not stored; will retry');
    msg.nak(redeliveryDelay(msg.info.deliveryCount, target.backoff));
    messagesHandled.inc({ consumer, outcome: 'nak' });
    return;
  }
  target.logger.warn({ consumer, seq: msg.seq, kind, reason }, 'message dead-lettered');
  // No reason argument: nats-server 2.9 ignores "+TERM <reason>" and would redeliver.
  msg.term();
  deadLetters.inc({ consumer, reason: kind });
  messagesHandled.inc({ consumer, outcome: 'term' });
}

