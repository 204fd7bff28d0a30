import type { Permission, TenantRole } from './permissions';

/**
 * The authenticated caller the gateway puts on every request and passes with every
 * command: whoever it is, it acts for exactly one tenant (platform admins on their routes
 * act for none, and say so).
 */
export interface Principal {
  kind: 'user' | 'api-key';
  tenantId: string;
  /** `user:<uuid>` or `api-key:<uuid>`: what audit rows and logs name. */
  actor: string;
  userId?: string;
  apiKeyId?: string;
  /** A user's role in the tenant; API keys have none. */
  role?: TenantRole;
  /** What the caller may do: a role's permissions, or an API key's scopes. */
  permissions: Permission[];
  isPlatformAdmin: boolean;
}

/** Claims of the short-lived access JWT (ES256, `kid` in the header, 15 minutes). */
export interface AccessTokenClaims {
  iss: 'parking-identity';
  aud: 'parking-api';
  sub: string;
  tid: string;
  role: TenantRole;
  /** Present and true only for platform admins. */
  pa?: true;
  iat: number;
  exp: number;
  jti: string;
}

export const ACCESS_TOKEN_ISSUER = 'parking-identity';
export const ACCESS_TOKEN_AUDIENCE = 'parking-api';
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
