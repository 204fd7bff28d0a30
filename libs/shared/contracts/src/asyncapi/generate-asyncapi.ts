import { createHash } from 'node:crypto';
import { createEnvelope } from '../envelope/create-envelope';
import { EVENT_ENVELOPE_SCHEMA } from '../envelope/envelope';
import type { EventDefinition, JsonSchema } from '../events/define-event';
import { EVENT_DEFINITIONS } from '../events/registry';

/** Examples must be identical on every run, or the committed document is always stale. */
const EXAMPLE_TENANT_ID = '6f1f7e52-3b0a-4d8e-9a53-2f6b0c1d9e41';
const EXAMPLE_TIME = '2025-03-01T09:30:00.000Z';

function stableUuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** `identity.tenant.created.v1` → `identityTenantCreatedV1`: AsyncAPI keys must not hold dots. */
function keyOf(type: string): string {
  return type.replace(/[._]([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

const { $id: _id, title: _title, ...envelopeSchema } = EVENT_ENVELOPE_SCHEMA;

function payloadSchema(def: EventDefinition): JsonSchema {
  return {
    ...envelopeSchema,
    title: def.type,
    properties: {
      ...envelopeSchema.properties,
      type: { const: def.type },
      subject: { ...envelopeSchema.properties.subject, description: `id of the ${def.aggregate}` },
      data: def.schema,
    },
  };
}

function message(def: EventDefinition): JsonSchema {
  const envelope = createEnvelope(def, {
    tenantId: EXAMPLE_TENANT_ID,
    aggregateId: def.exampleAggregateId ?? stableUuid(`${def.type}:aggregate`),
    data: def.example,
    source: `/parking/${def.domain === 'chirpstack' ? 'chirpstack-sync' : def.domain}`,
    id: stableUuid(def.type),
    time: EXAMPLE_TIME,
  });
  return {
    name: def.type,
    title: def.type,
    summary: def.description,
    contentType: 'application/json',
    headers: { $ref: '#/components/schemas/NatsHeaders' },
    payload: payloadSchema(def),
    examples: [{ name: 'example', headers: { 'Nats-Msg-Id': envelope.id }, payload: envelope }],
  };
}

/** The AsyncAPI 3.0 document of every registered event, generated from the registry alone. */
export function generateAsyncApi(definitions: readonly EventDefinition[] = EVENT_DEFINITIONS): JsonSchema {
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  for (const def of definitions) {
    const key = keyOf(def.type);
    channels[key] = {
      address: `${def.type}.{tenantId}.{aggregateId}`,
      description: def.description,
      parameters: {
        tenantId: { description: 'uuid of the tenant (the envelope `tenantid`)' },
        aggregateId: { description: `id of the ${def.aggregate} (the envelope \`subject\`)` },
      },
      messages: { [key]: { $ref: `#/components/messages/${key}` } },
    };
    operations[`publish${key[0].toUpperCase()}${key.slice(1)}`] = {
      action: 'send',
      summary: `The ${def.domain} service publishes ${def.type} (through its transactional outbox).`,
      channel: { $ref: `#/channels/${key}` },
      messages: [{ $ref: `#/channels/${key}/messages/${key}` }],
    };
    messages[key] = message(def);
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Parking platform domain events',
      version: '1.0.0',
      description:
        'Every event is a CloudEvents 1.0 JSON envelope on NATS JetStream, published on `<type>.<tenantId>.<aggregateId>` ' +
        'with `Nats-Msg-Id` = envelope id. Streams: one per domain (`identity.>`, `ingest.>`, …). ' +
        'Generated from @parking/contracts: run `npm run docs:asyncapi`.',
    },
    defaultContentType: 'application/json',
    servers: {
      local: { host: 'localhost:4222', protocol: 'nats', description: 'NATS with JetStream' },
    },
    channels,
    operations,
    components: {
      messages,
      schemas: {
        NatsHeaders: {
          type: 'object',
          properties: {
            'Nats-Msg-Id': { type: 'string', format: 'uuid', description: 'the envelope id; JetStream drops duplicates' },
            traceparent: { type: 'string', description: 'W3C trace context' },
          },
        },
      },
    },
  };
}

/** The document exactly as committed in docs/asyncapi.json. */
export function renderAsyncApi(): string {
  return `${JSON.stringify(generateAsyncApi(), null, 2)}\n`;
}
