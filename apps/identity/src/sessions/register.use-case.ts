import { Inject, Injectable, Logger } from '@nestjs/common';
import { RegisterRequest, RegistrationAcceptedView, RegistrationOutcome, SessionResponse } from '@parking/contracts';
import { IdentityDatabase, Registration, tenantOf } from '@parking/identity/data-access';
import { OutboxWriter } from '@parking/messaging';
import { DomainError, FieldError } from '@parking/problem-details';
import { TENANT_DATABASE } from '@parking/service-runtime';
import { randomUUID } from 'node:crypto';
import { IDENTITY_CONFIG, IdentityConfig } from '../config/identity-config';
import { randomSecret, sha256Hex } from '../crypto/opaque-token';
import { PasswordHasher } from '../crypto/password-hasher';
import { Mailer } from '../mail/mailer';
import { createTenant } from '../tenants/create-tenant';
import { SessionIssuer } from './session-issuer';
import { isUniqueViolation } from './unique-violation';

/** The same answer for every address while email verification is on. */
const ACCEPTED: RegistrationAcceptedView = { accepted: true, verification: 'email-sent' };

export interface NewOwner {
  email: string;
  name: string;
  tenantName: string;
  tenantSlug: string;
  passwordHash: string;
}

function invalidRegistration(): DomainError {
  return new DomainError('INVALID_TOKEN', 'The registration link is not valid any more; register again.');
}

/**
 * A new tenant and its owner. With EMAIL_VERIFICATION_REQUIRED (the default) nothing is created
 * until the address follows a mailed link, and the answer is the same for every address: a new
 * one gets the link, one that already has an account gets a notice (and nothing changes). Without
 * it the tenant is created at once and signed in, so a taken email has to be refused (409).
 * A slug a tenant already has is refused either way, by name: slugs are public.
 */
@Injectable()
export class RegisterUseCase {
  private readonly logger = new Logger(RegisterUseCase.name);

  constructor(
    @Inject(TENANT_DATABASE) private readonly db: IdentityDatabase,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
    private readonly outbox: OutboxWriter,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionIssuer,
    private readonly mailer: Mailer,
  ) {}

  async execute(command: RegisterRequest): Promise<RegistrationOutcome> {
    const taken = await this.db.asSystem('sign-in', async (tx) => ({
      email: (await tenantOf(tx, 'email', command.email)) !== null,
      slug: (await tenantOf(tx, 'tenant-slug', command.tenantSlug)) !== null,
    }));
    if (taken.slug) throw conflict({ email: false, slug: true });
    if (!this.config.registration.emailVerificationRequired) {
      if (taken.email) throw conflict(taken);
      return this.createOwner({ ...command, passwordHash: await this.hasher.hash(command.password) });
    }
    // Hashed either way, so a taken address takes as long to answer as a new one.
    const passwordHash = await this.hasher.hash(command.password);
    if (taken.email) {
      this.mailInBackground({
        to: command.email,
        subject: 'You already have an account',
        text:
          `Someone asked to register a new tenant with this address, which already has an account on the platform. Nothing was created and nothing has changed in your account.\n\n` +
          `If it was you, sign in instead; if you forgot the password, reset it here:\n${this.config.mail.publicBaseUrl}/reset-password\n\nIf it was not you, ignore this mail.\n`,
      });
      return ACCEPTED;
    }
    const token = `reg_${randomSecret()}`;
    await this.db.asSystem('sign-in', async (tx) => {
      // A new registration of the address replaces its pending one; expired ones go too.
      await tx.$executeRawUnsafe('DELETE FROM identity.registrations WHERE lower(email) = lower($1) OR expires_at <= now()', command.email);
      await tx.registration.create({
        data: {
          id: randomUUID(),
          email: command.email,
          name: command.name,
          tenantName: command.tenantName,
          tenantSlug: command.tenantSlug,
          passwordHash,
          tokenHash: sha256Hex(token),
          expiresAt: new Date(Date.now() + this.config.registration.ttlSeconds * 1000),
        },
      });
    });
    const hours = Math.round(this.config.registration.ttlSeconds / 3600);
    this.mailInBackground({
      to: command.email,
      subject: 'Confirm your email address',
      text:
        `Someone asked to register ${command.tenantName} with this address. If it was you, confirm it here; the tenant is created when you do (the link works once, for ${hours} hours):\n` +
        `${this.mailer.link('/verify-email', token)}\n\nIf it was not you, ignore this mail: nothing is created.\n`,
    });
    return ACCEPTED;
  }

  /** The mailed link was followed: the registration is used up, the tenant and its owner are created and signed in. */
  async verify(token: string): Promise<SessionResponse> {
    const hash = sha256Hex(token);
    const [registration] = await this.db.asSystem('token-lookup', (tx) =>
      tx.$queryRawUnsafe<Registration[]>(
        `DELETE FROM identity.registrations WHERE token_hash = $1
         RETURNING id, email, name, tenant_name AS "tenantName", tenant_slug AS "tenantSlug", password_hash AS "passwordHash",
                   token_hash AS "tokenHash", created_at AS "createdAt", expires_at AS "expiresAt"`,
        hash,
      ),
    );
    if (!registration || registration.expiresAt <= new Date()) throw invalidRegistration();
    try {
      return await this.createOwner(registration);
    } catch (error) {
      if (error instanceof DomainError) throw error;
      // Not the link's fault (the database was away): it works again.
      await this.db
        .asSystem('sign-in', (tx) => tx.registration.create({ data: registration }))
        .catch((restore: Error) => this.logger.warn(`registration ${registration.id} could not be restored: ${restore.message}`));
      throw error;
    }
  }

  private async createOwner(owner: NewOwner): Promise<SessionResponse> {
    const tenantId = randomUUID();
    const user = { id: randomUUID(), tenantId, role: 'owner', isPlatformAdmin: false };
    try {
      const refreshToken = await this.db.withTenant(tenantId, async (tx) => {
        await createTenant(tx, this.outbox, { id: tenantId, name: owner.tenantName, slug: owner.tenantSlug, plan: this.config.defaultTenantPlan });
        await tx.user.create({ data: { ...user, email: owner.email, name: owner.name, passwordHash: owner.passwordHash, lastLoginAt: new Date() } });
        return this.sessions.storeRefreshToken(tx, user);
      });
      return await this.sessions.session(user, refreshToken);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Taken since it was checked (another registration won the race): say which, now that it is ours to say.
      const taken = await this.db.asSystem('sign-in', async (tx) => ({
        email: (await tenantOf(tx, 'email', owner.email)) !== null,
        slug: (await tenantOf(tx, 'tenant-slug', owner.tenantSlug)) !== null,
      }));
      throw conflict(taken.email || taken.slug ? taken : { email: true, slug: true }, error);
    }
  }

  private mailInBackground(mail: { to: string; subject: string; text: string }): void {
    // Not awaited: a slow mail server must not tell a taken address from a new one by the time the answer takes.
    void this.mailer.send(mail).catch((error: unknown) => this.logger.error(`registration mail failed: ${(error as Error).message}`));
  }
}

function conflict(taken: { email: boolean; slug: boolean }, cause?: unknown): DomainError {
  const errors: FieldError[] = [];
  if (taken.email && !taken.slug) errors.push({ field: 'email', message: 'already has an account; sign in or reset the password' });
  else if (taken.slug && !taken.email) errors.push({ field: 'tenantSlug', message: 'is taken; choose another' });
  else errors.push({ field: 'email', message: 'or tenantSlug is already taken' });
  return new DomainError('CONFLICT', `Registration refused: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}.`, undefined, { errors, cause });
}
