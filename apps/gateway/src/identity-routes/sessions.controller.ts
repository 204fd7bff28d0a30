import { Body, Controller, Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IDENTITY_RPC, LogoutRequest, MeResponse, OkView, RefreshRequest, RegisterRequest, SessionResponse, type CallerContext, type Principal } from '@parking/contracts';
import { RpcClient } from '@parking/messaging-nest';
import { DomainError } from '@parking/problem-details';
import { Public } from '../auth/access-requirements';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { NoQueryParams } from '../http-params/no-query-params';
import { ApiAuthenticated, ApiProblems, ApiPublicRoute } from '../openapi/api-docs.decorators';
import { Caller } from './caller.decorator';
import { LegacyRegisterBody, LoginBody, loginRequestOf, registerRequestOf } from './legacy-auth-bodies';

/** Sign-up, sign-in and sessions; `/api/auth/*` are the old paths, kept for existing clients. */
@ApiTags('auth')
@Controller()
export class SessionsController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @Public()
  @Post('api/v1/auth/register')
  @ApiOperation({ summary: 'Create a tenant and its owner, signed in' })
  @ApiCreatedResponse({ type: SessionResponse })
  @ApiPublicRoute()
  @ApiProblems(409)
  register(@Body() body: RegisterRequest, @Caller() caller: CallerContext, @Query() _query: NoQueryParams): Promise<SessionResponse> {
    return this.rpc.call(IDENTITY_RPC.register, body, { caller });
  }

  @Public()
  @Post('api/auth/register')
  @ApiOperation({ summary: 'Old path of register; also takes `username`, `tenant_name`, `tenant_slug`', deprecated: true })
  @ApiCreatedResponse({ type: SessionResponse })
  @ApiPublicRoute()
  @ApiProblems(409)
  registerLegacy(@Body() body: LegacyRegisterBody, @Caller() caller: CallerContext, @Query() _query: NoQueryParams): Promise<SessionResponse> {
    return this.rpc.call(IDENTITY_RPC.register, registerRequestOf(body), { caller });
  }

  @Public()
  @Post(['api/v1/auth/login', 'api/auth/login'])
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with email and password (JSON, or the form-encoded OAuth2 password grant)' })
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded')
  @ApiOkResponse({ type: SessionResponse })
  @ApiPublicRoute()
  @ApiProblems(401)
  login(@Body() body: LoginBody, @Caller() caller: CallerContext, @Query() _query: NoQueryParams): Promise<SessionResponse> {
    return this.rpc.call(IDENTITY_RPC.login, loginRequestOf(body), { caller });
  }

  @Public()
  @Post(['api/v1/auth/refresh', 'api/auth/refresh'])
  @HttpCode(200)
  @ApiOperation({ summary: 'Trade a refresh token for a new pair; reusing a used one revokes its whole family' })
  @ApiOkResponse({ type: SessionResponse })
  @ApiPublicRoute()
  @ApiProblems(401)
  refresh(@Body() body: RefreshRequest, @Caller() caller: CallerContext, @Query() _query: NoQueryParams): Promise<SessionResponse> {
    return this.rpc.call(IDENTITY_RPC.refresh, body, { caller });
  }

  @Public()
  @Post(['api/v1/auth/logout', 'api/auth/logout'])
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke the refresh token and its family (idempotent)' })
  @ApiOkResponse({ type: OkView })
  @ApiPublicRoute()
  logout(@Body() body: LogoutRequest, @Query() _query: NoQueryParams): Promise<OkView> {
    return this.rpc.call(IDENTITY_RPC.logout, body);
  }

  @Get(['api/v1/auth/me', 'api/auth/me'])
  @ApiOperation({ summary: 'The signed-in user, tenant, role, permissions, plan and features' })
  @ApiOkResponse({ type: MeResponse })
  @ApiAuthenticated()
  me(@CurrentPrincipal() principal: Principal, @Query() _query: NoQueryParams): Promise<MeResponse> {
    if (principal.kind !== 'user') throw new DomainError('FORBIDDEN', 'An API key has no user; /auth/me is for signed-in users.');
    return this.rpc.call(IDENTITY_RPC.me, {}, { principal });
  }
}
