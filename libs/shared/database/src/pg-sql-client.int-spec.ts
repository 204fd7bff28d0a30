import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
// Only the tests use @parking/testing (which builds on this library); project.json drops the edge.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { createTestDatabase, TestDatabase } from '@parking/testing';
// The template the services pass (Prisma.sql), from a real generated client.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { Prisma } from '@parking/identity/data-access';
import { Client } from 'pg';
import { PgSqlClient, type RawSqlClient, TemplateSqlClient } from './pg-sql-client';
import { TenantDatabase } from './tenant-database';

const TENANT_A = randomUUID();
const TENANT_B = randomUUID();

describe('TenantDatabase over PgSqlClient (node-postgres, the relay path)', () => {
  let db: TestDatabase;
  let admin: Client;
  let client: PgSqlClient;
  let tenants: TenantDatabase<TemplateSqlClient>;

  const insertOutbox = (tenantId: string) =>
    tenants.withTenant(tenantId, (tx) =>
      tx.$executeRawUnsafe(
        `INSERT INTO identity.outbox (id, tenant_id, subject, aggregate_id, envelope) VALUES ($1::uuid, $2::uuid, 's', 'a', '{}'::jsonb)`,
        randomUUID(),
        tenantId,
      ),
    );
  const countAs = (tenantId: string) =>
    tenants.withTenant(tenantId, async (tx) => Number((await tx.$queryRawUnsafe<Array<{ n: string }>>(`SELECT count(*) AS n FROM identity.outbox`))[0].n));

  beforeAll(async () => {
    db = await createTestDatabase();
    admin = new Client({ connectionString: db.adminUrl });
    await admin.connect();
    client = new PgSqlClient({ url: db.urlFor('identity'), max: 2 });
    tenants = new TenantDatabase<TemplateSqlClient>({ client, schema: 'identity', transaction: { maxWait: 2_000, timeout: 1_000 } });
  });
  afterAll(async () => {
    await tenants.close();
    await admin.end();
    await db.drop();
  });

  it('keeps row-level security: a tenant sees its own rows only', async () => {
    expect(await insertOutbox(TENANT_A)).toBe(1);
    await insertOutbox(TENANT_A);
    await insertOutbox(TENANT_B);
    expect(await countAs(TENANT_A)).toBe(2);
    expect(await countAs(TENANT_B)).toBe(1);
  });

  it('commits a unit of work whole, or rolls all of it back when it throws', async () => {
    const tenant = randomUUID();
    const failing = tenants.withTenant(tenant, async (tx) => {
      await tx.$executeRawUnsafe(`INSERT INTO identity.outbox (id, tenant_id, subject, aggregate_id, envelope) VALUES ($1::uuid, $2::uuid, 's', 'a', '{}')`, randomUUID(), tenant);
      throw new Error('handler failed');
    });
    await expect(failing).rejects.toThrow('handler failed');
    expect(await countAs(tenant)).toBe(0);
  });

  it('sets the transaction-local settings with its BEGIN, quoted as literals whatever they hold', async () => {
    const awkward = "it's; SELECT 1 --\\";
    const seen = await client.$transaction(async (tx) => tx.$queryRawUnsafe<Array<{ value: string }>>(`SELECT current_setting('app.probe', true) AS value`), {
      settings: { 'app.probe': awkward },
    });
    expect(seen).toEqual([{ value: awkward }]);
    const after = await client.$queryRawUnsafe<Array<{ value: string | null }>>(`SELECT NULLIF(current_setting('app.probe', true), '') AS value`);
    expect(after).toEqual([{ value: null }]);
  });

  it('leaves no tenant or purpose behind on a reused connection', async () => {
    await tenants.asSystem('outbox-relay', (tx) => tx.$queryRawUnsafe(`SELECT 1`));
    const [row] = await client.$queryRawUnsafe<Array<{ tenant: string | null; purpose: string | null }>>(
      `SELECT NULLIF(current_setting('app.tenant_id', true), '') AS tenant, NULLIF(current_setting('app.system_purpose', true), '') AS purpose`,
    );
    expect(row).toEqual({ tenant: null, purpose: null });
  });

  it('ends a unit of work that outlives its timeout, and the connection serves the next one', async () => {
    await expect(tenants.asSystem('outbox-relay', (tx) => tx.$queryRawUnsafe(`SELECT pg_sleep(3)`))).rejects.toThrow(/statement timeout/);
    expect(await countAs(TENANT_B)).toBe(1);
  });

  it("refuses a transaction handle used after its unit of work ended, so it never runs on the connection's next tenant", async () => {
    let kept: TemplateSqlClient | undefined;
    await tenants.withTenant(TENANT_A, async (tx) => {
      kept = tx;
    });
    await expect(kept!.$queryRawUnsafe(`SELECT count(*) FROM identity.outbox`)).rejects.toThrow(/unit of work .*ended/);
    await expect(kept!.$executeRaw`DELETE FROM identity.outbox`).rejects.toThrow(/unit of work .*ended/);

    // Escaping a failed unit of work does not help either; and tenant B's rows are all still there.
    const failing = tenants.withTenant(TENANT_A, async (tx) => {
      kept = tx;
      throw new Error('handler failed');
    });
    await expect(failing).rejects.toThrow('handler failed');
    await expect(kept!.$executeRawUnsafe(`DELETE FROM identity.outbox`)).rejects.toThrow(/unit of work .*ended/);
    expect(await countAs(TENANT_B)).toBe(1);
  });

  it('survives the server ending a connection inside a unit of work (idle past its timeout): that unit fails, the next one runs', async () => {
    // The unit of work idles longer than its 1 s timeout, as a process paused by the machine would;
    // PostgreSQL then ends the connection, which the client reports as an 'error' event.
    const stalled = tenants.withTenant(TENANT_B, async (tx) => {
      await tx.$queryRawUnsafe(`SELECT 1`);
      await delay(1_500);
      return tx.$queryRawUnsafe(`SELECT 1`);
    });
    // A connection the server ended: UNAVAILABLE (try again), with what the client said as its cause.
    const failure = await stalled.then(() => undefined, (error: unknown) => error as { code?: string; cause?: Error });
    expect({ code: failure?.code, cause: failure?.cause?.message }).toEqual({ code: 'UNAVAILABLE', cause: expect.stringMatching(/not queryable|terminat/i) });
    expect(await countAs(TENANT_B)).toBe(1);
  });

  it('returns bigint as text and jsonb parsed, which the relay relies on', async () => {
    const [row] = await client.$queryRawUnsafe<Array<{ seq: unknown; doc: unknown }>>(`SELECT 9007199254740993::bigint AS seq, '{"a":[1]}'::jsonb AS doc`);
    expect(row).toEqual({ seq: '9007199254740993', doc: { a: [1] } });
  });

  it("runs tagged templates: flat values without a template, nested fragments with the service's Prisma.sql", async () => {
    type Row = { n: number; s?: string };
    const flat = await tenants.withTenant(TENANT_A, (tx) => tx.$queryRaw<Row[]>`SELECT ${41}::int + 1 AS n, ${'x'}::text AS s`);
    expect(flat).toEqual([{ n: 42, s: 'x' }]);
    const where = Prisma.join([Prisma.sql`tenant_id = ${TENANT_A}::uuid`, Prisma.sql`subject = ${'s'}`], ' AND ');
    const nested = (tx: TemplateSqlClient): Promise<Row[]> => tx.$queryRaw<Row[]>`SELECT count(*)::int AS n FROM identity.outbox WHERE ${where}`;
    await expect(tenants.withTenant(TENANT_A, nested)).rejects.toThrow(/needs options.template/);
    const templated = new TenantDatabase({ client: new PgSqlClient({ url: db.urlFor('identity'), max: 1, template: Prisma.sql }), schema: 'identity' });
    try {
      expect(await templated.withTenant(TENANT_A, nested)).toEqual([{ n: 2 }]);
      const insert = Prisma.sql`INSERT INTO identity.outbox (id, tenant_id, subject, aggregate_id, envelope) VALUES (${randomUUID()}::uuid, ${TENANT_A}::uuid, ${'s'}, ${'a'}, ${'{}'}::jsonb)`;
      expect(await templated.withTenant(TENANT_A, (tx) => tx.$executeRaw(insert))).toBe(1);
      expect(await templated.withTenant(TENANT_A, nested)).toEqual([{ n: 3 }]);
    } finally {
      await templated.close();
    }
  });

  describe('a unit of work in fewer round trips', () => {
    const insert = (tx: RawSqlClient, id: string, tenantId: string) =>
      tx.$queryRawAndCommit<Array<{ id: string }>>`INSERT INTO identity.outbox (id, tenant_id, subject, aggregate_id, envelope) VALUES (${id}::uuid, ${tenantId}::uuid, ${'s'}, ${'a'}, ${'{}'}::jsonb) RETURNING id`;
    const committedRows = async (id: string) => Number((await admin.query(`SELECT count(*) AS n FROM identity.outbox WHERE id = $1`, [id])).rows[0].n);

    it('commits with $queryRawAndCommit before the unit of work returns, and refuses any statement after it', async () => {
      const id = randomUUID();
      let seenInside = -1;
      const outcome = await tenants.withTenant(TENANT_A, async (tx) => {
        const raw = tx as RawSqlClient;
        expect(await insert(raw, id, TENANT_A)).toEqual([{ id }]);
        // Another connection sees the row while this unit of work still runs: it has committed.
        seenInside = await committedRows(id);
        await expect(raw.$queryRawUnsafe('SELECT 1')).rejects.toThrow(/has committed/);
        return 'done';
      });
      expect(outcome).toBe('done');
      expect(seenInside).toBe(1);
    });

    it('releases the locks the committing statement took as it ends', async () => {
      const lock = Math.floor(Math.random() * 1e9);
      await tenants.withTenant(TENANT_A, async (tx) => {
        await tx.$queryRawUnsafe(`SELECT 1`);
        await (tx as RawSqlClient).$queryRawAndCommit`SELECT pg_advisory_xact_lock(${lock}::bigint)`;
        // The transaction's lock ended with the statement: another session takes it at once.
        const [{ taken }] = (await admin.query(`SELECT pg_try_advisory_lock($1::bigint) AS taken`, [lock])).rows;
        expect(taken).toBe(true);
        await admin.query(`SELECT pg_advisory_unlock($1::bigint)`, [lock]);
      });
    });

    it('rolls everything back when the committing statement fails, and answers the next unit of work', async () => {
      const first = randomUUID();
      const failing = tenants.withTenant(TENANT_B, async (tx) => {
        await tx.$executeRawUnsafe(`INSERT INTO identity.outbox (id, tenant_id, subject, aggregate_id, envelope) VALUES ($1::uuid, $2::uuid, 's', 'a', '{}')`, first, TENANT_B);
        // The same id again: a unique violation in the statement that would commit.
        return insert(tx as RawSqlClient, first, TENANT_B);
      });
      await expect(failing).rejects.toThrow(/duplicate key/);
      expect(await committedRows(first)).toBe(0);
      expect(await countAs(TENANT_B)).toBe(1);
    });

    it('binds inlined values exactly as parameters: quotes, backslashes, JSON, arrays, dates, bytea, NULL', async () => {
      const values = {
        text: "it's; \\ $1 -- /* '",
        json: { a: "b'c", d: [1, null], e: '\\' },
        list: ['x', 'y"z', null],
        at: new Date('2026-12-06T10:11:12.345Z'),
        bytes: Buffer.from([0, 255, 39]),
      };
      const read = (tx: TemplateSqlClient) =>
        tx.$queryRaw<Array<Record<string, unknown>>>`SELECT ${values.text}::text AS text, ${JSON.stringify(values.json)}::jsonb AS json, ${values.list}::text[] AS list,
                                                        ${values.at}::timestamptz AS at, ${values.bytes}::bytea AS bytes, ${null}::int AS nothing, ${7}::int + 1 AS n`;
      const templated = new PgSqlClient({ url: db.urlFor('identity'), max: 1, template: Prisma.sql });
      try {
        // Its first run on the connection prepares the statement; after that, as a unit of work's
        // first statement, it travels with the BEGIN as an EXECUTE with the values as literals.
        const [prepared, bound] = await templated.$transaction(async (tx) => [await read(tx), await read(tx)]);
        const executed = await templated.$transaction((tx) => read(tx));
        expect(prepared).toEqual(bound);
        expect(executed).toEqual(bound);
        expect(bound).toEqual([{ text: values.text, json: values.json, list: values.list, at: values.at, bytes: values.bytes, nothing: null, n: 8 }]);
        // And the committing statement too, prepared and then executed with its COMMIT.
        const commitOnce = () => templated.$transaction((tx) => tx.$queryRawAndCommit(Prisma.sql`SELECT ${values.text}::text AS text, ${values.list}::text[] AS list`));
        expect([await commitOnce(), await commitOnce()]).toEqual([[{ text: values.text, list: values.list }], [{ text: values.text, list: values.list }]]);
        // A statement with no name (built per call, too long to keep) is inlined as before.
        const long = `SELECT $1::text AS text /* ${'x'.repeat(9_000)} */`;
        expect(await templated.$transaction((tx) => tx.$queryRawUnsafe(long, values.text))).toEqual([{ text: values.text }]);
      } finally {
        await templated.$disconnect();
      }
    });

    it('prepares a statement once per connection, then sends it with the BEGIN or the COMMIT as an EXECUTE, one round trip', async () => {
      const own = new PgSqlClient({ url: db.urlFor('identity'), max: 1 });
      const statement = `SELECT count(*)::int AS n FROM identity.outbox WHERE tenant_id = $1::uuid`;
      const sent: string[] = [];
      const original = Client.prototype.query;
      Client.prototype.query = function (this: Client, ...args: unknown[]) {
        const first = args[0] as string | { name?: string; text: string };
        sent.push(typeof first === 'string' ? first : `prepared ${first.name ?? 'without a name'}`);
        return (original as (...a: unknown[]) => unknown).apply(this, args);
      } as typeof original;
      try {
        const counts: unknown[] = [];
        const run = async () => {
          sent.length = 0;
          counts.push(await own.$transaction((tx) => tx.$queryRawUnsafe(statement, TENANT_A)));
          return [...sent];
        };
        const first = await run();
        expect(first).toEqual(['BEGIN', expect.stringMatching(/^prepared parking_\d+$/), 'COMMIT']);
        const name = first[1].replace('prepared ', '');
        expect(await run()).toEqual([`BEGIN;\nEXECUTE ${name}('${TENANT_A}')`, 'COMMIT']);
        sent.length = 0;
        counts.push(await own.$transaction((tx) => tx.$queryRawAndCommit({ text: statement, values: [TENANT_A] })));
        expect(sent).toEqual([`BEGIN;\nEXECUTE ${name}('${TENANT_A}');\nCOMMIT`]);
        expect(new Set(counts.map((rows) => JSON.stringify(rows))).size).toBe(1);
      } finally {
        Client.prototype.query = original;
        await own.$disconnect();
      }
    });

    it('drops a connection whose prepared statement a migration made stale, so only one unit of work fails', async () => {
      const own = new PgSqlClient({ url: db.urlFor('identity'), max: 1 });
      const table = `stale_${randomUUID().replace(/-/g, '')}`;
      await admin.query(`CREATE TABLE identity.${table} (id int); INSERT INTO identity.${table} VALUES (1); GRANT SELECT ON identity.${table} TO PUBLIC`);
      try {
        const read = () => own.$transaction(async (tx) => {
          await tx.$queryRawUnsafe('SELECT 1');
          return tx.$queryRawUnsafe(`SELECT * FROM identity.${table} WHERE id = $1::int`, 1);
        });
        expect(await read()).toEqual([{ id: 1 }]);
        // A migration adds a column under the prepared `SELECT *`.
        await admin.query(`ALTER TABLE identity.${table} ADD COLUMN note text`);
        await expect(read()).rejects.toThrow(/cached plan must not change result type/);
        expect(await read()).toEqual([{ id: 1, note: null }]);
      } finally {
        await own.$disconnect();
        await admin.query(`DROP TABLE identity.${table}`);
      }
    });

    it('keeps the timeouts and settings sent with a BEGIN that travels with the first statement', async () => {
      const [row] = await client.$transaction(
        (tx) => tx.$queryRawUnsafe<Array<{ probe: string; timeout: string }>>(`SELECT current_setting('app.probe', true) AS probe, current_setting('statement_timeout') AS timeout`),
        { settings: { 'app.probe': 'p' }, timeout: 1_234 },
      );
      expect(row).toEqual({ probe: 'p', timeout: '1234ms' });
    });
  });
});
