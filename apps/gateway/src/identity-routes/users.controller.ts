import { Body, Controller, Delete, Get, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import {
  AcceptInvitationRequest,
  ChangeRoleBody,
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
  @ApiOperation({ summary: 'Invite someone into the tenant with a role (mails a single-use link)' })
  @ApiCreatedResponse({ type: InvitationView })
  @ApiAuthenticated()
  @ApiProblems(409)
  invite(@CurrentPrincipal() principal: Principal, @Body() body: InviteUserRequest, @Query() _query: NoQueryParams): Promise<InvitationView> {
    return this.rpc.call(IDENTITY_RPC.inviteUser, body, { principal });
  }

  @Public()
  @Post('invitations/accept')
  @ApiOperation({ summary: 'Accept an invitation: creates the user and signs it in' })
  @ApiCreatedResponse({ type: SessionResponse })
  @ApiPublicRoute()
  @ApiProblems(401)
  accept(@Body() body: AcceptInvitationRequest, @Caller() caller: CallerContext, @Query() _query: NoQueryParams): Promise<SessionResponse> {
    return this.rpc.call(IDENTITY_RPC.acceptInvitation, body, { caller });
  }

  @RequirePermission('users:read')
  @Get('users')
  @ApiOperation({ summary: 'Users of the tenant, a page at a time' })
  @ApiOkResponse({ type: TenantUserPage })
  @ApiAuthenticated()
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListUsersRequest): Promise<TenantUserPage> {
    return this.rpc.call(IDENTITY_RPC.listUsers, query, { principal });
  }

  @RequirePermission('users:write')
  @Patch('users/:id/role')
  @ApiOperation({ summary: "Change a user's role (only owners grant or take owner)" })
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
  @ApiOperation({ summary: 'Remove a user from the tenant and revoke its sessions' })
  @ApiParam(USER_ID)
  @ApiOkResponse({ type: OkView })
  @ApiAuthenticated()
  @ApiProblems(404, 409)
  remove(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) userId: string, @Query() _query: NoQueryParams): Promise<OkView> {
    return this.rpc.call(IDENTITY_RPC.removeUser, { userId }, { principal });
  }
}
