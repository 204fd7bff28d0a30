import { Body, Controller, Get, HttpCode, Inject, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  IDENTITY_RPC,
  IdentityEvents,
  LogoutRequest,
  MeResponse,
  OkView,
  RefreshRequest,
  RegisterRequest,
  RegistrationAcceptedView,
  SessionResponse,
  VerifyEmailRequest,
  type RegistrationOutcome,
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
    summary: 'Register a tenant and its owner (after the email is verified, by default)',
    description:
      'Public: no credentials needed. With email verification on (the default, EMAIL_VERIFICATION_REQUIRED) nothing is created yet: the answer is 202 `{accepted: true, verification: "email-sent"}` for every address, ' +
      'and the address gets a link whose token POST /api/v1/auth/verify-email takes to create the tenant and sign in, or, when it already has an account, a notice (nothing is created, nothing tells the caller). ' +
      `With verification off the tenant (default plan) and its owner are created at once and the answer is 201 with a session; ${IdentityEvents.TENANT_CREATED_V1} and the first ${IdentityEvents.TENANT_LIMITS_CHANGED_V1} are published when the tenant is created. ` +
      '409 CONFLICT when the tenant slug is taken (slugs are public); with verification off, also when the email already has an account (`errors` names which).',
  })
  @ApiCreatedResponse({ type: SessionResponse, description: 'Email verification off: the tenant and its owner, signed in' })
  @ApiAcceptedResponse({ type: RegistrationAcceptedView, description: 'Email verification on: a link (or a notice) was mailed to the address; the same answer for every address' })
  @ApiPublicRoute()
  @ApiProblems(409)
  register(
    @Body() body: RegisterRequest,
    @Caller() caller: CallerContext,
    @Query() _query: NoQueryParams,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.registered(this.rpc.call(IDENTITY_RPC.register, body, { caller }), reply);
  }

  @Public()
  @Post('api/auth/register')
  @ApiOperation({
    summary: 'Old path of register; also takes `username`, `tenant_name`, `tenant_slug`',
    description:
      'Deprecated alias of POST /api/v1/auth/register, kept for clients of the previous platform; public, same answers and errors. ' +
      'Besides the v1 body it accepts the old field names: `username` for `name`, `tenant_name` for `tenantName` and `tenant_slug` for `tenantSlug` (one spelling of each is enough).',
    deprecated: true,
  })
  @ApiCreatedResponse({ type: SessionResponse, description: 'Email verification off: the tenant and its owner, signed in' })
  @ApiAcceptedResponse({ type: RegistrationAcceptedView, description: 'Email verification on: a link (or a notice) was mailed to the address' })
  @ApiPublicRoute()
  @ApiProblems(409)
  registerLegacy(
    @Body() body: LegacyRegisterBody,
    @Caller() caller: CallerContext,
    @Query() _query: NoQueryParams,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.registered(this.rpc.call(IDENTITY_RPC.register, registerRequestOf(body), { caller }), reply);
  }

  @Public()
  @Post('api/v1/auth/verify-email')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Follow a registration’s mailed link: create the tenant and its owner, signed in',
    description:
      'Public: the mailed token is the credential, and works once. Creates the tenant on the default plan and its owner, in one transaction, and answers a session as sign-in does. ' +
      `Publishes ${IdentityEvents.TENANT_CREATED_V1} and the tenant's first ${IdentityEvents.TENANT_LIMITS_CHANGED_V1}. ` +
      'An unknown, used or expired token is 401 INVALID_TOKEN; 409 CONFLICT when the slug (or the email) was taken since the registration (register again).',
  })
  @ApiCreatedResponse({ type: SessionResponse })
  @ApiPublicRoute()
  @ApiProblems(401, 409)
  verifyEmail(@Body() body: VerifyEmailRequest, @Caller() caller: CallerContext, @Query() _query: NoQueryParams): Promise<SessionResponse> {
    return this.rpc.call(IDENTITY_RPC.verifyEmail, body, { caller });
  }

  @Public()
  @Post(['api/v1/auth/login', 'api/auth/login'])
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign in with email and password (JSON, or the form-encoded OAuth2 password grant)',
    description:
      'Public. Answers a short-lived access token (`expiresIn` seconds) and a single-use refresh token. Form clients send `username` (the email) and `password`; `grant_type` (only `password`), `scope` and `client_id` are accepted and ignored. ' +
      'A wrong password and an unknown email answer the same 401 INVALID_CREDENTIALS; a suspended tenant is 403 TENANT_SUSPENDED. ' +
      'Every attempt is counted per account and per address (an IPv6 /64) before the password is checked; after a few failures each next attempt must wait (1 s, then doubling, up to a minute per account): one too early is 429 RATE_LIMITED with Retry-After, for unknown emails alike. ' +
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

  /** 201 with the session (verification off), 202 with the acknowledgement (on); a refusal goes to the problem filter as usual. */
  private async registered(answer: Promise<RegistrationOutcome>, reply: FastifyReply): Promise<void> {
    const outcome = await answer;
    await reply.status('accessToken' in outcome ? 201 : 202).send(outcome);
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
