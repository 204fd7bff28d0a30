import { Inject, Injectable } from '@nestjs/common';
import { LoginRequest, LoginResponse } from '@parking/contracts';
import { IdentityDatabase, tenantOf, User } from '@parking/identity/data-access';
import { DomainError } from '@parking/problem-details';
import { TENANT_DATABASE } from '@parking/service-runtime';
import { PasswordHasher } from '../crypto/password-hasher';
import { LoginThrottle } from './login-throttle';
import { SessionIssuer } from './session-issuer';

/** A sign-in attempt and where it comes from (throttled per account and per address). */
export interface LoginCommand extends LoginRequest {
  ip: string;
}

/** One answer for unknown email and wrong password: nothing to tell them apart. */
export function invalidCredentials(): DomainError {
  return new DomainError('INVALID_CREDENTIALS', 'The email or password is not correct.');
}

/** An attempt that came before its wait was over; unknown emails wait exactly like known ones. */
function tooSoon(retryAfterMs: number): DomainError {
  const retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new DomainError('RATE_LIMITED', `Too many failed sign-ins for this account or from this address; retry in ${retryAfterSeconds} s.`, { retryAfterSeconds });
}

@Injectable()
export class LoginUseCase {
  constructor(
    @Inject(TENANT_DATABASE) private readonly db: IdentityDatabase,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly sessions: SessionIssuer,
  ) {}

  async execute(command: LoginCommand): Promise<LoginResponse> {
    // Counted before the password is checked: concurrent guesses cannot all pass one check.
    const admission = await this.throttle.admit(command.email, command.ip);
    if (!admission.admitted) throw tooSoon(admission.retryAfterMs);
    const found = await this.findUser(command.email);
    // Always one argon2 verify, whether the user exists or not.
    const check = await this.hasher.check(command.password, found?.user.passwordHash ?? null);
    if (!found || !check.ok) throw invalidCredentials();
    const { user, tenantStatus } = found;
    await this.throttle.succeeded(admission.keys);
    if (tenantStatus !== 'active' && !user.isPlatformAdmin) {
      throw new DomainError('TENANT_SUSPENDED', 'This tenant is suspended; contact the platform operator.');
    }
    const newHash = check.needsRehash ? await this.hasher.hash(command.password) : null;
    const refreshToken = await this.db.withTenant(user.tenantId, async (tx) => {
      await tx.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date(), ...(newHash ? { passwordHash: newHash } : {}) } });
      return this.sessions.storeRefreshToken(tx, user);
    });
    return this.sessions.session(user, refreshToken);
  }

  private async findUser(email: string): Promise<{ user: User; tenantStatus: string } | null> {
    const tenantId = await this.db.asSystem('sign-in', (tx) => tenantOf(tx, 'email', email));
    if (!tenantId) return null;
    return this.db.withTenant(tenantId, async (tx) => {
      const user = await tx.user.findFirst({ where: { email }, include: { tenant: { select: { status: true } } } });
      return user ? { user, tenantStatus: user.tenant.status } : null;
    });
  }
}
