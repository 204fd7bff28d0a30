import type { CallerContext, OkResponse, Page, PageRequest, TenantScopedRequest } from './identity-rpc';
import type { TenantRole } from './permissions';
import type { SessionResponse } from './sessions-rpc';

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
