import { createHash } from 'node:crypto';
import { detectJsonFormat, normaliseV3, normaliseV4, type Normalised } from './normalise';
import { protobufToV4Json } from './protobuf';
import { isObject } from './read';
import { EVENT_KINDS, type EventKind, type ParseInput, type ParseResult, type ParsedEvent, type Problem } from './types';

/** Largest body accepted; ChirpStack events are a few kB. */
export const MAX_BODY_BYTES = 1024 * 1024;

const JSON_TYPES = new Set(['application/json', 'text/json']);
const PROTOBUF_TYPES = new Set(['application/octet-stream', 'application/protobuf', 'application/x-protobuf']);

function fail(problem: Problem): ParseResult {
  return { ok: false, problem };
}

function mediaType(contentType: unknown): string {
  if (typeof contentType !== 'string') return '';
  return contentType.split(';')[0].trim().toLowerCase();
}

function isEventKind(e: unknown): e is EventKind {
  return typeof e === 'string' && (EVENT_KINDS as readonly string[]).includes(e);
}

function result(n: Normalised): ParseResult {
  if (n.event) return { ok: true, event: n.event };
  return fail({
    code: 'VALIDATION_FAILED',
    detail: `The event is missing or has invalid fields: ${n.errors.map((e) => e.field).join(', ')}`,
    errors: n.errors,
  });
}

function parseUnsafe(input: ParseInput): ParseResult {
  const body: unknown = input?.body;
  if (!(body instanceof Uint8Array)) return fail({ code: 'BAD_REQUEST', detail: 'The request has no body' });
  // v3 published errors as `error` events; they normalise to `log`.
  const kind = input.event === 'error' ? 'log' : input.event;
  if (!isEventKind(kind)) {
    return fail({ code: 'BAD_REQUEST', detail: `Unknown event type; expected one of ${EVENT_KINDS.join(', ')}` });
  }
  if (body.length === 0) return fail({ code: 'BAD_REQUEST', detail: 'The request body is empty' });
  if (body.length > MAX_BODY_BYTES) return fail({ code: 'BAD_REQUEST', detail: 'The request body is too large' });

  const type = mediaType(input.contentType);
  if (type.endsWith('+json') || JSON_TYPES.has(type)) {
    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
    } catch {
      return fail({ code: 'BAD_REQUEST', detail: 'The body is not valid JSON' });
    }
    if (!isObject(json)) return fail({ code: 'BAD_REQUEST', detail: 'The body must be a JSON object' });
    const format = detectJsonFormat(json);
    if (format === 'v3-json-protobuf' || format === 'v3-json-legacy') return result(normaliseV3(kind, json, format));
    return result(normaliseV4(kind, json, 'v4-json'));
  }
  if (PROTOBUF_TYPES.has(type)) {
    let json;
    try {
      json = protobufToV4Json(kind, body);
    } catch {
      return fail({ code: 'BAD_REQUEST', detail: `The body is not a valid Protobuf ${kind} event` });
    }
    return result(normaliseV4(kind, json, 'v4-protobuf'));
  }
  return fail({
    code: 'UNSUPPORTED_MEDIA_TYPE',
    detail: 'Content-Type must be application/json or application/octet-stream (Protobuf)',
  });
}

/**
 * Read a ChirpStack HTTP-integration body (v4 JSON, v4 Protobuf, v3 JSON in either marshaler)
 * and normalise it. Never throws.
 */
export function parseChirpstackEvent(input: ParseInput): ParseResult {
  try {
    return parseUnsafe(input);
  } catch {
    return fail({ code: 'BAD_REQUEST', detail: 'The body could not be read' });
  }
}

/**
 * Deduplication key: `<event>:<deduplicationId>`, else `<event>:sha256:<hex of raw body>`.
 * The event kind is part of the key because status and ack share the uplink's deduplicationId.
 */
export function dedupKey(eventKind: string, parsed: Pick<ParsedEvent, 'deduplicationId'> | undefined, rawBody: Uint8Array): string {
  const id = parsed?.deduplicationId;
  if (id) return `${eventKind}:${id}`;
  return `${eventKind}:sha256:${createHash('sha256').update(rawBody).digest('hex')}`;
}
