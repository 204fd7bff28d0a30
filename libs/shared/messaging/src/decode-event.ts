import { describeProblems, EventEnvelope, findEventDefinition, subjectOf, validateEnvelope, validateEventData } from '@parking/contracts';

/** Why a message can never be handled, whatever the number of retries. */
export type PoisonKind = 'unparseable' | 'invalid_envelope' | 'unknown_type' | 'invalid_data' | 'handler_poison' | 'max_deliveries';

export type DecodedEvent = { ok: true; envelope: EventEnvelope } | { ok: false; kind: PoisonKind; reason: string };

/** What decoding needs of a message: a JetStream message or one of a batch. */
export interface EventMessage {
  data: Uint8Array;
  subject: string;
}

/**
 * Parse, check the envelope, find the type, check the data and the subject: consumers
 * validate too. With `expectedType`, any other (known) type is poison as well.
 */
export function decodeEvent(msg: EventMessage, expectedType?: string): DecodedEvent {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(msg.data).toString('utf8'));
  } catch (error) {
    return { ok: false, kind: 'unparseable', reason: `payload is not JSON: ${(error as Error).message}` };
  }
  const envelopeProblems = validateEnvelope(value);
  if (envelopeProblems.length > 0) {
    return { ok: false, kind: 'invalid_envelope', reason: `invalid envelope: ${describeProblems(envelopeProblems)}` };
  }
  const envelope = value as EventEnvelope;
  const def = findEventDefinition(envelope.type);
  if (!def) return { ok: false, kind: 'unknown_type', reason: `unknown event type ${envelope.type}` };
  if (expectedType !== undefined && envelope.type !== expectedType) {
    return { ok: false, kind: 'unknown_type', reason: `unexpected event type ${envelope.type} (expected ${expectedType})` };
  }
  const dataProblems = validateEventData(def, envelope.data);
  if (dataProblems.length > 0) {
    return { ok: false, kind: 'invalid_data', reason: `invalid data for ${envelope.type}: ${describeProblems(dataProblems)}` };
  }
  // Consumers filter by tenant on the subject: an envelope must not ride on another's subject.
  const expected = subjectOf(envelope);
  if (msg.subject !== expected && !msg.subject.endsWith(`.${expected}`)) {
    return { ok: false, kind: 'invalid_envelope', reason: `envelope belongs on ${expected}, not on ${msg.subject}` };
  }
  return { ok: true, envelope };
}
