import { Inject, Injectable } from '@nestjs/common';
import { IdentityDatabase } from '@parking/identity/data-access';
import { TENANT_DATABASE } from '@parking/service-runtime';
import { IDENTITY_CONFIG, IdentityConfig } from '../config/identity-config';
import { sha256Hex } from '../crypto/opaque-token';

/**
 * Failed sign-ins counted in PostgreSQL per account and per IP, so every replica sees the
 * same counts. The account key is a hash of the email, and it counts for emails that have
 * no account too: a lock says nothing about whether the account exists.
 */
@Injectable()
export class LoginThrottle {
  constructor(
    @Inject(TENANT_DATABASE) private readonly db: IdentityDatabase,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
  ) {}

  keys(email: string, ip: string): { account: string; ip: string } {
    return { account: `account:${sha256Hex(email.toLowerCase())}`, ip: `ip:${ip}` };
  }

  async isLocked(email: string, ip: string): Promise<boolean> {
    const { account, ip: ipKey } = this.keys(email, ip);
    const rows = await this.db.asSystem('sign-in', (tx) =>
      tx.loginThrottle.findMany({ where: { key: { in: [account, ipKey] }, lockedUntil: { gt: new Date() } }, select: { key: true } }),
    );
    return rows.length > 0;
  }

  /** Counts one failure against both keys; a key that reaches its maximum is locked. */
  async recordFailure(email: string, ip: string): Promise<void> {
    const { account, ip: ipKey } = this.keys(email, ip);
    const { windowSeconds, lockSeconds, maxFailuresPerAccount, maxFailuresPerIp } = this.config.throttle;
    await this.db.asSystem('sign-in', async (tx) => {
      for (const [key, max] of [
        [account, maxFailuresPerAccount],
        [ipKey, maxFailuresPerIp],
      ] as const) {
        // A failure outside the window starts a new one; reaching max locks the key.
        await tx.$executeRawUnsafe(
          `INSERT INTO identity.login_throttle AS t (key, failures, window_start)
           VALUES ($1, 1, now())
           ON CONFLICT (key) DO UPDATE SET
             failures = CASE WHEN t.window_start < now() - make_interval(secs => $2) THEN 1 ELSE t.failures + 1 END,
             window_start = CASE WHEN t.window_start < now() - make_interval(secs => $2) THEN now() ELSE t.window_start END`,
          key,
          windowSeconds,
        );
        await tx.$executeRawUnsafe(
          `UPDATE identity.login_throttle SET locked_until = now() + make_interval(secs => $3), failures = 0, window_start = now()
            WHERE key = $1 AND failures >= $2`,
          key,
          max,
          lockSeconds,
        );
      }
    });
  }

  /** A successful sign-in clears the account's count (not the IP's: one good account must not unlock a spraying IP). */
  async recordSuccess(email: string): Promise<void> {
    const { account } = this.keys(email, '');
    await this.db.asSystem('sign-in', (tx) => tx.loginThrottle.deleteMany({ where: { key: account, lockedUntil: null } }));
  }
}
