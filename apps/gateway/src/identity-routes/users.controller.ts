import { Body, Controller, Delete, Get, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import {
  AcceptInvitationRequest,
  ChangeRoleBody,
  IDENTITY_PAGE_MAX,
  IDENTITY_RPC,
  InvitationView,
  InviteUserRequest,
  ListUsersRequest,
  OkView,
  SessionResponse,
  TenantUserPage,
  TenantUserView,
  type CallerContext,
  type Principal,
} from '@parking/contracts';
import { RpcClient } from '@parking/messaging-nest';
import { Public, RequirePermission } from '../auth/access-requirements';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { NoQueryParams } from '../http-params/no-query-params';
import { UuidParam } from '../http-params/uuid-param';
import { ApiAuthenticated, ApiProblems, ApiPublicRoute } from '../openapi/api-docs.decorators';
import { Caller } from './caller.decorator';

const USER_ID = { name: 'id', format: 'uuid', example: '6d0f0b7e-4a7c-4f55-9d1f-0c8d6c1b2a33' } as const;

@ApiTags('users')
@Controller('api/v1')
export class UsersController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @RequirePermission('users:write')
  @Post('invitations')
  @ApiOperation({
    summary: 'Invite someone into the tenant with a role (mails a single-use link)',
    description:
      'Needs `users:write`; only an owner may invite an owner (403 FORBIDDEN otherwise). The link expires after 7 days by default, and a new invitation to the same address replaces the open one. ' +
      '409 CONFLICT when the email already has an account (in any tenant); 403 LIMIT_EXCEEDED when users plus open invitations would pass the plan’s `users` limit.',
  })
  @ApiCreatedResponse({ type: InvitationView })
  @ApiAuthenticated()
  @ApiProblems(409)
  invite(@CurrentPrincipal() principal: Principal, @Body() body: InviteUserRequest, @Query() _query: NoQueryParams): Promise<InvitationView> {
    return this.rpc.call(IDENTITY_RPC.inviteUser, body, { principal });
  }

  @Public()
  @Post('invitations/accept')
  @ApiOperation({
    summary: 'Accept an invitation: creates the user and signs it in',
    description:
      'Public: the mailed token is the credential. Creates the user with the invited email and role in the inviting tenant and answers a session, as sign-in does. ' +
      'An unknown, used or expired token is 401 INVALID_TOKEN; a suspended tenant is 403 TENANT_SUSPENDED; an email that got an account meanwhile is 409 CONFLICT.',
  })
  @ApiCreatedResponse({ type: SessionResponse })
  @ApiPublicRoute()
  @ApiProblems(401)
  accept(@Body() body: AcceptInvitationRequest, @Caller() caller: CallerContext, @Query() _query: NoQueryParams): Promise<SessionResponse> {
    return this.rpc.call(IDENTITY_RPC.acceptInvitation, body, { caller });
  }

  @RequirePermission('users:read')
  @Get('users')
  @ApiOperation({
    summary: 'Users of the tenant, a page at a time',
    description: `Needs \`users:read\`. Oldest first, \`limit\` 1 to ${IDENTITY_PAGE_MAX} (default 50) a page; pass \`nextCursor\` back as \`cursor\` for the next page.`,
  })
  @ApiOkResponse({ type: TenantUserPage })
  @ApiAuthenticated()
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListUsersRequest): Promise<TenantUserPage> {
    return this.rpc.call(IDENTITY_RPC.listUsers, query, { principal });
  }

  @RequirePermission('users:write')
  @Patch('users/:id/role')
  @ApiOperation({
    summary: "Change a user's role (only owners grant or take owner)",
    description:
      'Needs `users:write`, checked against the caller’s current role. Granting, taking or changing the owner role needs an owner (403 FORBIDDEN otherwise), and the last owner cannot be demoted (409 CONFLICT). ' +
      'A user of another tenant is 404, like an unknown id. A demotion holds at once on the identity routes (users, API keys, integrations); elsewhere the user’s access tokens carry the old role until they expire (15 minutes by default) or are refreshed.',
  })
  @ApiParam(USER_ID)
  @ApiOkResponse({ type: TenantUserView })
  @ApiAuthenticated()
  @ApiProblems(404, 409)
  changeRole(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParam) userId: string,
    @Body() body: ChangeRoleBody,
    @Query() _query: NoQueryParams,
  ): Promise<TenantUserView> {
    return this.rpc.call(IDENTITY_RPC.changeRole, { ...body, userId }, { principal });
  }

  @RequirePermission('users:write')
  @Delete('users/:id')
  @ApiOperation({
    summary: 'Remove a user from the tenant and revoke its sessions',
    description:
      'Needs `users:write`. Deletes the user with its refresh tokens, so it can neither refresh nor sign in again, and publishes identity.user.removed.v1, which ends its live streams on every gateway. Only an owner may remove an owner, and the last owner cannot be removed (409 CONFLICT). ' +
      'A user of another tenant is 404, like an unknown id.',
  })
  @ApiParam(USER_ID)
  @ApiOkResponse({ type: OkView })
  @ApiAuthenticated()
  @ApiProblems(404, 409)
  remove(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) userId: string, @Query() _query: NoQueryParams): Promise<OkView> {
    return this.rpc.call(IDENTITY_RPC.removeUser, { userId }, { principal });
  }
}
