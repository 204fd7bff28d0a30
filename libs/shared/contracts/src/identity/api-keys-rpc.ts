import type { Page, PageRequest, TenantScopedRequest } from './identity-rpc';
import type { Permission } from './permissions';
import type { Principal } from './principal';

// ---------------------------------------------------------------------------------------
// API keys (api-keys:read / api-keys:write)
// ---------------------------------------------------------------------------------------

export interface ApiKeyView {
  id: string;
  name: string;
  /** The public part, `pk_live_<8 chars>`: shown in lists so a key can be recognised. */
  prefix: string;
  scopes: Permission[];
  createdBy: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/**
 * `rpc.identity.v1.api-keys.create`: `scopes` must be a subset of the caller's permissions
 * (403 FORBIDDEN naming the extra ones); 403 LIMIT_EXCEEDED (limit `apiKeys`).
 */
export interface CreateApiKeyRequest extends TenantScopedRequest {
  name: string;
  scopes: Permission[];
  /** RFC 3339, in the future. */
  expiresAt?: string | null;
}
export interface ApiKeySecretResponse {
  apiKey: ApiKeyView;
  /** `pk_live_<8 chars>_<secret>`; shown this once, never stored. */
  key: string;
}
export type CreateApiKeyResponse = ApiKeySecretResponse;

/** `rpc.identity.v1.api-keys.list`: active and revoked keys, newest first, without secrets. */
export interface ListApiKeysRequest extends TenantScopedRequest, PageRequest {}
export type ListApiKeysResponse = Page<ApiKeyView>;

/** `rpc.identity.v1.api-keys.revoke`: idempotent. */
export interface RevokeApiKeyRequest extends TenantScopedRequest {
  apiKeyId: string;
}
export type RevokeApiKeyResponse = ApiKeyView;

/** `rpc.identity.v1.api-keys.rotate`: a new key with the same name, scopes and expiry; the old one is revoked at once. */
export interface RotateApiKeyRequest extends TenantScopedRequest {
  apiKeyId: string;
}
export type RotateApiKeyResponse = ApiKeySecretResponse;

/**
 * `rpc.identity.v1.api-keys.authenticate`: for the gateway, on every request that carries a
 * key. Unknown, revoked, expired, or of a suspended tenant: 401 UNAUTHENTICATED (one detail for all).
 */
export interface AuthenticateApiKeyRequest {
  /** The presented secret, as sent; identity hashes it and finds the key by its prefix. */
  key: string;
}
export interface AuthenticateApiKeyResponse {
  principal: Principal;
}
