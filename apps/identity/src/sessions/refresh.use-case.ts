import { Inject, Injectable, Logger } from '@nestjs/common';
import { RefreshResponse } from '@parking/contracts';
import { IdentityDatabase, IdentityTransaction, tenantOf } from '@parking/identity/data-access';
import { DomainError } from '@parking/problem-details';
import { TENANT_DATABASE } from '@parking/service-runtime';
import { sha256Hex } from '../crypto/opaque-token';
import { SessionIssuer, SessionUser } from './session-issuer';

export function invalidRefreshToken(): DomainError {
  return new DomainError('INVALID_TOKEN', 'The refresh token is not valid any more; sign in again.');
}

type Outcome = { kind: 'rotated'; user: SessionUser; refreshToken: string } | { kind: 'refused'; reuse: boolean };

/**
 * Rotates a refresh token. A token presented twice means it leaked (or its owner raced
 * itself): the whole family is revoked, the new token included.
 */
@Injectable()
export class RefreshUseCase {
  private readonly logger = new Logger(RefreshUseCase.name);

  constructor(
    @Inject(TENANT_DATABASE) private readonly db: IdentityDatabase,
    private readonly sessions: SessionIssuer,
  ) {}

  async execute(refreshToken: string): Promise<RefreshResponse> {
    const hash = sha256Hex(refreshToken);
    const tenantId = await this.db.asSystem('token-lookup', (tx) => tenantOf(tx, 'refresh-token', hash));
    if (!tenantId) throw invalidRefreshToken();
    // The revocation must commit, so the refusal is decided inside and thrown outside.
    const outcome = await this.db.withTenant(tenantId, (tx) => this.rotate(tx, hash));
    if (outcome.kind === 'refused') {
      if (outcome.reuse) this.logger.warn(`refresh token reused: family revoked (tenant ${tenantId})`);
      throw invalidRefreshToken();
    }
    return this.sessions.session(outcome.user, outcome.refreshToken);
  }

  private async rotate(tx: IdentityTransaction, hash: string): Promise<Outcome> {
    // Row lock: two concurrent refreshes with one token are one use and one reuse.
    await tx.$executeRawUnsafe('SELECT 1 FROM identity.refresh_tokens WHERE token_hash = $1 FOR UPDATE', hash);
    const token = await tx.refreshToken.findUnique({ where: { tokenHash: hash }, include: { user: { include: { tenant: true } } } });
    if (!token || token.revokedAt || token.expiresAt <= new Date()) return { kind: 'refused', reuse: false };
    if (token.usedAt) {
      await tx.refreshToken.updateMany({ where: { familyId: token.familyId, revokedAt: null }, data: { revokedAt: new Date() } });
      return { kind: 'refused', reuse: true };
    }
    await tx.refreshToken.update({ where: { id: token.id }, data: { usedAt: new Date() } });
    const { user } = token;
    if (user.tenant.status !== 'active' && !user.isPlatformAdmin) return { kind: 'refused', reuse: false };
    const refreshToken = await this.sessions.storeRefreshToken(tx, user, token.familyId);
    return { kind: 'rotated', user, refreshToken };
  }
}
