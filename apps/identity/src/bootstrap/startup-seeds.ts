import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { IdentityDatabase, tenantOf } from '@parking/identity/data-access';
import { OutboxWriter } from '@parking/messaging';
import { TENANT_DATABASE } from '@parking/service-runtime';
import { IDENTITY_CONFIG, IdentityConfig } from '../config/identity-config';
import { PasswordHasher } from '../crypto/password-hasher';
import { seedTenant } from './seed-tenant';

export const PLATFORM_TENANT_SLUG = 'platform';
export const DEMO_TENANT_SLUG = 'demo';

/**
 * At start: the first platform admin (BOOTSTRAP_ADMIN_EMAIL/PASSWORD) when none exists, in a
 * `platform` tenant of its own; and the demo tenant when SEED_DEMO_TENANT=true. Logs name
 * the email, never the password.
 */
@Injectable()
export class StartupSeeds implements OnApplicationBootstrap {
  private readonly logger = new Logger(StartupSeeds.name);

  constructor(
    @Inject(TENANT_DATABASE) private readonly db: IdentityDatabase,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
    private readonly outbox: OutboxWriter,
    private readonly hasher: PasswordHasher,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bootstrapAdmin();
    if (this.config.demo.seed) await this.seedDemoTenant();
  }

  async bootstrapAdmin(): Promise<void> {
    const admin = this.config.bootstrapAdmin;
    if (!admin) return;
    const existing = await this.db.asSystem('bootstrap', (tx) => tenantOf(tx, 'platform-admin', ''));
    if (existing) return;
    const created = await seedTenant(this.db, this.outbox, {
      name: 'Platform operators',
      slug: PLATFORM_TENANT_SLUG,
      plan: 'enterprise',
      owner: { email: admin.email, name: 'Platform admin', passwordHash: await this.hasher.hash(admin.password), isPlatformAdmin: true },
    });
    if (created) this.logger.log(`created the first platform admin ${admin.email}`);
    else this.logger.warn(`no platform admin created: the "${PLATFORM_TENANT_SLUG}" tenant or ${admin.email} exists already`);
  }

  /** Idempotent: the demo tenant (slug `demo`, standard plan) and its owner DEMO_EMAIL / DEMO_PASSWORD. */
  async seedDemoTenant(): Promise<void> {
    const { email, password } = this.config.demo;
    if (!password) return;
    const created = await seedTenant(this.db, this.outbox, {
      name: 'Demo Parking',
      slug: DEMO_TENANT_SLUG,
      plan: 'standard',
      owner: { email, name: 'Demo owner', passwordHash: await this.hasher.hash(password), isPlatformAdmin: false },
    });
    this.logger.debug(created ? `demo tenant created: sign in as ${email}` : `demo tenant already present: sign in as ${email}`);
  }
}
