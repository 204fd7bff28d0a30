import { Inject, Injectable } from '@nestjs/common';
import { RegisterRequest, RegisterResponse } from '@parking/contracts';
import { IdentityDatabase, tenantOf } from '@parking/identity/data-access';
import { OutboxWriter } from '@parking/messaging';
import { DomainError, FieldError } from '@parking/problem-details';
import { TENANT_DATABASE } from '@parking/service-runtime';
import { randomUUID } from 'node:crypto';
import { PasswordHasher } from '../crypto/password-hasher';
import { createTenant } from '../tenants/create-tenant';
import { SessionIssuer } from './session-issuer';
import { isUniqueViolation } from './unique-violation';

/** A new tenant and its owner in one transaction, signed in. */
@Injectable()
export class RegisterUseCase {
  constructor(
    @Inject(TENANT_DATABASE) private readonly db: IdentityDatabase,
    private readonly outbox: OutboxWriter,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionIssuer,
  ) {}

  async execute(command: RegisterRequest): Promise<RegisterResponse> {
    const taken = await this.db.asSystem('sign-in', async (tx) => ({
      email: (await tenantOf(tx, 'email', command.email)) !== null,
      slug: (await tenantOf(tx, 'tenant-slug', command.tenantSlug)) !== null,
    }));
    if (taken.email || taken.slug) throw conflict(taken);
    const passwordHash = await this.hasher.hash(command.password);
    const tenantId = randomUUID();
    const user = { id: randomUUID(), tenantId, role: 'owner', isPlatformAdmin: false };
    try {
      const refreshToken = await this.db.withTenant(tenantId, async (tx) => {
        await createTenant(tx, this.outbox, { id: tenantId, name: command.tenantName, slug: command.tenantSlug });
        await tx.user.create({ data: { ...user, email: command.email, name: command.name, passwordHash, lastLoginAt: new Date() } });
        return this.sessions.storeRefreshToken(tx, user);
      });
      return await this.sessions.session(user, refreshToken);
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict({ email: true, slug: true }, error);
      throw error;
    }
  }
}

function conflict(taken: { email: boolean; slug: boolean }, cause?: unknown): DomainError {
  const errors: FieldError[] = [];
  if (taken.email && !taken.slug) errors.push({ field: 'email', message: 'already has an account; sign in or reset the password' });
  else if (taken.slug && !taken.email) errors.push({ field: 'tenantSlug', message: 'is taken; choose another' });
  else errors.push({ field: 'email', message: 'or tenantSlug is already taken' });
  return new DomainError('CONFLICT', `Registration refused: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}.`, undefined, { errors, cause });
}
