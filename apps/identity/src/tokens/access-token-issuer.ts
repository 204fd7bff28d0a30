import { Inject, Injectable } from '@nestjs/common';
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER, TenantRole } from '@parking/contracts';
import { SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { IDENTITY_CONFIG, IdentityConfig } from '../config/identity-config';
import { SigningKeys } from './signing-keys';

export interface AccessTokenSubject {
  userId: string;
  tenantId: string;
  role: TenantRole;
  isPlatformAdmin: boolean;
}

/** Signs the short-lived access JWT (claims per AccessTokenClaims, `kid` in the header). */
@Injectable()
export class AccessTokenIssuer {
  constructor(
    private readonly keys: SigningKeys,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
  ) {}

  get ttlSeconds(): number {
    return this.config.tokens.accessTtlSeconds;
  }

  async issue(subject: AccessTokenSubject): Promise<string> {
    const { kid, privateKey } = await this.keys.current();
    const claims: Record<string, unknown> = { tid: subject.tenantId, role: subject.role };
    if (subject.isPlatformAdmin) claims.pa = true;
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
      .setIssuer(ACCESS_TOKEN_ISSUER)
      .setAudience(ACCESS_TOKEN_AUDIENCE)
      .setSubject(subject.userId)
      .setIssuedAt()
      .setExpirationTime(`${this.ttlSeconds}s`)
      .setJti(randomUUID())
      .sign(privateKey);
  }
}
