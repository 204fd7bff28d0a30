import type { Principal } from './principal';
import type { TenantRole, Permission } from './permissions';

/**
 * Commands and queries the identity service answers over NATS request/reply. The gateway
 * validates HTTP input, then sends these; identity validates again (it trusts no caller).
 * Every tenant-scoped request carries the caller's `principal`.
 */
export const IDENTITY_RPC = {
  register: 'rpc.identity.v1.auth.register',
  login: 'rpc.identity.v1.auth.login',
  refresh: 'rpc.identity.v1.auth.refresh',
  logout: 'rpc.identity.v1.auth.logout',
  me: 'rpc.identity.v1.auth.me',
  jwks: 'rpc.identity.v1.jwks.get',
  requestPasswordReset: 'rpc.identity.v1.password-reset.request',
  confirmPasswordReset: 'rpc.identity.v1.password-reset.confirm',
  inviteUser: 'rpc.identity.v1.invitations.create',
  acceptInvitation: 'rpc.identity.v1.invitations.accept',
  listUsers: 'rpc.identity.v1.users.list',
  changeRole: 'rpc.identity.v1.users.change-role',
  removeUser: 'rpc.identity.v1.users.remove',
  createApiKey: 'rpc.identity.v1.api-keys.create',
  listApiKeys: 'rpc.identity.v1.api-keys.list',
  revokeApiKey: 'rpc.identity.v1.api-keys.revoke',
  rotateApiKey: 'rpc.identity.v1.api-keys.rotate',
  authenticateApiKey: 'rpc.identity.v1.api-keys.authenticate',
  createIntegration: 'rpc.identity.v1.webhook-integrations.create',
  listIntegrations: 'rpc.identity.v1.webhook-integrations.list',
  getIntegration: 'rpc.identity.v1.webhook-integrations.get',
  deleteIntegration: 'rpc.identity.v1.webhook-integrations.delete',
  rotateIntegration: 'rpc.identity.v1.webhook-integrations.rotate',
  integrationSnapshot: 'rpc.identity.v1.webhook-integrations.snapshot',
  adminListTenants: 'rpc.identity.v1.admin.tenants.list',
  adminSuspendTenant: 'rpc.identity.v1.admin.tenants.suspend',
  adminSetPlan: 'rpc.identity.v1.admin.tenants.set-plan',
  adminSetLimits: 'rpc.identity.v1.admin.tenants.set-limits',
  adminSetFeatures: 'rpc.identity.v1.admin.tenants.set-features',
  adminListAudit: 'rpc.identity.v1.admin.audit.list',
} as const;

/** The client's address and agent, for login throttling and audit. */
export interface CallerContext {
  ip: string;
  userAgent?: string;
}

export interface TokenPair {
  accessToken: string;
  tokenType: 'Bearer';
  /** Seconds until the access token expires. */
  expiresIn: number;
  /** Opaque, single use: every refresh returns a new one. */
  refreshToken: string;
}

export interface RegisterRequest {
  email: string;
  password: string;
  name: string;
  tenantName: string;
  tenantSlug: string;
  caller: CallerContext;
}
export interface RegisterResponse extends TokenPair {
  userId: string;
  tenantId: string;
}

export interface LoginRequest {
  email: string;
  password: string;
  caller: CallerContext;
}

export interface RefreshRequest {
  refreshToken: string;
  caller: CallerContext;
}

export interface LogoutRequest {
  refreshToken: string;
}

export interface TenantScopedRequest {
  principal: Principal;
}

export interface MeResponse {
  user: { id: string; email: string; name: string; isPlatformAdmin: boolean };
  tenant: { id: string; name: string; slug: string; status: 'active' | 'suspended' };
  role: TenantRole;
  permissions: Permission[];
  plan: { id: string; limits: UsageLimits };
  features: Record<string, boolean>;
}

/** Limits of a tenant's plan; `null` is unlimited. */
export interface UsageLimits {
  users: number | null;
  apiKeys: number | null;
  integrations: number | null;
  sites: number | null;
  spaces: number | null;
  devices: number | null;
  apiRequestsPerMinute: number | null;
  reservationsPerMonth: number | null;
}

export interface JwksResponse {
  keys: Array<Record<string, unknown>>;
}

export interface AuthenticateApiKeyRequest {
  /** The presented secret, as sent; identity hashes it and finds the key by its prefix. */
  key: string;
}
export interface AuthenticateApiKeyResponse {
  principal: Principal;
}

/** One page of a list: pass `nextCursor` back as `cursor` for the next. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
export interface PageRequest {
  cursor?: string;
  /** 1..200, default 50. */
  limit?: number;
}
