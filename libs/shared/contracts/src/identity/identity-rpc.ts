import type { Principal } from './principal';
import type { TenantRole, Permission } from './permissions';
import type { UsageLimits } from './usage-limits';

/**
 * Commands and queries the identity service answers over NATS request/reply. The gateway
 * validates HTTP input, then sends these; identity validates again (it trusts no caller).
 * Every tenant-scoped request carries the caller's `principal`; identity checks the
 * permission it needs (see docs/permissions.md) against it and, for users, against the
 * role the database holds now.
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
  /** The gateway reports what it accepted and refused per integration (batched, fire and forget). */
  reportIntegrationDeliveries: 'rpc.identity.v1.webhook-integrations.report-deliveries',
  adminListTenants: 'rpc.identity.v1.admin.tenants.list',
  adminSuspendTenant: 'rpc.identity.v1.admin.tenants.suspend',
  adminSetPlan: 'rpc.identity.v1.admin.tenants.set-plan',
  adminSetLimits: 'rpc.identity.v1.admin.tenants.set-limits',
  adminSetFeatures: 'rpc.identity.v1.admin.tenants.set-features',
  adminListAudit: 'rpc.identity.v1.admin.audit.list',
} as const;

export type IdentityRpcSubject = (typeof IDENTITY_RPC)[keyof typeof IDENTITY_RPC];

/** The client's address and agent, for login throttling and audit. */
export interface CallerContext {
  ip: string;
  userAgent?: string;
}

/** The reply of commands that have nothing else to say. */
export interface OkResponse {
  ok: true;
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

export interface TenantScopedRequest {
  principal: Principal;
}

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

// ---------------------------------------------------------------------------------------
// Password reset
// ---------------------------------------------------------------------------------------

/** `rpc.identity.v1.password-reset.request`: always `{accepted: true}`, whether or not the email exists. */
export interface RequestPasswordResetRequest {
  email: string;
  caller: CallerContext;
}
export interface AcceptedResponse {
  accepted: true;
}
export type RequestPasswordResetResponse = AcceptedResponse;

/** `rpc.identity.v1.password-reset.confirm`: single use; revokes every session of the user. Bad or used token: 401 INVALID_TOKEN. */
export interface ConfirmPasswordResetRequest {
  token: string;
  newPassword: string;
  caller: CallerContext;
}
export type ConfirmPasswordResetResponse = OkResponse;

// ---------------------------------------------------------------------------------------
// Users and invitations (permission users:read / users:write)
// ---------------------------------------------------------------------------------------

export interface TenantUserView {
  id: string;
  email: string;
  name: string;
  role: TenantRole;
  createdAt: string;
  lastLoginAt: string | null;
}

export interface InvitationView {
  id: string;
  email: string;
  role: TenantRole;
  /** RFC 3339 */
  expiresAt: string;
  createdAt: string;
}

/**
 * `rpc.identity.v1.invitations.create` (users:write): mails a single-use link. Only an owner
 * may invite an owner. 409 CONFLICT if the email already has an account; 403 LIMIT_EXCEEDED
 * (limit `users`) when users + open invitations would pass the plan.
 */
export interface InviteUserRequest extends TenantScopedRequest {
  email: string;
  role: TenantRole;
}
export type InviteUserResponse = InvitationView;

/** `rpc.identity.v1.invitations.accept`: creates the user in the inviting tenant and signs it in. Bad, used or expired token: 401 INVALID_TOKEN. */
export interface AcceptInvitationRequest {
  token: string;
  name: string;
  password: string;
  caller: CallerContext;
}
export type AcceptInvitationResponse = SessionResponse;

/** `rpc.identity.v1.users.list` (users:read) */
export interface ListUsersRequest extends TenantScopedRequest, PageRequest {}
export type ListUsersResponse = Page<TenantUserView>;

/** `rpc.identity.v1.users.change-role` (users:write; only owners grant or take `owner`). The last owner cannot be demoted: 409 CONFLICT. */
export interface ChangeRoleRequest extends TenantScopedRequest {
  userId: string;
  role: TenantRole;
}
export type ChangeRoleResponse = TenantUserView;

/** `rpc.identity.v1.users.remove` (users:write): deletes the user and revokes its sessions. The last owner cannot be removed: 409 CONFLICT. */
export interface RemoveUserRequest extends TenantScopedRequest {
  userId: string;
}
export type RemoveUserResponse = OkResponse;

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

// ---------------------------------------------------------------------------------------
// Platform administration: principal.isPlatformAdmin, every call audited with its reason
// ---------------------------------------------------------------------------------------

export interface PlatformAdminRequest {
  principal: Principal;
  /** Why, for the audit row: 3..500 characters. */
  reason: string;
}

export interface TenantAdminView {
  id: string;
  name: string;
  slug: string;
  status: TenantStatus;
  plan: string;
  /** The plan's limits with this tenant's overrides applied. */
  limits: UsageLimits;
  /** Only the overrides set for this tenant. */
  limitOverrides: Partial<UsageLimits>;
  features: Record<string, boolean>;
  createdAt: string;
  userCount: number;
}

export interface AdminListTenantsRequest extends PlatformAdminRequest, PageRequest {}
export type AdminListTenantsResponse = Page<TenantAdminView>;

/** `suspended: false` reinstates. Publishes `identity.tenant.suspended.v1` when suspending. */
export interface AdminSuspendTenantRequest extends PlatformAdminRequest {
  tenantId: string;
  suspended?: boolean;
}
export type AdminSuspendTenantResponse = TenantAdminView;

/** Plans: see PLANS. Publishes `identity.tenant.limits_changed.v1`. */
export interface AdminSetPlanRequest extends PlatformAdminRequest {
  tenantId: string;
  plan: string;
}
export type AdminSetPlanResponse = TenantAdminView;

/** Overrides merged over the current ones; `null` means unlimited; omit a key to keep it. Publishes limits_changed. */
export interface AdminSetLimitsRequest extends PlatformAdminRequest {
  tenantId: string;
  limits: Partial<UsageLimits>;
  /** Drop every override first. */
  replace?: boolean;
}
export type AdminSetLimitsResponse = TenantAdminView;

/** Flags merged over the current ones. Publishes limits_changed (it carries the features too). */
export interface AdminSetFeaturesRequest extends PlatformAdminRequest {
  tenantId: string;
  features: Record<string, boolean>;
}
export type AdminSetFeaturesResponse = TenantAdminView;

export interface AuditEntry {
  id: string;
  actor: string;
  reason: string;
  /** e.g. `tenant.suspend`; null for rows written before actions were recorded. */
  action: string | null;
  /** e.g. `tenant:<uuid>` */
  target: string | null;
  at: string;
}
export interface AdminListAuditRequest extends PlatformAdminRequest, PageRequest {
  /** Only rows about this target, e.g. `tenant:<uuid>`. */
  target?: string;
}
export type AdminListAuditResponse = Page<AuditEntry>;
