import type { JetStreamClient } from '@nats-io/jetstream';
import { EventEnvelope, findEventDefinition, subjectOf, validateEnvelope, validateEventData } from '@parking/contracts';
import { injectTraceContext } from '@parking/observability';
import { EventValidationError } from './errors';
import { toNatsHeaders } from './headers';
import { asNamespace, Namespace } from '@parking/contracts';

export interface PublishAck {
  /** The stream that stored the message (namespaced name). */
  stream: string;
  /** Stream sequence of the stored message (of the first copy when `duplicate`). */
  seq: number;
  /** JetStream already held this `Nats-Msg-Id` within its duplicate window. */
  duplicate: boolean;
}

export interface RawPublishOptions {
  msgId: string;
  headers?: Record<string, string>;
}

/** Fails with the type and every problem; used before anything leaves the process. */
export function assertPublishable(envelope: EventEnvelope): void {
  const def = findEventDefinition(envelope.type);
  if (!def) throw new EventValidationError(envelope.type, [{ field: '/type', message: 'is not a registered event type' }]);
  const problems = [...validateEnvelope(envelope), ...validateEventData(def, envelope.data)];
  if (problems.length > 0) throw new EventValidationError(envelope.type, problems);
}

/**
 * Publishes to JetStream and waits for the stream's ack. Subjects are logical; the
 * publisher applies its namespace.
 */
export class EventPublisher {
  private readonly ns: Namespace;

  constructor(
    private readonly js: JetStreamClient,
    ns: Namespace | string = '',
  ) {
    this.ns = asNamespace(ns);
  }

  /** Validates, then publishes on `<type>.<tenantId>.<aggregateId>` with `Nats-Msg-Id` = id. */
  async publish(envelope: EventEnvelope, options: { headers?: Record<string, string> } = {}): Promise<PublishAck> {
    assertPublishable(envelope);
    const headers = { ...options.headers };
    injectTraceContext(headers);
    return this.publishRaw(subjectOf(envelope), Buffer.from(JSON.stringify(envelope)), { msgId: envelope.id, headers });
  }

  /** For bytes already validated or not events at all: outbox rows, dead letters. */
  async publishRaw(subject: string, payload: Uint8Array, options: RawPublishOptions): Promise<PublishAck> {
    const ack = await this.js.publish(this.ns.subject(subject), payload, {
      msgID: options.msgId,
      headers: toNatsHeaders(options.headers),
    });
    return { stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate };
  }
}
