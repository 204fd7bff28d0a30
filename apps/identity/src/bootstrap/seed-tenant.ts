import { PlanId } from '@parking/contracts';
import { IdentityDatabase, tenantOf } from '@parking/identity/data-access';
import { OutboxWriter } from '@parking/messaging';
import { randomUUID } from 'node:crypto';
import { isUniqueViolation } from '../sessions/unique-violation';
import { createTenant } from '../tenants/create-tenant';

export interface SeedTenant {
  name: string;
  slug: string;
  plan: PlanId;
  owner: { email: string; name: string; passwordHash: string; isPlatformAdmin: boolean };
}

/**
 * Creates the tenant and its owner unless the slug or the email exists already: safe to run
 * at every start, and by two replicas at once (the loser hits a unique index and backs off).
 * Answers whether it created anything.
 */
export async function seedTenant(db: IdentityDatabase, outbox: OutboxWriter, seed: SeedTenant): Promise<boolean> {
  const exists = await db.asSystem('bootstrap', async (tx) => (await tenantOf(tx, 'tenant-slug', seed.slug)) ?? (await tenantOf(tx, 'email', seed.owner.email)));
  if (exists) return false;
  const tenantId = randomUUID();
  try {
    await db.withTenant(tenantId, async (tx) => {
      await createTenant(tx, outbox, { id: tenantId, name: seed.name, slug: seed.slug, plan: seed.plan });
      await tx.user.create({ data: { id: randomUUID(), tenantId, role: 'owner', ...seed.owner, email: seed.owner.email.toLowerCase() } });
    });
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}
