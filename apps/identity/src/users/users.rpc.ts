import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  AcceptInvitationResponse,
  ChangeRoleResponse,
  ConfirmPasswordResetResponse,
  IDENTITY_RPC,
  InviteUserResponse,
  ListUsersResponse,
  RemoveUserResponse,
  RequestPasswordResetResponse,
} from '@parking/contracts';
import { RpcHandler } from '@parking/messaging-nest';
import { principalOf } from '../authorization/acting-principal';
import { InvitationsUseCases } from '../invitations/invitations.use-cases';
import { PasswordResetUseCases } from '../password-reset/password-reset.use-cases';
import { RequestReader } from '../validation/request-reader';
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
  list(@Payload() payload: unknown): Promise<ListUsersResponse> {
    const principal = principalOf(payload);
    const input = new RequestReader(payload);
    const page = input.page();
    input.done();
    return this.users.list(principal, page);
  }

  @RpcHandler(IDENTITY_RPC.changeRole)
  changeRole(@Payload() payload: unknown): Promise<ChangeRoleResponse> {
    const principal = principalOf(payload);
    const input = new RequestReader(payload);
    const command = { userId: input.uuid('userId'), role: input.role() };
    input.done();
    return this.users.changeRole(principal, command.userId, command.role);
  }

  @RpcHandler(IDENTITY_RPC.removeUser)
  async remove(@Payload() payload: unknown): Promise<RemoveUserResponse> {
    const principal = principalOf(payload);
    const input = new RequestReader(payload);
    const userId = input.uuid('userId');
    input.done();
    await this.users.remove(principal, userId);
    return { ok: true };
  }

  @RpcHandler(IDENTITY_RPC.inviteUser)
  invite(@Payload() payload: unknown): Promise<InviteUserResponse> {
    const principal = principalOf(payload);
    const input = new RequestReader(payload);
    const command = { email: input.email(), role: input.role() };
    input.done();
    return this.invitations.invite(principal, command.email, command.role);
  }

  @RpcHandler(IDENTITY_RPC.acceptInvitation)
  accept(@Payload() payload: unknown): Promise<AcceptInvitationResponse> {
    const input = new RequestReader(payload);
    const command = { token: input.secret('token'), name: input.string('name', { max: 200 }), password: input.password() };
    input.done();
    return this.invitations.accept(command);
  }

  @RpcHandler(IDENTITY_RPC.requestPasswordReset)
  async requestReset(@Payload() payload: unknown): Promise<RequestPasswordResetResponse> {
    const input = new RequestReader(payload);
    const email = input.email();
    input.done();
    await this.resets.request(email);
    return { accepted: true };
  }

  @RpcHandler(IDENTITY_RPC.confirmPasswordReset)
  async confirmReset(@Payload() payload: unknown): Promise<ConfirmPasswordResetResponse> {
    const input = new RequestReader(payload);
    const command = { token: input.secret('token'), password: input.password('newPassword') };
    input.done();
    await this.resets.confirm(command.token, command.password);
    return { ok: true };
  }
}
