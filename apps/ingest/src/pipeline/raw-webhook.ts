import { dedupKey, parseChirpstackEvent, type ParsedEvent } from '@parking/chirpstack-events';
import { PLATFORM_TENANT_TOKEN, RAW_WEBHOOK_SUBJECT_ROOT, readRawWebhookMeta, type RawWebhookMeta } from '@parking/contracts';
import type { BatchMessage } from '@parking/messaging';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A raw webhook read back from the WEBHOOKS stream, ready for the pipeline. */
export interface RawWebhook {
  message: BatchMessage;
  meta: RawWebhookMeta;
  event: ParsedEvent;
  /** `<event>:<deduplicationId>` or `<event>:sha256:<hex>`; what makes a redelivery a no-op. */
  dedupKey: string;
  /** The authenticated tenant; undefined when the platform secret signed it (the registry tells). */
  tenantId?: string;
  receivedAt: Date;
}

export type ReadResult = { ok: true; webhook: RawWebhook } | { ok: false; reason: string };

/** The tenant token of `…webhook.chirpstack.<event>.<tenant>` (the namespace may prefix it). */
function subjectTenant(subject: string): string | undefined {
  const at = subject.indexOf(`${RAW_WEBHOOK_SUBJECT_ROOT}.`);
  if (at < 0) return undefined;
  const tokens = subject.slice(at).split('.');
  return tokens.length === 4 ? tokens[3] : undefined;
}

/**
 * Reads headers and body the way the gateway wrote them. Whatever fails here can never
 * succeed on a retry, so the reason goes to the dead letters.
 */
export function readRawWebhook(message: BatchMessage): ReadResult {
  const meta = readRawWebhookMeta(message.headers);
  if (!meta) return { ok: false, reason: 'missing raw-webhook headers (Nats-Msg-Id, Parking-Event, Parking-Auth, Parking-Received-At are required)' };
  const token = subjectTenant(message.subject);
  if (!token) return { ok: false, reason: `subject ${message.subject} is not webhook.chirpstack.<event>.<tenant>` };
  let tenantId: string | undefined;
  if (token !== PLATFORM_TENANT_TOKEN) {
    if (!UUID.test(token)) return { ok: false, reason: `subject tenant token "${token.slice(0, 64)}" is neither a tenant id nor ${PLATFORM_TENANT_TOKEN}` };
    if (meta.tenantId && meta.tenantId.toLowerCase() !== token.toLowerCase()) return { ok: false, reason: 'Parking-Tenant-Id does not match the subject tenant' };
    tenantId = token.toLowerCase();
  }
  const receivedAt = new Date(meta.receivedAt);
  if (Number.isNaN(receivedAt.getTime())) return { ok: false, reason: 'Parking-Received-At is not an RFC 3339 time' };
  const parsed = parseChirpstackEvent({ event: meta.event, contentType: meta.contentType, body: message.data });
  if (!parsed.ok) {
    const fields = parsed.problem.errors?.map((e) => `${e.field}: ${e.message}`).join('; ');
    return { ok: false, reason: `unparseable ${meta.event} body (${parsed.problem.code}): ${parsed.problem.detail}${fields ? ` [${fields}]` : ''}` };
  }
  return {
    ok: true,
    webhook: { message, meta, event: parsed.event, dedupKey: dedupKey(meta.event, parsed.event, message.data), tenantId, receivedAt },
  };
}
