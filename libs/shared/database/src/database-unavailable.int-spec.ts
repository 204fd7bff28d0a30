// A unit of work while PostgreSQL is down fails as UNAVAILABLE (503 with Retry-After at the
// gateway, not a 500), through both clients the services use; it works again once the server
// is back. The server is a private one, killed with SIGKILL as a crash would.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { createIdentityDatabase, type IdentityDatabase } from '@parking/identity/data-access';
// Only the tests use @parking/testing (which builds on this library); project.json drops the edge.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { startPrivatePostgres, type PrivatePostgres } from '@parking/testing';
import { PgSqlClient, type RawSqlClient } from './pg-sql-client';
import { TenantDatabase } from './tenant-database';

describe('a unit of work while PostgreSQL is down', () => {
  let postgres: PrivatePostgres;
  let raw: TenantDatabase<RawSqlClient>;
  let prisma: IdentityDatabase;
  const clients = () => [
    ['node-postgres', raw],
    ['Prisma', prisma],
  ] as const;

  beforeAll(async () => {
    postgres = await startPrivatePostgres();
    raw = new TenantDatabase<RawSqlClient>({ client: new PgSqlClient({ url: postgres.adminUrl, max: 2 }), schema: 'identity', transaction: { maxWait: 2_000, timeout: 5_000 } });
    prisma = createIdentityDatabase({ url: postgres.adminUrl, poolMax: 2 });
  }, 60_000);
  afterAll(async () => {
    await raw?.close();
    await prisma?.close();
    await postgres?.stop();
  });

  const selectOne = (db: TenantDatabase<RawSqlClient> | IdentityDatabase) => db.asSystem('timer', (tx) => tx.$queryRawUnsafe<Array<{ one: number }>>('SELECT 1 AS one'));

  it('fails as UNAVAILABLE while the server is down, for a connection in the pool and for a new one, and works once it is back', async () => {
    for (const [, db] of clients()) await expect(selectOne(db)).resolves.toEqual([{ one: 1 }]);
    await postgres.kill();
    for (const [name, db] of clients()) {
      // The pooled connection learns the server is gone; the next unit of work cannot connect at all.
      for (const attempt of ['first', 'second']) {
        const failure = await selectOne(db).then(
          () => new Error(`${name}: the ${attempt} unit of work succeeded with the server down`),
          (error: unknown) => error,
        );
        expect({ client: name, attempt, code: (failure as { code?: unknown }).code, status: (failure as { status?: unknown }).status }).toEqual({ client: name, attempt, code: 'UNAVAILABLE', status: 503 });
      }
    }
    await postgres.restart();
    for (const [, db] of clients()) await expect(selectOne(db)).resolves.toEqual([{ one: 1 }]);
  }, 60_000);

  it('fails as UNAVAILABLE when the server dies in the middle of a unit of work', async () => {
    for (const [, db] of clients()) {
      const cutOff = db.asSystem('timer', async (tx) => {
        await tx.$queryRawUnsafe('SELECT 1');
        await postgres.kill();
        return tx.$queryRawUnsafe('SELECT 2');
      });
      await expect(cutOff).rejects.toMatchObject({ code: 'UNAVAILABLE' });
      await postgres.restart();
      await expect(selectOne(db)).resolves.toEqual([{ one: 1 }]);
    }
  }, 60_000);
});
