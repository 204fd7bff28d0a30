import { defineRpc } from '../rpc-contract';
import { AcceptedView, OkView } from './acknowledgements';
import {
  AdminListAuditRequest,
  AdminListTenantsRequest,
  AdminRotateSigningKeyRequest,
  AdminSetFeaturesRequest,
  AdminSetLimitsRequest,
  AdminSetPlanRequest,
  AdminSuspendTenantRequest,
  AuditPage,
  SigningKeyRotationView,
  TenantAdminPage,
  TenantAdminView,
} from './admin-rpc';
import {
  ApiKeyPage,
  ApiKeyRef,
  ApiKeySecretResponse,
  ApiKeyView,
  AuthenticateApiKeyRequest,
  AuthenticateApiKeyResponse,
  CreateApiKeyRequest,
  ListApiKeysRequest,
} from './api-keys-rpc';
import {
  CreateIntegrationRequest,
  IntegrationPage,
  IntegrationRef,
  IntegrationSecretsResponse,
  IntegrationLookupRequest,
  IntegrationLookupResponse,
  IntegrationSnapshotRequest,
  IntegrationSnapshotResponse,
  IntegrationView,
  ListIntegrationsRequest,
  ReportIntegrationDeliveriesRequest,
  RotateIntegrationRequest,
} from './integrations-rpc';
import { ConfirmPasswordResetRequest, RequestPasswordResetRequest } from './password-reset-rpc';
import {
  JwksRequest,
  JwksResponse,
  LoginRequest,
  LogoutRequest,
  MeRequest,
  MeResponse,
  RefreshRequest,
  RegisterRequest,
  type RegistrationOutcome,
  SessionResponse,
  VerifyEmailRequest,
} from './sessions-rpc';
import {
  AcceptInvitationRequest,
  ChangeRoleRequest,
  InvitationView,
  InviteUserRequest,
  ListUsersRequest,
  RemoveUserRequest,
  TenantUserPage,
  TenantUserView,
} from './users-rpc';

/**
 * Commands and queries the identity service answers over NATS request/reply. The gateway
 * validates HTTP input with the request class, then sends it; identity validates the same
 * class on receipt (it trusts no caller). Tenant-scoped requests carry the caller's
 * `principal` as context; identity checks the permission it needs (see docs/permissions.md)
 * against it and, for users, against the role the database holds now.
 */
export const IDENTITY_RPC = {
  // A session when email verification is off, else RegistrationAcceptedView (the class documents the session).
  register: defineRpc<RegisterRequest, RegistrationOutcome>('rpc.identity.v1.auth.register', RegisterRequest, SessionResponse, { access: 'public' }),
  verifyEmail: defineRpc('rpc.identity.v1.auth.verify-email', VerifyEmailRequest, SessionResponse, { access: 'public' }),
  login: defineRpc('rpc.identity.v1.auth.login', LoginRequest, SessionResponse, { access: 'public' }),
  refresh: defineRpc('rpc.identity.v1.auth.refresh', RefreshRequest, SessionResponse, { access: 'public' }),
  logout: defineRpc('rpc.identity.v1.auth.logout', LogoutRequest, OkView, { access: 'public' }),
  me: defineRpc('rpc.identity.v1.auth.me', MeRequest, MeResponse),
  jwks: defineRpc('rpc.identity.v1.jwks.get', JwksRequest, JwksResponse, { access: 'service' }),
  requestPasswordReset: defineRpc('rpc.identity.v1.password-reset.request', RequestPasswordResetRequest, AcceptedView, { access: 'public' }),
  confirmPasswordReset: defineRpc('rpc.identity.v1.password-reset.confirm', ConfirmPasswordResetRequest, OkView, { access: 'public' }),
  inviteUser: defineRpc('rpc.identity.v1.invitations.create', InviteUserRequest, InvitationView),
  acceptInvitation: defineRpc('rpc.identity.v1.invitations.accept', AcceptInvitationRequest, SessionResponse, { access: 'public' }),
  listUsers: defineRpc('rpc.identity.v1.users.list', ListUsersRequest, TenantUserPage),
  changeRole: defineRpc('rpc.identity.v1.users.change-role', ChangeRoleRequest, TenantUserView),
  removeUser: defineRpc('rpc.identity.v1.users.remove', RemoveUserRequest, OkView),
  createApiKey: defineRpc('rpc.identity.v1.api-keys.create', CreateApiKeyRequest, ApiKeySecretResponse),
  listApiKeys: defineRpc('rpc.identity.v1.api-keys.list', ListApiKeysRequest, ApiKeyPage),
  revokeApiKey: defineRpc('rpc.identity.v1.api-keys.revoke', ApiKeyRef, ApiKeyView),
  rotateApiKey: defineRpc('rpc.identity.v1.api-keys.rotate', ApiKeyRef, ApiKeySecretResponse),
  authenticateApiKey: defineRpc('rpc.identity.v1.api-keys.authenticate', AuthenticateApiKeyRequest, AuthenticateApiKeyResponse, { access: 'service' }),
  createIntegration: defineRpc('rpc.identity.v1.webhook-integrations.create', CreateIntegrationRequest, IntegrationSecretsResponse),
  listIntegrations: defineRpc('rpc.identity.v1.webhook-integrations.list', ListIntegrationsRequest, IntegrationPage),
  getIntegration: defineRpc('rpc.identity.v1.webhook-integrations.get', IntegrationRef, IntegrationView),
  deleteIntegration: defineRpc('rpc.identity.v1.webhook-integrations.delete', IntegrationRef, OkView),
  rotateIntegration: defineRpc('rpc.identity.v1.webhook-integrations.rotate', RotateIntegrationRequest, IntegrationSecretsResponse),
  integrationSnapshot: defineRpc('rpc.identity.v1.webhook-integrations.snapshot', IntegrationSnapshotRequest, IntegrationSnapshotResponse, { access: 'service' }),
  /** A gateway asks once about a webhook token or integration it has not heard of, before refusing it. */
  lookupIntegration: defineRpc('rpc.identity.v1.webhook-integrations.lookup', IntegrationLookupRequest, IntegrationLookupResponse, { access: 'service' }),
  /** The gateway reports what it accepted and refused per integration (batched, fire and forget). */
  reportIntegrationDeliveries: defineRpc('rpc.identity.v1.webhook-integrations.report-deliveries', ReportIntegrationDeliveriesRequest, OkView, { access: 'service' }),
  adminListTenants: defineRpc('rpc.identity.v1.admin.tenants.list', AdminListTenantsRequest, TenantAdminPage),
  adminSuspendTenant: defineRpc('rpc.identity.v1.admin.tenants.suspend', AdminSuspendTenantRequest, TenantAdminView),
  adminSetPlan: defineRpc('rpc.identity.v1.admin.tenants.set-plan', AdminSetPlanRequest, TenantAdminView),
  adminSetLimits: defineRpc('rpc.identity.v1.admin.tenants.set-limits', AdminSetLimitsRequest, TenantAdminView),
  adminSetFeatures: defineRpc('rpc.identity.v1.admin.tenants.set-features', AdminSetFeaturesRequest, TenantAdminView),
  adminListAudit: defineRpc('rpc.identity.v1.admin.audit.list', AdminListAuditRequest, AuditPage),
  adminRotateSigningKey: defineRpc('rpc.identity.v1.admin.signing-keys.rotate', AdminRotateSigningKeyRequest, SigningKeyRotationView),
} as const;

/** The client's address and agent, for login throttling and audit: RPC context, never input. */
export interface CallerContext {
  ip: string;
  userAgent?: string;
}
