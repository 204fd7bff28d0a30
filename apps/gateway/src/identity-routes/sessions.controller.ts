import { Body, Controller, Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  IDENTITY_RPC,
  IdentityEvents,
  LogoutRequest,
  MeResponse,
  OkView,
  RefreshRequest,
  RegisterRequest,
  SessionResponse,
  type CallerContext,
  type Principal,
} from '@parking/contracts';
import { RpcClient } from '@parking/messaging-nest';
import { DomainError } from '@parking/problem-details';
import { Public } from '../auth/access-requirements';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { NoQueryParams } from '../http-params/no-query-params';
import { ApiAuthenticated, ApiProblems, ApiPublicRoute } from '../openapi/api-docs.decorators';
import { Caller } from './caller.decorator';
import { LegacyRegisterBody, LoginBody, loginRequestOf, registerRequestOf } from './legacy-auth-bodies';

/** The sentence every route served under both its v1 path and the previous platform's path ends with. */
const alsoAt = (oldPath: string): string =>
  `The previous platform's path ${oldPath} serves the same operation for its clients, with the same request and answer.`;

/** Sign-up, sign-in and sessions; `/api/auth/*` are the old paths, kept for existing clients. */
@ApiTags('auth')
@Controller()
export class SessionsController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @Public()
  @Post('api/v1/auth/register')
  @ApiOperation({
    summary: 'Create a tenant and its owner, signed in',
    description:
      'Public: no credentials needed. Creates the tenant on the default plan and its first user with the role owner, in one transaction, and answers a session as sign-in does. ' +
      `Publishes ${IdentityEvents.TENANT_CREATED_V1} and the tenant's first ${IdentityEvents.TENANT_LIMITS_CHANGED_V1}. ` +
      '409 CONFLICT when the email already has an account or the tenant slug is taken (`errors` names which).',
  })
  @ApiCreatedResponse({ type: SessionResponse })
  @ApiPublicRoute()
  @ApiProblems(409)
  register(@Body() body: RegisterRequest, @Caller() caller: CallerContext, @Query() _query: NoQueryParams): Promise<SessionResponse> {
    return this.rpc.call(IDENTITY_RPC.register, body, { caller });
  }

  @Public()
  @Post('api/auth/register')
  @ApiOperation({
    summary: 'Old path of register; also takes `username`, `tenant_name`, `tenant_slug`',
    description:
      'Deprecated alias of POST /api/v1/auth/register, kept for clients of the previous platform; public, same answer and errors. ' +
      'Besides the v1 body it accepts the old field names: `username` for `name`, `tenant_name` for `tenantName` and `tenant_slug` for `tenantSlug` (one spelling of each is enough).',
    deprecated: true,
  })
  @ApiCreatedResponse({ type: SessionResponse })
  @ApiPublicRoute()
  @ApiProblems(409)
  registerLegacy(@Body() body: LegacyRegisterBody, @Caller() caller: CallerContext, @Query() _query: NoQueryParams): Promise<SessionResponse> {
    return this.rpc.call(IDENTITY_RPC.register, registerRequestOf(body), { caller });
  }

  @Public()
  @Post(['api/v1/auth/login', 'api/auth/login'])
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign in with email and password (JSON, or the form-encoded OAuth2 password grant)',
    description:
      'Public. Answers a short-lived access token (`expiresIn` seconds) and a single-use refresh token. Form clients send `username` (the email) and `password`; `grant_type` (only `password`), `scope` and `client_id` are accepted and ignored. ' +
      'A wrong password, an unknown email and an account or address locked after repeated failures all answer the same 401 INVALID_CREDENTIALS; a suspended tenant is 403 TENANT_SUSPENDED. ' +
      alsoAt('/api/auth/login'),
  })
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
  @ApiOperation({
    summary: 'Trade a refresh token for a new pair; reusing a used one revokes its whole family',
    description:
      'Public: the refresh token is the credential. The token sent is used up and the answer carries a new access token and a new refresh token of the same family. ' +
      'An unknown, expired, revoked or already used token is 401 INVALID_TOKEN; a used one also revokes every token of its family, the newest included, so both holders must sign in again. A suspended tenant’s tokens are refused the same way (platform administrators excepted). ' +
      alsoAt('/api/auth/refresh'),
  })
  @ApiOkResponse({ type: SessionResponse })
  @ApiPublicRoute()
  @ApiProblems(401)
  refresh(@Body() body: RefreshRequest, @Caller() caller: CallerContext, @Query() _query: NoQueryParams): Promise<SessionResponse> {
    return this.rpc.call(IDENTITY_RPC.refresh, body, { caller });
  }

  @Public()
  @Post(['api/v1/auth/logout', 'api/auth/logout'])
  @HttpCode(200)
  @ApiOperation({
    summary: 'Revoke the refresh token and its family (idempotent)',
    description:
      'Public: the refresh token is the credential. Revokes every refresh token of the family (all refreshed from the same sign-in) and always answers `{ok: true}`, also for an unknown or already revoked token. ' +
      'Access tokens already issued stay valid until they expire. ' +
      alsoAt('/api/auth/logout'),
  })
  @ApiOkResponse({ type: OkView })
  @ApiPublicRoute()
  logout(@Body() body: LogoutRequest, @Query() _query: NoQueryParams): Promise<OkView> {
    return this.rpc.call(IDENTITY_RPC.logout, body);
  }

  @Get(['api/v1/auth/me', 'api/auth/me'])
  @ApiOperation({
    summary: 'The signed-in user, tenant, role, permissions, plan and features',
    description:
      'Any signed-in user, whatever the role; an API key is 403 FORBIDDEN, since it has no user. The role and its permissions, the plan’s effective limits and the feature flags are read from the database, not from the token. ' +
      alsoAt('/api/auth/me'),
  })
  @ApiOkResponse({ type: MeResponse })
  @ApiAuthenticated()
  me(@CurrentPrincipal() principal: Principal, @Query() _query: NoQueryParams): Promise<MeResponse> {
    if (principal.kind !== 'user') throw new DomainError('FORBIDDEN', 'An API key has no user; /auth/me is for signed-in users.');
    return this.rpc.call(IDENTITY_RPC.me, {}, { principal });
  }
}
