import type { Principal } from './principal';

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
