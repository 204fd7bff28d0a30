import { afterCommit, SqlClient, TenantDatabase, TransactionalClient } from './tenant-database';
import { SystemPurpose } from './system-purpose';

function fakeClient() {
  const tx: SqlClient = { $queryRawUnsafe: jest.fn(), $executeRawUnsafe: jest.fn().mockResolvedValue(1) };
  const client = {
    $queryRawUnsafe: jest.fn(),
    $executeRawUnsafe: jest.fn(),
    $disconnect: jest.fn(),
    $transaction: jest.fn((work: (t: SqlClient) => Promise<unknown>) => work(tx)),
  };
  return { tx, client: client as typeof client & TransactionalClient<SqlClient> };
}

describe('TenantDatabase', () => {
  it('sets the tenant transaction-locally before the work runs', async () => {
    const { tx, client } = fakeClient();
    const db = new TenantDatabase({ client, schema: 'identity' });

    await db.withTenant('0b5e0e0c-8a51-4c8e-9f57-3a1c7f0c9d11', async () => expect(tx.$executeRawUnsafe).toHaveBeenCalledTimes(1));

    expect(tx.$executeRawUnsafe).toHaveBeenCalledWith(`SELECT set_config($1, $2, true)`, 'app.tenant_id', '0b5e0e0c-8a51-4c8e-9f57-3a1c7f0c9d11');
    expect(client.$transaction).toHaveBeenCalledWith(expect.any(Function), { maxWait: 5000, timeout: 15000 });
  });

  it('hands the tenant to a client that sets it with its BEGIN, and sends no statement of its own', async () => {
    const { tx, client } = fakeClient();
    const db = new TenantDatabase({ client: Object.assign(client, { appliesSettings: true }), schema: 'identity' });

    await db.withTenant('0b5e0e0c-8a51-4c8e-9f57-3a1c7f0c9d11', async () => undefined);
    await db.asSystem('outbox-relay', async () => undefined);

    expect(tx.$executeRawUnsafe).not.toHaveBeenCalled();
    expect(jest.mocked(client.$transaction).mock.calls.map(([, options]) => options)).toEqual([
      { maxWait: 5000, timeout: 15000, settings: { 'app.tenant_id': '0b5e0e0c-8a51-4c8e-9f57-3a1c7f0c9d11' } },
      { maxWait: 5000, timeout: 15000, settings: { 'app.system_purpose': 'outbox-relay' } },
    ]);
  });

  it.each(['', 'tenant-a', '0b5e0e0c-8a51-4c8e-9f57-3a1c7f0c9d1', "0b5e0e0c-8a51-4c8e-9f57-3a1c7f0c9d11' --"])(
    'refuses the tenant id %j before opening a transaction',
    async (tenantId) => {
      const { client } = fakeClient();
      const db = new TenantDatabase({ client, schema: 'identity' });

      await expect(db.withTenant(tenantId, async () => 1)).rejects.toThrow(TypeError);
      expect(client.$transaction).not.toHaveBeenCalled();
    },
  );

  it("enters the platform-admin path through its own schema's entry point and role, before the work runs", async () => {
    const { tx, client } = fakeClient();
    const db = new TenantDatabase({ client, schema: 'chirpstack', transaction: { timeout: 1000 } });

    await db.asPlatformAdmin('ops:bob', 'incident 7', async () => expect(tx.$executeRawUnsafe).toHaveBeenCalledTimes(2));

    expect(jest.mocked(tx.$executeRawUnsafe).mock.calls).toEqual([
      [`SELECT "chirpstack".enter_platform_admin($1, $2)`, 'ops:bob', 'incident 7'],
      [`SET LOCAL ROLE "parking_chirpstack_sync_platform_admin"`],
    ]);
    expect(client.$transaction).toHaveBeenCalledWith(expect.any(Function), { maxWait: 5000, timeout: 1000 });
  });

  it('refuses a system purpose that is not in the reviewed list', async () => {
    const { client } = fakeClient();
    const db = new TenantDatabase({ client, schema: 'identity' });

    await expect(db.asSystem('backfill' as SystemPurpose, async () => 1)).rejects.toThrow('asSystem needs a known system purpose');
    expect(client.$transaction).not.toHaveBeenCalled();
  });

  it('refuses a schema name it would have to quote', () => {
    const { client } = fakeClient();

    expect(() => new TenantDatabase({ client, schema: 'identity"; DROP' })).toThrow('plain lower-case schema name');
  });

  it('runs afterCommit callbacks once the unit of work has committed, and never after a rollback', async () => {
    const { client } = fakeClient();
    const db = new TenantDatabase({ client, schema: 'identity' });
    const order: string[] = [];
    await db.withTenant('0b5e0e0c-8a51-4c8e-9f57-3a1c7f0c9d11', async (tx) => {
      expect(afterCommit(tx, () => order.push('callback'))).toBe(true);
      order.push('work');
    });
    expect(order).toEqual(['work', 'callback']);

    const rolledBack = jest.fn();
    await expect(
      db.asSystem('outbox-relay', async (tx) => {
        afterCommit(tx, rolledBack);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(rolledBack).not.toHaveBeenCalled();
  });

  it('tells a caller when a client is not a unit of work of a TenantDatabase', () => {
    const callback = jest.fn();
    expect(afterCommit({}, callback)).toBe(false);
    expect(callback).not.toHaveBeenCalled();
  });
});
