import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { decodeJwt } from 'jose';
import type { Principal } from '@parking/contracts';
import { MetricsController } from '@parking/observability';
import { DomainError } from '@parking/problem-details';
import { HealthController } from '@parking/service-runtime';
import { ACCESS_REQUIREMENT, PUBLIC_ROUTE, type AccessRequirement } from './access-requirements';
import { ACCESS_TOKEN_STRATEGY } from './access-token.strategy';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { authorise } from './authorise';
import type { CredentialLifetime } from './credential-expiry';
import type { AuthenticatedRequest } from './current-principal.decorator';
import { presentedCredential } from './presented-credential';

const REALM = 'Bearer realm="parking-api"';

// Probes and scrapes come from the platform's runtime libraries, which know nothing of @Public().
const RUNTIME_CONTROLLERS: ReadonlySet<unknown> = new Set([HealthController, MetricsController]);

/**
 * The one global guard. Every route is authenticated unless marked `@Public()`: an API key
 * (verified by identity, cached) or an access JWT (passport-jwt against the JWKS) becomes the
 * request's Principal, then the route's `@RequirePermission` / `@RequirePlatformAdmin` is
 * checked. 401s carry `WWW-Authenticate`; everything renders as problem+json.
 */
@Injectable()
export class AccessGuard extends AuthGuard(ACCESS_TOKEN_STRATEGY) {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeyAuthenticator,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (RUNTIME_CONTROLLERS.has(context.getClass()) || this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;

    const request = context.switchToHttp().getRequest<FastifyRequest & AuthenticatedRequest & CredentialLifetime>();
    const { principal, expiresAt } = await this.authenticate(context, request).catch((error: unknown) => {
      if (error instanceof DomainError && error.status === 401) {
        const presented = presentedCredential(request.headers).kind !== 'none';
        const challenge = presented ? `${REALM}, error="invalid_token"` : REALM;
        void context.switchToHttp().getResponse<FastifyReply>().header('www-authenticate', challenge);
      }
      throw error;
    });
    request.user = principal;
    if (expiresAt !== undefined) request.credentialExpiresAt = expiresAt;
    authorise(principal, this.reflector.getAllAndOverride<AccessRequirement>(ACCESS_REQUIREMENT, targets));
    return true;
  }

  override handleRequest<TUser = Principal>(error: unknown, user: TUser | false, info: unknown): TUser {
    if (error) throw error;
    if (info instanceof DomainError) throw info;
    if (!user) throw new DomainError('INVALID_TOKEN', describeRejection(info));
    return user;
  }

  private async authenticate(context: ExecutionContext, request: FastifyRequest & AuthenticatedRequest): Promise<{ principal: Principal; expiresAt?: number }> {
    const credential = presentedCredential(request.headers);
    switch (credential.kind) {
      case 'api-key': {
        const { principal, keyExpiresAt } = await this.apiKeys.verify(credential.key);
        return { principal, expiresAt: keyExpiresAt };
      }
      case 'access-token':
        await super.canActivate(context);
        // passport-jwt has verified the token, `exp` included; only its value is read here.
        return { principal: request.user as Principal, expiresAt: expiryOf(credential.token) };
      case 'none':
        throw new DomainError('UNAUTHENTICATED', 'This route needs an access token (Authorization: Bearer <token>) or an API key (X-API-Key).');
    }
  }
}

function expiryOf(token: string): number | undefined {
  const { exp } = decodeJwt(token);
  return typeof exp === 'number' ? exp * 1000 : undefined;
}

/** passport-jwt's reasons (jsonwebtoken errors) as a sentence the client can act on. */
function describeRejection(info: unknown): string {
  const name = (info as { name?: unknown } | undefined)?.name;
  const message = String((info as { message?: unknown } | undefined)?.message ?? '');
  if (name === 'TokenExpiredError') return 'The access token has expired; refresh it.';
  if (/audience/.test(message)) return 'The access token is not meant for this API (audience).';
  if (/issuer/.test(message)) return 'The access token was not issued by parking-identity.';
  return 'The access token is not valid.';
}
