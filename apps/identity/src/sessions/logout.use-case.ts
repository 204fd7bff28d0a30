import { Inject, Injectable } from '@nestjs/common';
import { IdentityDatabase, tenantOf } from '@parking/identity/data-access';
import { TENANT_DATABASE } from '@parking/service-runtime';
import { sha256Hex } from '../crypto/opaque-token';

/** Revokes the family of the presented refresh token; an unknown token is not an error. */
@Injectable()
export class LogoutUseCase {
  constructor(@Inject(TENANT_DATABASE) private readonly db: IdentityDatabase) {}

  async execute(refreshToken: string): Promise<void> {
    const hash = sha256Hex(refreshToken);
    const tenantId = await this.db.asSystem('token-lookup', (tx) => tenantOf(tx, 'refresh-token', hash));
    if (!tenantId) return;
    await this.db.withTenant(tenantId, async (tx) => {
      const token = await tx.refreshToken.findUnique({ where: { tokenHash: hash }, select: { familyId: true } });
      if (token) await tx.refreshToken.updateMany({ where: { familyId: token.familyId, revokedAt: null }, data: { revokedAt: new Date() } });
    });
  }
}
