/**
 * A ChirpStack webhook as the gateway made it durable: the request body, byte for byte, as
 * the JetStream message data, and what the edge learned in headers. The ingest service
 * parses the body again (it trusts nothing but the authenticated tenant).
 */
export const RAW_WEBHOOK_SUBJECT_ROOT = 'webhook.chirpstack';

/** Tenant token of a raw webhook whose tenant the device registry must tell (platform secret). */
export const PLATFORM_TENANT_TOKEN = '_platform';

/** `webhook.chirpstack.<event>.<tenantId | _platform>` */
export function rawWebhookSubject(event: string, tenantId: string | undefined): string {
  return `${RAW_WEBHOOK_SUBJECT_ROOT}.${event}.${tenantId ?? PLATFORM_TENANT_TOKEN}`;
}

/** How the sender proved who it is. */
export type RawWebhookAuth = 'bearer' | 'signature' | 'platform-signature';

export const RAW_WEBHOOK_HEADERS = {
  /**
   * `<tenantId | _platform>:<integrationId | _>:<event>:<deduplicationId>`, or with
   * `<event>:sha256:<hex of body>` at the end without one: scoped by who sent it, so two tenants'
   * events never dedupe each other.
   */
  msgId: 'Nats-Msg-Id',
  contentType: 'Content-Type',
  /** up | join | ack | txack | log | status | location | integration */
  event: 'Parking-Event',
  /** Absent when the platform secret signed it: the device registry tells the tenant. */
  tenantId: 'Parking-Tenant-Id',
  integrationId: 'Parking-Integration-Id',
  auth: 'Parking-Auth',
  /** RFC 3339 with milliseconds: when the gateway accepted the request. */
  receivedAt: 'Parking-Received-At',
  /** Set when the event came back out of the gateway's spool. */
  spooled: 'Parking-Spooled',
} as const;

export interface RawWebhookMeta {
  msgId: string;
  contentType: string;
  event: string;
  tenantId?: string;
  integrationId?: string;
  auth: RawWebhookAuth;
  receivedAt: string;
  spooled?: boolean;
}

export function rawWebhookHeaders(meta: RawWebhookMeta): Record<string, string> {
  const h: Record<string, string> = {
    [RAW_WEBHOOK_HEADERS.msgId]: meta.msgId,
    [RAW_WEBHOOK_HEADERS.contentType]: meta.contentType,
    [RAW_WEBHOOK_HEADERS.event]: meta.event,
    [RAW_WEBHOOK_HEADERS.auth]: meta.auth,
    [RAW_WEBHOOK_HEADERS.receivedAt]: meta.receivedAt,
  };
  if (meta.tenantId) h[RAW_WEBHOOK_HEADERS.tenantId] = meta.tenantId;
  if (meta.integrationId) h[RAW_WEBHOOK_HEADERS.integrationId] = meta.integrationId;
  if (meta.spooled) h[RAW_WEBHOOK_HEADERS.spooled] = 'true';
  return h;
}

/** Reads the headers back; undefined when a required one is missing (a poison message). */
export function readRawWebhookMeta(headers: Record<string, string>): RawWebhookMeta | undefined {
  const get = (name: string): string | undefined => headers[name] ?? headers[name.toLowerCase()];
  const msgId = get(RAW_WEBHOOK_HEADERS.msgId);
  const event = get(RAW_WEBHOOK_HEADERS.event);
  const auth = get(RAW_WEBHOOK_HEADERS.auth) as RawWebhookAuth | undefined;
  const receivedAt = get(RAW_WEBHOOK_HEADERS.receivedAt);
  if (!msgId || !event || !auth || !receivedAt) return undefined;
  return {
    msgId,
    event,
    auth,
    receivedAt,
    contentType: get(RAW_WEBHOOK_HEADERS.contentType) ?? 'application/json',
    tenantId: get(RAW_WEBHOOK_HEADERS.tenantId),
    integrationId: get(RAW_WEBHOOK_HEADERS.integrationId),
    spooled: get(RAW_WEBHOOK_HEADERS.spooled) === 'true',
  };
}
