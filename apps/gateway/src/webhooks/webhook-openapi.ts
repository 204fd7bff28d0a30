import type { OpenAPIObject } from '@nestjs/swagger';
import type { OperationObject, ParameterObject, ResponseObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { EVENT_KINDS } from '@parking/chirpstack-events';
import { WEBHOOK_BODY_LIMIT_BYTES, WEBHOOK_HEALTH_PATH, WEBHOOK_ROUTES, type WebhookRouteSpec } from './edge/webhook-route-specs';

const TAG = 'ChirpStack webhooks';

const problem = (description: string, status: number, code: string, detail: string, instance = '/api/v1/webhooks/chirpstack'): ResponseObject => ({
  description,
  content: {
    'application/problem+json': {
      schema: { $ref: '#/components/schemas/Problem' },
      example: { type: `/problems/${code.toLowerCase().replace(/_/g, '-')}`, title: description, status, detail, code, instance, requestId: '4f0c1f5e-2b7e-4c61-93c9-0c3c5b0d8a11' },
    },
  },
});

const RESPONSES: Record<string, ResponseObject> = {
  '200': {
    description: 'Durable: acknowledged by JetStream, or fsynced to the spool while NATS is unreachable',
    content: {
      'application/json': {
        schema: {
          type: 'object',
          required: ['status', 'durability'],
          properties: {
            status: { type: 'string', enum: ['accepted'] },
            durability: { type: 'string', enum: ['stream', 'spool'] },
            duplicate: { type: 'boolean', description: 'JetStream had this event already (same deduplicationId)' },
          },
        },
      },
    },
  },
  '400': problem('Missing or invalid fields (`errors` names them), an unknown `event`, or a body that cannot be read', 400, 'VALIDATION_FAILED', 'The event is missing or has invalid fields: deviceInfo.devEui'),
  '401': problem('Missing or invalid token or signature (see WWW-Authenticate); nothing was stored', 401, 'INVALID_TOKEN', 'The webhook token is not valid (unknown, deleted, or replaced by a rotation).'),
  '403': problem("The integration's tenant is suspended", 403, 'TENANT_SUSPENDED', "The integration's tenant is suspended; its webhooks are refused."),
  '413': problem(`The body is larger than ${WEBHOOK_BODY_LIMIT_BYTES} bytes`, 413, 'PAYLOAD_TOO_LARGE', `The body is larger than ${WEBHOOK_BODY_LIMIT_BYTES} bytes (64 KiB), the most a webhook may carry.`),
  '415': problem('Content-Type is neither application/json nor application/octet-stream (Protobuf)', 415, 'UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json or application/octet-stream (Protobuf)'),
  '429': problem('The integration sent more webhooks per minute than allowed (see Retry-After)', 429, 'RATE_LIMITED', 'More webhooks than this integration may send (per minute); retry in 1 s.'),
  '503': problem('NATS is unreachable and the spool is full or unwritable (see Retry-After); nothing was stored', 503, 'UNAVAILABLE', 'The webhook could not be stored: NATS is unreachable and the spool is full. Retry in 30 s.'),
};

const BEARER = "Authenticate with the integration's token: `Authorization: Bearer whk_…` (a static header of ChirpStack's HTTP integration).";
const SIGNATURE = "Authenticate by signing the raw body: `X-Signature` = hex HMAC-SHA256 under the secret of the integration in `X-Integration-Id`, or under the platform secret without that header.";
const AUTHENTICATION: Record<WebhookRouteSpec['auth'], string> = {
  bearer: BEARER,
  signature: SIGNATURE,
  'bearer-or-signature': `${BEARER} Or: ${SIGNATURE}`,
};

const HEADER = (name: string, description: string, required = false): ParameterObject => ({ name, in: 'header', required, description, schema: { type: 'string' } });

function operation(spec: WebhookRouteSpec): OperationObject {
  const parameters: ParameterObject[] = [];
  if ('query' in spec.event) {
    parameters.push({
      name: 'event',
      in: 'query',
      required: spec.event.query === 'required',
      description: spec.event.query === 'optional' ? `Default ${spec.event.default}.` : 'The ChirpStack event type (v3 `error` is read as `log`).',
      schema: { type: 'string', enum: [...EVENT_KINDS, 'error'] },
    });
  }
  if (spec.auth !== 'bearer') {
    parameters.push(HEADER('X-Signature', 'Hex HMAC-SHA256 of the raw body, optionally prefixed `sha256=`.', spec.auth === 'signature'));
    parameters.push(HEADER('X-Integration-Id', "The integration whose secret signed the body; without it the platform secret (WEBHOOK_PLATFORM_SECRET) is used and the tenant is found from the device."));
  }
  return {
    tags: [TAG],
    summary: spec.summary,
    description:
      `${AUTHENTICATION[spec.auth]} Answered 200 only once the event is durable. The body is kept byte for byte (at most 64 KiB): ChirpStack v4 JSON or Protobuf, or v3 JSON. ` +
      'Unknown fields are ignored. Not subject to per-address rate limits; each integration has its own per-minute ceiling.',
    operationId: `webhook_${spec.name.replace(/-/g, '_')}`,
    // Not the API's access tokens or keys: the integration's own credentials, described above.
    security: [],
    parameters,
    requestBody: {
      required: true,
      content: {
        'application/json': { schema: { type: 'object', additionalProperties: true, description: 'ChirpStack event (protobuf JSON mapping, or v3 JSON)' } },
        'application/octet-stream': { schema: { type: 'string', format: 'binary', description: 'ChirpStack v4 integration event, Protobuf' } },
      },
    },
    responses: RESPONSES,
  };
}

/** The webhook routes live outside Nest's controllers (see WebhookRoutes), so they are described here by hand. */
export function addWebhookPaths(document: OpenAPIObject): OpenAPIObject {
  const paths = { ...document.paths };
  for (const spec of WEBHOOK_ROUTES) paths[spec.url] = { post: operation(spec) };
  paths[WEBHOOK_HEALTH_PATH] = {
    get: {
      tags: [TAG],
      summary: 'Whether webhooks can be made durable now',
      description:
        'Public: no credentials needed. 200 with the NATS connection and the spool (events, bytes, capacity, age of the oldest spooled event) while a webhook sent now would be made durable: NATS is connected, or the spool has room. ' +
        'Otherwise 503 problem+json with the same fields as extension members and Retry-After: 30, and webhooks sent meanwhile are refused with 503 too.',
      operationId: 'webhook_health',
      security: [],
      responses: {
        '200': { description: 'NATS is connected, or the spool has room', content: { 'application/json': { schema: { $ref: '#/components/schemas/WebhookHealth' } } } },
        '503': problem('Neither NATS nor the spool can take webhooks (the health fields come as extension members)', 503, 'UNAVAILABLE', 'NATS is not connected and the webhook spool is full.', WEBHOOK_HEALTH_PATH),
      },
    },
  };
  return {
    ...document,
    paths,
    tags: [...(document.tags ?? []), { name: TAG, description: 'Events pushed by ChirpStack HTTP integrations (and V5-compatible signed senders)' }],
    components: {
      ...document.components,
      schemas: {
        ...document.components?.schemas,
        WebhookHealth: {
          type: 'object',
          required: ['accepting', 'nats', 'spool'],
          properties: {
            accepting: { type: 'boolean' },
            nats: { type: 'object', properties: { connected: { type: 'boolean' }, streamReady: { type: 'boolean' } } },
            spool: {
              type: 'object',
              properties: {
                available: { type: 'boolean' },
                full: { type: 'boolean' },
                events: { type: 'integer' },
                bytes: { type: 'integer' },
                capacityBytes: { type: 'integer' },
                oldestAgeSeconds: { type: ['integer', 'null'] as unknown as 'integer', description: 'null when the spool is empty' },
              },
            },
          },
        },
      },
    },
  };
}
