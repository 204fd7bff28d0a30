import { Body, Controller, Delete, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import {
  IDENTITY_RPC,
  type AcceptInvitationRequest,
  type CallerContext,
  type ChangeRoleRequest,
  type InviteUserRequest,
  type ListUsersRequest,
  type Principal,
  type RemoveUserRequest,
} from '@parking/contracts';
import { Public, RequirePermission } from '../auth/access-requirements';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { ApiAuthenticated, ApiProblems, ApiPublicRoute } from '../openapi/api-docs.decorators';
import { Caller } from './caller.decorator';
import { NoQueryParams } from './dto/no-query-params.dto';
import { PageQuery } from './dto/page-query.dto';
import { OkView, SessionView } from './dto/session.dto';
import { AcceptInvitationBody, ChangeRoleBody, InvitationDto, InviteUserBody, TenantUserDto, TenantUserPage } from './dto/users.dto';
import { UuidParam } from './dto/uuid-param';
import { IdentityClient } from './identity-client';

const USER_ID = { name: 'id', format: 'uuid', example: '6d0f0b7e-4a7c-4f55-9d1f-0c8d6c1b2a33' } as const;

@ApiTags('users')
@Controller('api/v1')
export class UsersController {
  constructor(private readonly identity: IdentityClient) {}

  @RequirePermission('users:write')
  @Post('invitations')
  @ApiOperation({ summary: 'Invite someone into the tenant with a role (mails a single-use link)' })
  @ApiCreatedResponse({ type: InvitationDto })
  @ApiAuthenticated()
  @ApiProblems(409)
  invite(@CurrentPrincipal() principal: Principal, @Body() body: InviteUserBody, @Query() _query: NoQueryParams): Promise<InvitationDto> {
    return this.identity.send(IDENTITY_RPC.inviteUser, { principal, ...body } satisfies InviteUserRequest);
  }

  @Public()
  @Post('invitations/accept')
  @ApiOperation({ summary: 'Accept an invitation: creates the user and signs it in' })
  @ApiCreatedResponse({ type: SessionView })
  @ApiPublicRoute()
  @ApiProblems(401)
  accept(@Body() body: AcceptInvitationBody, @Caller() caller: CallerContext, @Query() _query: NoQueryParams): Promise<SessionView> {
    return this.identity.send(IDENTITY_RPC.acceptInvitation, { ...body, caller } satisfies AcceptInvitationRequest);
  }

  @RequirePermission('users:read')
  @Get('users')
  @ApiOperation({ summary: 'Users of the tenant, a page at a time' })
  @ApiOkResponse({ type: TenantUserPage })
  @ApiAuthenticated()
  list(@CurrentPrincipal() principal: Principal, @Query() page: PageQuery): Promise<TenantUserPage> {
    return this.identity.send(IDENTITY_RPC.listUsers, { principal, ...page } satisfies ListUsersRequest);
  }

  @RequirePermission('users:write')
  @Patch('users/:id/role')
  @ApiOperation({ summary: "Change a user's role (only owners grant or take owner)" })
  @ApiParam(USER_ID)
  @ApiOkResponse({ type: TenantUserDto })
  @ApiAuthenticated()
  @ApiProblems(404, 409)
  changeRole(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParam) userId: string,
    @Body() body: ChangeRoleBody,
    @Query() _query: NoQueryParams,
  ): Promise<TenantUserDto> {
    return this.identity.send(IDENTITY_RPC.changeRole, { principal, userId, role: body.role } satisfies ChangeRoleRequest);
  }

  @RequirePermission('users:write')
  @Delete('users/:id')
  @ApiOperation({ summary: 'Remove a user from the tenant and revoke its sessions' })
  @ApiParam(USER_ID)
  @ApiOkResponse({ type: OkView })
  @ApiAuthenticated()
  @ApiProblems(404, 409)
  remove(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) userId: string, @Query() _query: NoQueryParams): Promise<OkView> {
    return this.identity.send(IDENTITY_RPC.removeUser, { principal, userId } satisfies RemoveUserRequest);
  }
}
