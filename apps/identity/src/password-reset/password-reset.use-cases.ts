import { Inject, Injectable, Logger } from '@nestjs/common';
import { IdentityDatabase, tenantOf } from '@parking/identity/data-access';
import { DomainError } from '@parking/problem-details';
import { TENANT_DATABASE } from '@parking/service-runtime';
import { randomUUID } from 'node:crypto';
import { IDENTITY_CONFIG, IdentityConfig } from '../config/identity-config';
import { randomSecret, sha256Hex } from '../crypto/opaque-token';
import { PasswordHasher } from '../crypto/password-hasher';
import { Mailer } from '../mail/mailer';

function invalidReset(): DomainError {
  return new DomainError('INVALID_TOKEN', 'The password reset link is not valid any more; ask for a new one.');
}

/**
 * Reset by mail. The request answers the same whether or not the email has an account, and
 * takes about as long: the mail is sent after the reply would be due either way.
 */
@Injectable()
export class PasswordResetUseCases {
  private readonly logger = new Logger(PasswordResetUseCases.name);

  constructor(
    @Inject(TENANT_DATABASE) private readonly db: IdentityDatabase,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
    private readonly mailer: Mailer,
    private readonly hasher: PasswordHasher,
  ) {}

  async request(email: string): Promise<void> {
    const token = `pwr_${randomSecret()}`;
    const tenantId = await this.db.asSystem('sign-in', (tx) => tenantOf(tx, 'email', email));
    if (!tenantId) return;
    const created = await this.db.withTenant(tenantId, async (tx) => {
      const user = await tx.user.findFirst({ where: { email } });
      if (!user) return false;
      await tx.passwordReset.create({
        data: {
          id: randomUUID(),
          tenantId,
          userId: user.id,
          tokenHash: sha256Hex(token),
          expiresAt: new Date(Date.now() + this.config.tokens.passwordResetTtlSeconds * 1000),
        },
      });
      return true;
    });
    if (!created) return;
    // Not awaited: a slow mail server must not make known emails answer slower than unknown ones.
    void this.mailer
      .send({
        to: email,
        subject: 'Reset your password',
        text: `Someone asked to reset the password of this account. If it was you, choose a new password here (the link works once, for ${Math.round(this.config.tokens.passwordResetTtlSeconds / 60)} minutes):\n${this.mailer.link('/reset-password', token)}\n\nIf it was not you, ignore this mail.\n`,
      })
      .catch((error: unknown) => this.logger.error(`password reset mail failed: ${(error as Error).message}`));
  }

  /** Sets the new password and ends every session of the user. */
  async confirm(token: string, newPassword: string): Promise<void> {
    const hash = sha256Hex(token);
    const tenantId = await this.db.asSystem('token-lookup', (tx) => tenantOf(tx, 'password-reset', hash));
    if (!tenantId) throw invalidReset();
    const passwordHash = await this.hasher.hash(newPassword);
    await this.db.withTenant(tenantId, async (tx) => {
      await tx.$executeRawUnsafe('SELECT 1 FROM identity.password_resets WHERE token_hash = $1 FOR UPDATE', hash);
      const reset = await tx.passwordReset.findUnique({ where: { tokenHash: hash } });
      if (!reset || reset.usedAt || reset.expiresAt <= new Date()) throw invalidReset();
      const now = new Date();
      await tx.passwordReset.update({ where: { id: reset.id }, data: { usedAt: now } });
      await tx.user.update({ where: { id: reset.userId }, data: { passwordHash } });
      await tx.refreshToken.updateMany({ where: { userId: reset.userId, revokedAt: null }, data: { revokedAt: now } });
    });
  }
}
