import { randomUUID } from 'node:crypto';
import type { EventDefinition, EventType } from '../events/define-event';
import { assertNatsToken } from '../nats-token';
import type { EventEnvelope } from './envelope';

export interface EnvelopeInput<TData> {
  tenantId: string;
  aggregateId: string;
  data: TData;
  /** `/parking/<service>` */
  source: string;
  id?: string;
  time?: Date | string;
}

/** Builds the envelope; it does not validate `data` (the publisher and the outbox do). */
export function createEnvelope<TData, TType extends EventType>(
  def: EventDefinition<TData, TType>,
  input: EnvelopeInput<TData>,
): EventEnvelope<TData, TType> {
  assertNatsToken(input.aggregateId, `Aggregate id of ${def.type}`);
  assertNatsToken(input.tenantId, `Tenant id of ${def.type}`);
  const time = input.time === undefined ? new Date() : input.time;
  return {
    specversion: '1.0',
    id: input.id ?? randomUUID(),
    source: input.source,
    type: def.type,
    subject: input.aggregateId,
    time: typeof time === 'string' ? time : time.toISOString(),
    tenantid: input.tenantId,
    datacontenttype: 'application/json',
    data: input.data,
  };
}

/** `/parking/<service>` */
export function sourceFor(service: string): string {
  return `/parking/${service}`;
}

/** The subject an envelope is published on: `<type>.<tenantId>.<aggregateId>`. */
export function subjectOf(envelope: Pick<EventEnvelope, 'type' | 'tenantid' | 'subject'>): string {
  assertNatsToken(envelope.subject, `Aggregate id of ${envelope.type}`);
  assertNatsToken(envelope.tenantid, `Tenant id of ${envelope.type}`);
  return `${envelope.type}.${envelope.tenantid}.${envelope.subject}`;
}
