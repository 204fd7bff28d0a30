import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  IDENTITY_RPC,
  type CallerContext,
  type LoginRequest,
  type LogoutRequest,
  type MeRequest,
  type Principal,
  type RefreshRequest,
  type RegisterRequest,
} from '@parking/contracts';
import { DomainError } from '@parking/problem-details';
import { Public } from '../auth/access-requirements';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { ApiAuthenticated, ApiProblems, ApiPublicRoute } from '../openapi/api-docs.decorators';
import { Caller } from './caller.decorator';
import { NoQueryParams } from './dto/no-query-params.dto';
import { LegacyRegisterBody, LoginBody, MeView, OkView, RefreshTokenBody, RegisterBody, SessionView } from './dto/session.dto';
import { IdentityClient } from './identity-client';

/** Sign-up, sign-in and sessions; `/api/auth/*` are the old paths, kept for existing clients. */
@ApiTags('auth')
@Controller()
export class SessionsController {
  constructor(private readonly identity: IdentityClient) {}

  @Public()
  @Post('api/v1/auth/register')
  @ApiOperation({ summary: 'Create a tenant and its owner, signed in' })
  @ApiCreatedResponse({ type: SessionView })
  @ApiPublicRoute()
  @ApiProblems(409)
  register(@Body() body: RegisterBody, @Caller() caller: CallerContext, @Query() _query: NoQueryParams): Promise<SessionView> {
    return this.identity.send(IDENTITY_RPC.register, { ...body, caller } satisfies RegisterRequest);
  }

  @Public()
  @Post('api/auth/register')
  @ApiOperation({ summary: 'Old path of register; also takes `username`, `tenant_name`, `tenant_slug`', deprecated: true })
  @ApiCreatedResponse({ type: SessionView })
  @ApiPublicRoute()
  @ApiProblems(409)
  registerLegacy(@Body() body: LegacyRegisterBody, @Caller() caller: CallerContext, @Query() _query: NoQueryParams): Promise<SessionView> {
    const request: RegisterRequest = {
      email: body.email,
      password: body.password,
      // The validator guarantees one of each pair.
      name: (body.name ?? body.username) as string,
      tenantName: (body.tenantName ?? body.tenant_name) as string,
      tenantSlug: (body.tenantSlug ?? body.tenant_slug) as string,
      caller,
    };
    return this.identity.send(IDENTITY_RPC.register, request);
  }

  @Public()
  @Post(['api/v1/auth/login', 'api/auth/login'])
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with email and password (JSON, or the form-encoded OAuth2 password grant)' })
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded')
  @ApiOkResponse({ type: SessionView })
  @ApiPublicRoute()
  @ApiProblems(401)
  login(@Body() body: LoginBody, @Caller() caller: CallerContext, @Query() _query: NoQueryParams): Promise<SessionView> {
    const email = (body.email ?? body.username) as string;
    return this.identity.send(IDENTITY_RPC.login, { email, password: body.password, caller } satisfies LoginRequest);
  }

  @Public()
  @Post(['api/v1/auth/refresh', 'api/auth/refresh'])
  @HttpCode(200)
  @ApiOperation({ summary: 'Trade a refresh token for a new pair; reusing a used one revokes its whole family' })
  @ApiOkResponse({ type: SessionView })
  @ApiPublicRoute()
  @ApiProblems(401)
  refresh(@Body() body: RefreshTokenBody, @Caller() caller: CallerContext, @Query() _query: NoQueryParams): Promise<SessionView> {
    return this.identity.send(IDENTITY_RPC.refresh, { refreshToken: body.refreshToken, caller } satisfies RefreshRequest);
  }

  @Public()
  @Post(['api/v1/auth/logout', 'api/auth/logout'])
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke the refresh token and its family (idempotent)' })
  @ApiOkResponse({ type: OkView })
  @ApiPublicRoute()
  logout(@Body() body: RefreshTokenBody, @Query() _query: NoQueryParams): Promise<OkView> {
    return this.identity.send(IDENTITY_RPC.logout, { refreshToken: body.refreshToken } satisfies LogoutRequest);
  }

  @Get(['api/v1/auth/me', 'api/auth/me'])
  @ApiOperation({ summary: 'The signed-in user, tenant, role, permissions, plan and features' })
  @ApiOkResponse({ type: MeView })
  @ApiAuthenticated()
  me(@CurrentPrincipal() principal: Principal, @Query() _query: NoQueryParams): Promise<MeView> {
    if (principal.kind !== 'user') throw new DomainError('FORBIDDEN', 'An API key has no user; /auth/me is for signed-in users.');
    return this.identity.send(IDENTITY_RPC.me, { principal } satisfies MeRequest);
  }
}
