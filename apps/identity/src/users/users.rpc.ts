import { Controller } from '@nestjs/common';
import {
  AcceptInvitationRequest,
  AcceptInvitationResponse,
  ChangeRoleRequest,
  ChangeRoleResponse,
  ConfirmPasswordResetRequest,
  ConfirmPasswordResetResponse,
  IDENTITY_RPC,
  InviteUserRequest,
  InviteUserResponse,
  ListUsersRequest,
  ListUsersResponse,
  PAGE_SIZE_DEFAULT,
  RemoveUserRequest,
  RemoveUserResponse,
  RequestPasswordResetRequest,
  RequestPasswordResetResponse,
  type ReceivedRpcContext,
} from '@parking/contracts';
import { RpcHandler } from '@parking/messaging-nest';
import { principalOf } from '@parking/service-runtime';
import { InvitationsUseCases } from '../invitations/invitations.use-cases';
import { PasswordResetUseCases } from '../password-reset/password-reset.use-cases';
import { UsersUseCases } from './users.use-cases';

// Payloads carry passwords and single-use tokens: never log them.
@Controller()
export class UsersRpc {
  constructor(
    private readonly users: UsersUseCases,
    private readonly invitations: InvitationsUseCases,
    private readonly resets: PasswordResetUseCases,
  ) {}

  @RpcHandler(IDENTITY_RPC.listUsers)
  list(request: ListUsersRequest, context: ReceivedRpcContext): Promise<ListUsersResponse> {
    return this.users.list(principalOf(context), { cursor: request.cursor, limit: request.limit ?? PAGE_SIZE_DEFAULT });
  }

  @RpcHandler(IDENTITY_RPC.changeRole)
  changeRole(request: ChangeRoleRequest, context: ReceivedRpcContext): Promise<ChangeRoleResponse> {
    return this.users.changeRole(principalOf(context), request.userId, request.role);
  }

  @RpcHandler(IDENTITY_RPC.removeUser)
  async remove(request: RemoveUserRequest, context: ReceivedRpcContext): Promise<RemoveUserResponse> {
    await this.users.remove(principalOf(context), request.userId);
    return { ok: true };
  }

  @RpcHandler(IDENTITY_RPC.inviteUser)
  invite(request: InviteUserRequest, context: ReceivedRpcContext): Promise<InviteUserResponse> {
    return this.invitations.invite(principalOf(context), request.email, request.role);
  }

  @RpcHandler(IDENTITY_RPC.acceptInvitation)
  accept(request: AcceptInvitationRequest): Promise<AcceptInvitationResponse> {
    return this.invitations.accept(request);
  }

  @RpcHandler(IDENTITY_RPC.requestPasswordReset)
  async requestReset(request: RequestPasswordResetRequest): Promise<RequestPasswordResetResponse> {
    await this.resets.request(request.email);
    return { accepted: true };
  }

  @RpcHandler(IDENTITY_RPC.confirmPasswordReset)
  async confirmReset(request: ConfirmPasswordResetRequest): Promise<ConfirmPasswordResetResponse> {
    await this.resets.confirm(request.token, request.newPassword);
    return { ok: true };
  }
}
