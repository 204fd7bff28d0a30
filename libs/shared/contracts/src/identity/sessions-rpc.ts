import type { CallerContext, OkResponse, TenantScopedRequest } from './identity-rpc';
import type { Permission, TenantRole } from './permissions';
import type { UsageLimits } from './usage-limits';

// ---------------------------------------------------------------------------------------
// Sessions: register, login, refresh, logout, me, jwks
// ---------------------------------------------------------------------------------------

export interface TokenPair {
  accessToken: string;
  tokenType: 'Bearer';
  /** Seconds until the access token expires. */
  expiresIn: number;
  /** Opaque, single use: every refresh returns a new one. */
  refreshToken: string;
  /** Seconds until the refresh token (and its family) expires. */
  refreshExpiresIn: number;
}

/** `rpc.identity.v1.auth.register`: a new tenant and its owner, signed in. 409 CONFLICT if the email or slug is taken. */
export interface RegisterRequest {
  email: string;
  /** 12..256 characters. */
  password: string;
  name: string;
  tenantName: string;
  /** `^[a-z0-9]+(-[a-z0-9]+)*$`, 3..63 characters, unique on the platform. */
  tenantSlug: string;
  caller: CallerContext;
}
export interface SessionResponse extends TokenPair {
  userId: string;
  tenantId: string;
}
export type RegisterResponse = SessionResponse;

/**
 * `rpc.identity.v1.auth.login`. Wrong password, unknown email and a locked (throttled)
 * account all answer 401 INVALID_CREDENTIALS with the same detail. A suspended tenant: 403 TENANT_SUSPENDED.
 */
export interface LoginRequest {
  email: string;
  password: string;
  caller: CallerContext;
}
export type LoginResponse = SessionResponse;

/** `rpc.identity.v1.auth.refresh`: rotates the refresh token. Unknown, expired, used or revoked: 401 INVALID_TOKEN (a used one also revokes its family). */
export interface RefreshRequest {
  refreshToken: string;
  caller: CallerContext;
}
export type RefreshResponse = SessionResponse;

/** `rpc.identity.v1.auth.logout`: revokes the token's whole family. Idempotent: an unknown token also answers ok. */
export interface LogoutRequest {
  refreshToken: string;
}
export type LogoutResponse = OkResponse;

/** `rpc.identity.v1.auth.me`: only for `principal.kind === 'user'`. */
export type MeRequest = TenantScopedRequest;
export interface MeResponse {
  user: { id: string; email: string; name: string; isPlatformAdmin: boolean };
  tenant: { id: string; name: string; slug: string; status: TenantStatus };
  role: TenantRole;
  permissions: Permission[];
  plan: { id: string; limits: UsageLimits };
  features: Record<string, boolean>;
}

export type TenantStatus = 'active' | 'suspended';

/** `rpc.identity.v1.jwks.get`: the public keys (current and recently retired) that verify access tokens. */
export type JwksRequest = Record<string, never>;
export interface JwksResponse {
  keys: Array<Record<string, unknown>>;
}
