import { randomUUID } from 'node:crypto';
// The contract is checked against a real generated Prisma client; the library itself does
// not depend on any service's data access.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { createIdentityDatabase, IdentityDatabase } from '@parking/identity/data-access';
// Only the tests use @parking/testing (which builds on this library); project.json drops the edge.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { createTestDatabase, TestDatabase } from '@parking/testing';
import { Client } from 'pg';

const TENANT_A = randomUUID();
const TENANT_B = randomUUID();

describe('TenantDatabase over the identity Prisma client', () => {
  let db: TestDatabase;
  let identity: IdentityDatabase;
  let admin: Client;

  const appendEvent = (tenantId: string) =>
    identity.withTenant(tenantId, (tx) =>
      tx.outbox.create({ data: { id: randomUUID(), tenantId, subject: `identity.user.created.v1.${tenantId}.u1`, aggregateId: 'u1', envelope: {} } }),
    );
  const auditRows = async () => (await admin.query('SELECT actor, reason, at FROM identity.platform_audit ORDER BY id')).rows;

  beforeAll(async () => {
    db = await createTestDatabase();
    identity = createIdentityDatabase({ url: db.urlFor('identity'), poolMax: 2 });
    admin = new Client({ connectionString: db.adminUrl });
    await admin.connect();
    await appendEvent(TENANT_A);
    await appendEvent(TENANT_A);
    await appendEvent(TENANT_B);
  });
  afterAll(async () => {
    await identity.close();
    await admin.end();
    await db.drop();
  });

  it('answers a ping', async () => {
    await expect(identity.ping()).resolves.toBeUndefined();
  });

  it("shows a tenant's unit of work only that tenant's rows", async () => {
    const seen = await identity.withTenant(TENANT_A, (tx) => tx.outbox.findMany({ select: { tenantId: true } }));

    expect(seen).toEqual([{ tenantId: TENANT_A }, { tenantId: TENANT_A }]);
  });

  it('rolls the whole unit of work back when it throws', async () => {
    const failing = identity.withTenant(TENANT_B, async (tx) => {
      await tx.outbox.create({ data: { id: randomUUID(), tenantId: TENANT_B, subject: 's', aggregateId: 'a', envelope: {} } });
      throw new Error('handler failed');
    });

    await expect(failing).rejects.toThrow('handler failed');
    expect(await identity.withTenant(TENANT_B, (tx) => tx.outbox.count())).toBe(1);
  });

  it('refuses a tenant id that is not a UUID without running the work', async () => {
    const work = jest.fn();

    await expect(identity.withTenant("' OR true --", work)).rejects.toThrow('withTenant needs the tenant id as a UUID');
    expect(work).not.toHaveBeenCalled();
  });

  it('lets a platform admin see every tenant and records actor and reason in the same transaction', async () => {
    const before = (await auditRows()).length;

    const count = await identity.asPlatformAdmin('ops:alice', 'support ticket 4711', async (tx) => {
      // Not committed yet: another session cannot see the audit row.
      expect(await auditRows()).toHaveLength(before);
      return tx.outbox.count();
    });

    expect(count).toBe(3);
    expect((await auditRows()).slice(before)).toEqual([{ actor: 'ops:alice', reason: 'support ticket 4711', at: expect.any(Date) }]);
  });

  it('keeps no audit row when the platform admin work throws', async () => {
    const before = await auditRows();

    await expect(
      identity.asPlatformAdmin('ops:alice', 'cleanup', async () => {
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');

    expect(await auditRows()).toEqual(before);
  });

  it('leaves nothing of the platform-admin path to the next unit of work on the same pooled connection', async () => {
    const single = createIdentityDatabase({ url: db.urlFor('identity'), poolMax: 1 });
    const session = (tx: { $queryRawUnsafe<T>(query: string): Promise<T> }) =>
      tx.$queryRawUnsafe<Array<{ user: string; pid: number }>>('SELECT current_user AS user, pg_backend_pid() AS pid').then((rows) => rows[0]);
    try {
      const admin = await single.asPlatformAdmin('ops:alice', 'pool check', async (tx) => ({ seen: await tx.outbox.count(), ...(await session(tx)) }));
      const next = await single.withTenant(TENANT_A, async (tx) => ({ seen: await tx.outbox.count(), ...(await session(tx)) }));

      expect(admin).toEqual({ seen: 3, user: 'parking_identity_platform_admin', pid: expect.any(Number) });
      expect(next).toEqual({ seen: 2, user: 'parking_identity', pid: admin.pid });
    } finally {
      await single.close();
    }
  });

  it('refuses a platform admin without actor or reason', async () => {
    await expect(identity.asPlatformAdmin(' ', 'reason', async () => 1)).rejects.toThrow('non-empty actor and reason');
    await expect(identity.asPlatformAdmin('ops:alice', '', async () => 1)).rejects.toThrow('non-empty actor and reason');
  });

  it('gives the system path the outbox functions but no tenant rows directly', async () => {
    const seen = await identity.asSystem('outbox-relay', async (tx) => ({
      direct: await tx.outbox.count(),
      pending: await tx.$queryRawUnsafe<{ seq: bigint; subject: string }[]>('SELECT seq, subject FROM identity.outbox_pending(10)'),
    }));

    expect(seen.direct).toBe(0);
    expect(seen.pending).toHaveLength(3);
    expect(seen.pending.map((row) => row.seq)).toEqual([...seen.pending.map((row) => row.seq)].sort((a, b) => Number(a - b)));
  });

  it('lets the relay mark what it published, leaving an empty backlog', async () => {
    const backlog = await identity.asSystem('outbox-relay', async (tx) => {
      const pending = await tx.$queryRawUnsafe<{ seq: bigint }[]>('SELECT seq FROM identity.outbox_pending(10)');
      await tx.$queryRawUnsafe('SELECT identity.outbox_mark_published($1::bigint[])', pending.map((row) => row.seq));
      return tx.$queryRawUnsafe<{ n: bigint }[]>('SELECT identity.outbox_backlog() AS n');
    });

    expect(backlog).toEqual([{ n: 0n }]);
  });

  it('refuses the outbox functions to a tenant unit of work', async () => {
    await expect(identity.withTenant(TENANT_A, (tx) => tx.$queryRawUnsafe('SELECT identity.outbox_backlog()'))).rejects.toThrow(
      'app.system_purpose is not set',
    );
  });
});
