import type { OkResponse, Page, PageRequest, TenantScopedRequest } from './identity-rpc';

// ---------------------------------------------------------------------------------------
// Webhook integrations (integrations:read / integrations:write)
// ---------------------------------------------------------------------------------------

export interface IntegrationRejection {
  at: string;
  /** A short machine word: `bad-token`, `bad-signature`, `bad-payload`, `too-large`, ... */
  reason: string;
}

export interface IntegrationView {
  id: string;
  name: string;
  /** Public part of the current token, `whk_<8 chars>`. */
  tokenPrefix: string;
  createdAt: string;
  rotatedAt: string | null;
  /** Until when the previous token and HMAC secret are still accepted, if a rotation is in grace. */
  previousValidUntil: string | null;
  lastReceivedAt: string | null;
  rejectedCount: number;
  /** The latest rejections, newest first (at most 20). */
  lastRejections: IntegrationRejection[];
}

export interface IntegrationSecretsResponse {
  integration: IntegrationView;
  /** Static bearer for ChirpStack's HTTP integration headers: `whk_<8 chars>_<secret>`. Shown once. */
  token: string;
  /** Base64url HMAC-SHA256 key for signed webhooks. Shown once. */
  hmacSecret: string;
}

/** `rpc.identity.v1.webhook-integrations.create`: 403 LIMIT_EXCEEDED (limit `integrations`). */
export interface CreateIntegrationRequest extends TenantScopedRequest {
  name: string;
}
export type CreateIntegrationResponse = IntegrationSecretsResponse;

export interface ListIntegrationsRequest extends TenantScopedRequest, PageRequest {}
export type ListIntegrationsResponse = Page<IntegrationView>;

export interface GetIntegrationRequest extends TenantScopedRequest {
  integrationId: string;
}
export type GetIntegrationResponse = IntegrationView;

/** Publishes `identity.webhook_integration.deleted.v1`. */
export interface DeleteIntegrationRequest extends TenantScopedRequest {
  integrationId: string;
}
export type DeleteIntegrationResponse = OkResponse;

/** New token and HMAC secret; the previous ones keep working for `graceSeconds` (0..604800, default 86400). */
export interface RotateIntegrationRequest extends TenantScopedRequest {
  integrationId: string;
  graceSeconds?: number;
}
export type RotateIntegrationResponse = IntegrationSecretsResponse;

/**
 * What the gateway needs to check a webhook without a round trip; the same shape travels in
 * `identity.webhook_integration.upserted.v1`. Tokens are SHA-256 hex of the whole token;
 * HMAC secrets are sealed with SECRETS_KEY (`@parking/secret-box`, no associated data).
 */
export interface IntegrationCredentials {
  id: string;
  tenantId: string;
  /** Current first; a previous one while its grace lasts. */
  tokens: Array<{ prefix: string; sha256: string; validUntil: string | null }>;
  hmacSecrets: Array<{ sealed: string; validUntil: string | null }>;
  /** False while the tenant is suspended: refuse its webhooks. */
  enabled: boolean;
}

export type IntegrationSnapshotRequest = Record<string, never>;
export interface IntegrationSnapshotResponse {
  integrations: IntegrationCredentials[];
  /** When the snapshot was read; apply events newer than this on top. */
  takenAt: string;
}

/** Batched delivery counters from the gateway; unknown ids are ignored. */
export interface ReportIntegrationDeliveriesRequest {
  reports: Array<{
    integrationId: string;
    tenantId: string;
    lastReceivedAt?: string;
    rejections: IntegrationRejection[];
  }>;
}
export type ReportIntegrationDeliveriesResponse = OkResponse;
