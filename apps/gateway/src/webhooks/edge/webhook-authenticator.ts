import type { ErrorCode, RawWebhookAuth } from '@parking/contracts';
import { hmacKeyOf, hmacSha256, IntegrationDirectory, parseSignatureHeader, sameBytes, type IntegrationLookupKey } from '../../webhook-integrations';
import { webhookTokenPrefix } from '../../webhook-integrations/webhook-token';
import type { RejectionReason } from '../reporting/delivery-reporter';

/** How a route lets senders prove who they are. */
export type AuthScheme = 'bearer' | 'signature' | 'bearer-or-signature';

/** Who sent the webhook; `tenantId` is absent for the platform secret (the device registry tells it). */
export interface WebhookCaller {
  auth: RawWebhookAuth;
  integrationId?: string;
  tenantId?: string;
}

export interface AuthFailure {
  ok: false;
  status: 401 | 403;
  code: ErrorCode;
  detail: string;
  /** Set when the refusal can be charged to a known integration (its delivery report). */
  blame?: { integrationId: string; tenantId: string; reason: RejectionReason };
  /** Set when the integration is unknown here: identity may know it (created a moment ago). */
  lookup?: IntegrationLookupKey;
}

/** What the headers alone tell: a caller (bearer), a signature to check against the body, or a refusal. */
export type HeaderCheck = { ok: true; caller: WebhookCaller } | { ok: true; signature: { integrationId?: string; digest: Buffer } } | AuthFailure;

export const SIGNATURE_HEADER = 'x-signature';
export const INTEGRATION_ID_HEADER = 'x-integration-id';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const refuse = (detail: string, code: ErrorCode = 'INVALID_TOKEN', blame?: AuthFailure['blame'], lookup?: IntegrationLookupKey): AuthFailure => ({
  ok: false,
  status: 401,
  code,
  detail,
  blame,
  ...(lookup ? { lookup } : {}),
});

/**
 * Checks webhook credentials from memory: the integration's bearer token (what ChirpStack's
 * HTTP integration can send, as a static header), or an HMAC-SHA256 signature of the raw body
 * in `X-Signature` under the secret of the integration in `X-Integration-Id`, or under the
 * platform secret without that header. Digests are compared in constant time.
 */
export class WebhookAuthenticator {
  private readonly platformKey?: Buffer;

  constructor(
    private readonly directory: IntegrationDirectory,
    platformSecret: string | undefined,
  ) {
    this.platformKey = platformSecret ? hmacKeyOf(platformSecret) : undefined;
  }

  /** Runs before the body is read, so a sender without credentials is refused without it. */
  checkHeaders(scheme: AuthScheme, headers: Record<string, string | string[] | undefined>): HeaderCheck {
    const authorization = headers.authorization;
    if (scheme === 'bearer' || (scheme === 'bearer-or-signature' && authorization !== undefined)) return this.bearer(authorization, scheme);
    return this.signatureHeaders(headers, scheme);
  }

  /** The signature against the raw body, byte for byte as received. */
  verifySignature(signature: { integrationId?: string; digest: Buffer }, body: Buffer): { ok: true; caller: WebhookCaller } | AuthFailure {
    if (signature.integrationId === undefined) {
      if (this.platformKey && sameBytes(signature.digest, hmacSha256(this.platformKey, body))) return { ok: true, caller: { auth: 'platform-signature' } };
      return refuse('X-Signature does not match the body under the platform secret; sign the raw body byte for byte with HMAC-SHA256.');
    }
    const { integrationId } = signature;
    const check = this.directory.verifySignature(integrationId, body, signature.digest.toString('hex'));
    if (check.ok) return { ok: true, caller: { auth: 'signature', integrationId, tenantId: check.tenantId } };
    const tenantId = this.directory.tenantOf(integrationId);
    const blame = (reason: RejectionReason) => (tenantId ? { integrationId, tenantId, reason } : undefined);
    switch (check.reason) {
      case 'disabled':
        return { ok: false, status: 403, code: 'TENANT_SUSPENDED', detail: "The integration's tenant is suspended; its webhooks are refused.", blame: blame('disabled') };
      case 'secret-unavailable':
        return refuse('This gateway cannot check signatures of this integration (its INTEGRATION_SECRETS_KEY is missing or different); send the bearer token instead.', 'UNAUTHENTICATED');
      case 'expired':
        return refuse("X-Signature was made with the integration's previous secret, whose grace period is over; sign with the current secret.", 'INVALID_TOKEN', blame('bad-signature'));
      default:
        // Unknown integration and wrong signature read alike: ids are not secret, but nothing is gained by telling.
        return refuse(
          "X-Signature does not match the body under the secret of the integration in X-Integration-Id; sign the raw body byte for byte with HMAC-SHA256.",
          'INVALID_TOKEN',
          blame('bad-signature'),
          check.reason === 'unknown-integration' ? { integrationId } : undefined,
        );
    }
  }

  private bearer(authorization: string | string[] | undefined, scheme: AuthScheme): HeaderCheck {
    const match = typeof authorization === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(authorization) : null;
    if (!match) {
      const alternatives = scheme === 'bearer' ? '' : ', or sign the body (X-Signature)';
      return refuse(`Send the integration's token as "Authorization: Bearer whk_…"${alternatives}.`, 'UNAUTHENTICATED');
    }
    const token = match[1];
    const check = this.directory.authenticateBearer(token);
    if (check.ok) return { ok: true, caller: { auth: 'bearer', integrationId: check.integrationId, tenantId: check.tenantId } };
    const claimed = this.directory.claimedByToken(token);
    const blame = (reason: RejectionReason) => claimed && { ...claimed, reason };
    switch (check.reason) {
      case 'malformed-token':
        return refuse('The bearer token is not a webhook token; use the whk_… token shown when the integration was created or rotated.');
      case 'disabled':
        return { ok: false, status: 403, code: 'TENANT_SUSPENDED', detail: "The integration's tenant is suspended; its webhooks are refused.", blame: blame('disabled') };
      case 'expired':
        return refuse('The webhook token was replaced by a rotation and its grace period is over; use the current token.', 'INVALID_TOKEN', blame('expired-token'));
      default: {
        const tokenPrefix = check.reason === 'unknown-prefix' ? webhookTokenPrefix(token) : null;
        return refuse('The webhook token is not valid (unknown, deleted, or replaced by a rotation).', 'INVALID_TOKEN', blame('bad-token'), tokenPrefix ? { tokenPrefix } : undefined);
      }
    }
  }

  private signatureHeaders(headers: Record<string, string | string[] | undefined>, scheme: AuthScheme): HeaderCheck {
    const header = headers[SIGNATURE_HEADER];
    if (header === undefined) {
      const alternatives = scheme === 'signature' ? '' : ', or send "Authorization: Bearer whk_…"';
      return refuse(`Sign the raw body with HMAC-SHA256 and send its hex in X-Signature, with X-Integration-Id naming the integration${alternatives}.`, 'UNAUTHENTICATED');
    }
    const digest = parseSignatureHeader(header);
    if (!digest) return refuse('X-Signature must be the 64 hex digits of an HMAC-SHA256, optionally prefixed "sha256=".', 'UNAUTHENTICATED');
    const integrationId = headers[INTEGRATION_ID_HEADER];
    if (integrationId === undefined) {
      if (!this.platformKey) return refuse('X-Integration-Id is required: this gateway has no platform secret to check signatures without it.', 'UNAUTHENTICATED');
      return { ok: true, signature: { digest } };
    }
    if (typeof integrationId !== 'string' || !UUID.test(integrationId)) return refuse("X-Integration-Id must be the integration's id (a UUID).", 'UNAUTHENTICATED');
    return { ok: true, signature: { integrationId: integrationId.toLowerCase(), digest } };
  }
}
