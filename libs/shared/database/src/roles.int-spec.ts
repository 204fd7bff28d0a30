// Only the tests use @parking/testing (which builds on this library); project.json drops the edge.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { createTestDatabase, TestDatabase } from '@parking/testing';
import { Client } from 'pg';
import { bootstrapRoles } from './roles';
import { OWNER_ROLE, SERVICES } from './service-schemas';

async function query<T extends object>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('bootstrapRoles', () => {
  let first: TestDatabase;
  let second: TestDatabase;

  beforeAll(async () => {
    [first, second] = await Promise.all([createTestDatabase({ empty: true }), createTestDatabase({ empty: true })]);
  });
  afterAll(async () => {
    await Promise.all([first.drop(), second.drop()]);
  });

  it('succeeds when many callers on several databases race', async () => {
    const password = jest.fn((_role: string) => process.env.DB_RUNTIME_PASSWORD || 'parking');

    const reports = await Promise.all([first, second, first, second].map((db) => bootstrapRoles({ adminUrl: db.adminUrl, password })));

    expect(reports).toHaveLength(4);
    expect(password.mock.calls.map(([role]) => role)).toEqual(expect.arrayContaining(SERVICES.map((s) => s.role)));
  });

  it('gives parking_owner CREATE on the database it was called for', async () => {
    await bootstrapRoles({ adminUrl: second.adminUrl });

    const rows = await query<{ ok: boolean }>(second.adminUrl, `SELECT has_database_privilege('${OWNER_ROLE}', current_database(), 'CREATE') AS ok`);
    expect(rows).toEqual([{ ok: true }]);
  });

  it('puts back the attributes of a runtime role that drifted', async () => {
    // CREATEDB is harmless to the other suites running meanwhile; BYPASSRLS would not be.
    await query(first.adminUrl, 'ALTER ROLE parking_downlink CREATEDB');

    await bootstrapRoles({ adminUrl: first.adminUrl });

    const rows = await query(first.adminUrl, `SELECT rolcreatedb, rolcanlogin, rolbypassrls, rolinherit FROM pg_roles WHERE rolname = 'parking_downlink'`);
    expect(rows).toEqual([{ rolcreatedb: false, rolcanlogin: true, rolbypassrls: false, rolinherit: false }]);
  });

  it('keeps parking_owner a NOLOGIN role that bypasses RLS', async () => {
    const rows = await query(first.adminUrl, `SELECT rolcanlogin, rolbypassrls FROM pg_roles WHERE rolname = '${OWNER_ROLE}'`);

    expect(rows).toEqual([{ rolcanlogin: false, rolbypassrls: true }]);
  });
});
