import type { EventType } from '../events/define-event';

/** CloudEvents 1.0, JSON format, with the `tenantid` extension attribute. */
export interface EventEnvelope<TData = unknown, TType extends string = EventType> {
  specversion: '1.0';
  /** uuid; also the `Nats-Msg-Id` and the inbox key. */
  id: string;
  /** `/parking/<service>` */
  source: string;
  type: TType;
  /** The aggregate id, also the last subject token. */
  subject: string;
  /** RFC 3339 */
  time: string;
  /** uuid of the tenant the event belongs to. */
  tenantid: string;
  datacontenttype: 'application/json';
  data: TData;
}

/** JSON Schema of the envelope; `data` is checked separately against the event's own schema. */
export const EVENT_ENVELOPE_SCHEMA = {
  $id: 'https://parking.example/schemas/event-envelope.json',
  title: 'EventEnvelope',
  description: 'CloudEvents 1.0 JSON envelope of every platform event',
  type: 'object',
  additionalProperties: false,
  required: ['specversion', 'id', 'source', 'type', 'subject', 'time', 'tenantid', 'datacontenttype', 'data'],
  properties: {
    specversion: { const: '1.0' },
    id: { type: 'string', format: 'uuid' },
    source: { type: 'string', pattern: '^/parking/[a-z][a-z0-9-]*$' },
    type: { type: 'string', pattern: '^[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*\\.v[1-9][0-9]*$' },
    subject: { type: 'string', minLength: 1, pattern: '^[^.*>\\s]+$', description: 'aggregate id (a NATS subject token)' },
    time: { type: 'string', format: 'date-time' },
    tenantid: { type: 'string', format: 'uuid' },
    datacontenttype: { const: 'application/json' },
    data: {},
  },
} as const;
