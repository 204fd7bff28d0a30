import { ApiProperty } from '@nestjs/swagger';
import { UuidField } from '../fields/identifiers';
import { PageOf } from '../fields/paging';
import type { OkView } from './acknowledgements';
import { DisplayNameField, EmailField, IdentityPageQuery, NewPasswordField, PresentedSecretField, TenantRoleField } from './identity-fields';
import { MAILED_TOKEN_MAX } from './password-reset-rpc';
import { TENANT_ROLES, type TenantRole } from './permissions';
import type { SessionResponse } from './sessions-rpc';

// ---------------------------------------------------------------------------------------
// Users and invitations (permission users:read / users:write)
// ---------------------------------------------------------------------------------------

/**
 * `rpc.identity.v1.invitations.create` (users:write): mails a single-use link. Only an owner
 * may invite an owner. 409 CONFLICT if the email already has an account; 403 LIMIT_EXCEEDED
 * (limit `users`) when users + open invitations would pass the plan.
 */
export class InviteUserRequest {
  @EmailField('grace@example.com') email!: string;
  @TenantRoleField({ example: 'operator', description: 'Only an owner may invite an owner' }) role!: TenantRole;
}

/** `rpc.identity.v1.invitations.accept`: creates the user in the inviting tenant and signs it in. Bad, used or expired token: 401 INVALID_TOKEN. */
export class AcceptInvitationRequest {
  @PresentedSecretField(MAILED_TOKEN_MAX, { example: 'inv_Q2x9…' }) token!: string;
  @DisplayNameField('Grace Hopper') name!: string;
  @NewPasswordField() password!: string;
}
export type AcceptInvitationResponse = SessionResponse;

/** `rpc.identity.v1.users.list` (users:read), oldest first. */
export class ListUsersRequest extends IdentityPageQuery {}

/** `rpc.identity.v1.users.change-role` (users:write; only owners grant or take `owner`). The last owner cannot be demoted: 409 CONFLICT. */
export class ChangeRoleBody {
  @TenantRoleField({ example: 'viewer' }) role!: TenantRole;
}

export class ChangeRoleRequest extends ChangeRoleBody {
  @UuidField() userId!: string;
}

/** `rpc.identity.v1.users.remove` (users:write): deletes the user and revokes its sessions. The last owner cannot be removed: 409 CONFLICT. */
export class RemoveUserRequest {
  @UuidField() userId!: string;
}
export type RemoveUserResponse = OkView;

// ---------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------

export class TenantUserView {
  @ApiProperty({ format: 'uuid', example: '6d0f0b7e-4a7c-4f55-9d1f-0c8d6c1b2a33' }) id!: string;
  @ApiProperty({ example: 'ada@example.com' }) email!: string;
  @ApiProperty({ example: 'Ada Lovelace' }) name!: string;
  @ApiProperty({ enum: TENANT_ROLES, example: 'owner' }) role!: TenantRole;
  @ApiProperty({ format: 'date-time', example: '2026-11-01T09:00:00Z' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: 'string', example: '2026-11-23T08:15:00Z' }) lastLoginAt!: string | null;
}

export class TenantUserPage extends PageOf(TenantUserView) {}

export class InvitationView {
  @ApiProperty({ format: 'uuid', example: '9a7b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d' }) id!: string;
  @ApiProperty({ example: 'grace@example.com' }) email!: string;
  @ApiProperty({ enum: TENANT_ROLES, example: 'operator' }) role!: TenantRole;
  /** RFC 3339 */
  @ApiProperty({ format: 'date-time', example: '2026-11-30T12:00:00Z' }) expiresAt!: string;
  @ApiProperty({ format: 'date-time', example: '2026-11-23T12:00:00Z' }) createdAt!: string;
}

export type InviteUserResponse = InvitationView;
export type ListUsersResponse = TenantUserPage;
export type ChangeRoleResponse = TenantUserView;
