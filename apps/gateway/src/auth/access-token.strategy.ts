import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { decodeProtectedHeader } from 'jose';
import { ExtractJwt, Strategy } from 'passport-jwt';
import {
  ACCESS_TOKEN_AUDIENCE,
  ACCESS_TOKEN_ISSUER,
  ROLE_PERMISSIONS,
  TENANT_ROLES,
  type AccessTokenClaims,
  type Principal,
} from '@parking/contracts';
import { DomainError } from '@parking/problem-details';
import { JwksKeyStore } from './jwks-key-store';

export const ACCESS_TOKEN_STRATEGY = 'access-token';

/**
 * passport-jwt verifying identity's ES256 access tokens against the JWKS: signature by the
 * key the header's `kid` names, `iss`, `aud` and `exp`. A user's permissions are those of the
 * role in the token; identity checks the current role again on every command.
 */
@Injectable()
export class AccessTokenStrategy extends PassportStrategy(Strategy, ACCESS_TOKEN_STRATEGY) {
  constructor(keys: JwksKeyStore) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      algorithms: ['ES256'],
      issuer: ACCESS_TOKEN_ISSUER,
      audience: ACCESS_TOKEN_AUDIENCE,
      secretOrKeyProvider: (_request: unknown, rawToken: string, done: (error: unknown, key?: string | Buffer) => void) => {
        const kid = keyIdOf(rawToken);
        if (!kid) return done(new DomainError('INVALID_TOKEN', 'The access token names no signing key (kid).'));
        keys.keyFor(kid).then(
          // jsonwebtoken accepts a KeyObject; the typings only list strings and buffers.
          (key) => (key ? done(null, key as unknown as Buffer) : done(new DomainError('INVALID_TOKEN', 'The access token is signed by an unknown key.'))),
          (error: unknown) => done(error),
        );
      },
    });
  }

  validate(claims: AccessTokenClaims): Principal {
    const { sub, tid, role } = claims;
    if (typeof sub !== 'string' || typeof tid !== 'string' || !TENANT_ROLES.includes(role)) {
      throw new DomainError('INVALID_TOKEN', 'The access token lacks its subject, tenant or role.');
    }
    return {
      kind: 'user',
      tenantId: tid,
      actor: `user:${sub}`,
      userId: sub,
      role,
      permissions: [...ROLE_PERMISSIONS[role]],
      isPlatformAdmin: claims.pa === true,
    };
  }
}

function keyIdOf(token: string): string | undefined {
  try {
    const { kid } = decodeProtectedHeader(token);
    return typeof kid === 'string' ? kid : undefined;
  } catch {
    return undefined;
  }
}
