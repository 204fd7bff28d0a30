import { Inject, Injectable } from '@nestjs/common';
import { SessionResponse, TenantRole } from '@parking/contracts';
import { IdentityTransaction } from '@parking/identity/data-access';
import { randomUUID } from 'node:crypto';
import { IDENTITY_CONFIG, IdentityConfig } from '../config/identity-config';
import { randomSecret, sha256Hex } from '../crypto/opaque-token';
import { AccessTokenIssuer } from '../tokens/access-token-issuer';

export interface SessionUser {
  id: string;
  tenantId: string;
  role: string;
  isPlatformAdmin: boolean;
}

/** A refresh token (stored as its SHA-256) in a family, and a fresh access token. */
@Injectable()
export class SessionIssuer {
  constructor(
    private readonly access: AccessTokenIssuer,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
  ) {}

  /** Inside the tenant transaction: stores the refresh token; the access token is signed after. */
  async storeRefreshToken(tx: IdentityTransaction, user: SessionUser, familyId: string = randomUUID()): Promise<string> {
    const refreshToken = `rt_${randomSecret()}`;
    await tx.refreshToken.create({
      data: {
        id: randomUUID(),
        tenantId: user.tenantId,
        userId: user.id,
        familyId,
        tokenHash: sha256Hex(refreshToken),
        expiresAt: new Date(Date.now() + this.config.tokens.refreshTtlSeconds * 1000),
      },
    });
    return refreshToken;
  }

  async session(user: SessionUser, refreshToken: string): Promise<SessionResponse> {
    const accessToken = await this.access.issue({
      userId: user.id,
      tenantId: user.tenantId,
      role: user.role as TenantRole,
      isPlatformAdmin: user.isPlatformAdmin,
    });
    return {
      accessToken,
      tokenType: 'Bearer',
      expiresIn: this.access.ttlSeconds,
      refreshToken,
      refreshExpiresIn: this.config.tokens.refreshTtlSeconds,
      userId: user.id,
      tenantId: user.tenantId,
    };
  }
}
