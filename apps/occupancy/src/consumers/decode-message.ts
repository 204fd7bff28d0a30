import { describeProblems, EventEnvelope, findEventDefinition, subjectOf, validateEnvelope, validateEventData } from '@parking/contracts';
import type { BatchMessage } from '@parking/messaging';

export type DecodedMessage = { ok: true; envelope: EventEnvelope } | { ok: false; reason: string };

/** The checks the per-event runner makes, for a batch: JSON, envelope, known type, data, subject. */
export function decodeMessage(message: BatchMessage, expectedType: string): DecodedMessage {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(message.data).toString('utf8'));
  } catch (error) {
    return { ok: false, reason: `payload is not JSON: ${(error as Error).message}` };
  }
  const envelopeProblems = validateEnvelope(value);
  if (envelopeProblems.length > 0) return { ok: false, reason: `invalid envelope: ${describeProblems(envelopeProblems)}` };
  const envelope = value as EventEnvelope;
  const def = findEventDefinition(envelope.type);
  if (!def || envelope.type !== expectedType) return { ok: false, reason: `unexpected event type ${envelope.type}` };
  const dataProblems = validateEventData(def, envelope.data);
  if (dataProblems.length > 0) return { ok: false, reason: `invalid data for ${envelope.type}: ${describeProblems(dataProblems)}` };
  // Consumers filter by tenant on the subject: an envelope must not ride on another's subject.
  const expected = subjectOf(envelope);
  if (message.subject !== expected && !message.subject.endsWith(`.${expected}`)) {
    return { ok: false, reason: `envelope belongs on ${expected}, not on ${message.subject}` };
  }
  return { ok: true, envelope };
}
