import { subjectOf, type EventEnvelope } from '@parking/contracts';

/** A message as a batch consumer's handler sees it (messaging's BatchMessage, which this library cannot import). */
export interface BatchOfMessage {
  subject: string;
  data: Uint8Array;
  headers: Record<string, string>;
  streamSequence: number;
  deliveryCount: number;
}

/** Envelopes as a batch consumer receives them from JetStream, in this order. */
export function batchOf(envelopes: readonly EventEnvelope[]): BatchOfMessage[] {
  return envelopes.map((envelope, index) => ({ subject: subjectOf(envelope), data: Buffer.from(JSON.stringify(envelope)), headers: {}, streamSequence: index + 1, deliveryCount: 1 }));
}
