import { randomUUID } from 'node:crypto';
// Only the tests use @parking/testing (which builds on this library); project.json drops the edge.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { createTestDatabase, TestDatabase } from '@parking/testing';
import { Client } from 'pg';
import { PgSqlClient } from './pg-sql-client';
import { connect, errorOf, insertRow, PolicyTable, tablesWithPolicy } from './rls-fixtures';
import { SERVICES, serviceSchema } from './service-schemas';
import { SqlClient, TenantDatabase } from './tenant-database';

const SCHEMAS = SERVICES.map((s) => s.schema);
const TENANT_A = randomUUID();
const TENANT_B = randomUUID();

/** The one shape a platform_admin policy may have: the audit row of this transaction, checked once per statement. */
const expectedQual = (schema: string) => `( SELECT ${schema}.platform_admin_entered() AS platform_admin_entered)`;

/** Rows of each table that `tenantId` does not own (every row of a table without tenant_id). */
async function foreignRows(sql: SqlClient, tables: PolicyTable[], tenantId: string): Promise<Record<string, number>> {
  const seen: Record<string, number> = {};
  for (const { schema, table, hasTenantId } of tables) {
    const where = hasTenantId ? `WHERE tenant_id IS DISTINCT FROM $1::uuid` : `WHERE $1::uuid IS NOT NULL`;
    const rows = await sql.$queryRawUnsafe<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM "${schema}"."${table}" ${where}`, tenantId);
    seen[`${schema}.${table}`] = rows[0].n;
  }
  return seen;
}

/** A pg Client as the SqlClient subset, for checks on one exact connection. */
function sqlOf(client: Client): SqlClient {
  return {
    $queryRawUnsafe: async <T,>(query: string, ...values: unknown[]) => (await client.query(query, values)).rows as T,
    $executeRawUnsafe: async (query: string, ...values: unknown[]) => (await client.query(query, values)).rowCount ?? 0,
  };
}

const zeroes = (tables: PolicyTable[]) => Object.fromEntries(tables.map((t) => [`${t.schema}.${t.table}`, 0]));

describe('the platform-admin path in every service schema', () => {
  let db: TestDatabase;
  let admin: Client;
  let tables: PolicyTable[];

  beforeAll(async () => {
    db = await createTestDatabase();
    admin = await connect(db.adminUrl);
    tables = await tablesWithPolicy(admin, SCHEMAS, 'platform_admin');
    // Rows of two tenants in every tenant table, one row in the others; replica mode skips FK triggers.
    await admin.query('SET session_replication_role = replica');
    for (const { schema, table, hasTenantId } of tables) {
      for (const tenant of hasTenantId ? [TENANT_A, TENANT_B] : [null]) await insertRow(admin, schema, table, tenant);
    }
    await admin.query('SET session_replication_role = DEFAULT');
  });
  afterAll(async () => {
    await admin.end();
    await db.drop();
  });

  const auditRows = async (schema: string) =>
    (await admin.query(`SELECT actor, reason, xact_id::text, backend_pid FROM "${schema}".platform_audit ORDER BY id`)).rows;

  it('finds a platform_admin policy on the tables that had one (at least outbox and inbox of every schema)', () => {
    const found = tables.map((t) => `${t.schema}.${t.table}`);
    for (const schema of SCHEMAS) expect(found).toEqual(expect.arrayContaining([`${schema}.outbox`, `${schema}.inbox`]));
    expect(found).toEqual(expect.arrayContaining(['identity.tenants', 'ingest.devices', 'ingest.orphans', 'occupancy.space_state']));
  });

  it('has no policy that reads app.platform_actor, and every platform_admin policy asks for the audit row, for the platform-admin role only', async () => {
    const { rows } = await admin.query<{ schema: string; table: string; policy: string; roles: string[]; permissive: string; cmd: string; qual: string | null; check: string | null }>(
      `SELECT schemaname AS schema, tablename AS table, policyname AS policy, roles::text[] AS roles, permissive, cmd, qual, with_check AS check
         FROM pg_policies WHERE schemaname = ANY ($1) ORDER BY 1, 2, 3`,
      [SCHEMAS],
    );
    expect(rows.filter((r) => `${r.qual} ${r.check}`.includes('app.platform_actor'))).toEqual([]);
    const platformAdmin = rows.filter((r) => r.policy === 'platform_admin');
    const wrong = platformAdmin.filter(
      (r) =>
        r.qual !== expectedQual(r.schema) ||
        r.check !== null ||
        r.cmd !== 'ALL' ||
        r.permissive !== 'PERMISSIVE' ||
        r.roles.join() !== serviceSchema(r.schema).platformAdminRole,
    );
    expect(wrong).toEqual([]);
    expect(platformAdmin.map((r) => `${r.schema}.${r.table}`)).toEqual(tables.map((t) => `${t.schema}.${t.table}`));
    // Every other policy leaves the platform-admin path alone: none names that role.
    expect(rows.filter((r) => r.policy !== 'platform_admin' && r.roles.some((role) => role.endsWith('_platform_admin')))).toEqual([]);
  });

  it('gives each platform-admin role no login and exactly its runtime role\'s privileges', async () => {
    for (const { schema, role, platformAdminRole } of SERVICES) {
      const privileges = async (grantee: string) =>
        (
          await admin.query<{ p: string }>(
            `SELECT format('%s %s', c.oid::regclass, x.privilege_type) AS p
               FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace CROSS JOIN LATERAL aclexplode(c.relacl) x
              WHERE n.nspname = $1 AND x.grantee = $2::regrole
             UNION
             SELECT format('%s %s (%s)', c.oid::regclass, x.privilege_type, a.attname)
               FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
               CROSS JOIN LATERAL aclexplode(a.attacl) x
              WHERE n.nspname = $1 AND x.grantee = $2::regrole
             UNION
             SELECT format('%s %s', p.oid::regprocedure, x.privilege_type)
               FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace CROSS JOIN LATERAL aclexplode(p.proacl) x
              WHERE n.nspname = $1 AND x.grantee = $2::regrole
             UNION
             SELECT format('schema %s', x.privilege_type) FROM pg_namespace n CROSS JOIN LATERAL aclexplode(n.nspacl) x
              WHERE n.nspname = $1 AND x.grantee = $2::regrole
             ORDER BY 1`,
            [schema, grantee],
          )
        ).rows.map((r) => r.p);
      const runtime = await privileges(role);
      expect(runtime).toEqual(expect.arrayContaining([`schema USAGE`, `${schema}.outbox INSERT`]));
      if (schema === 'identity') expect(runtime).toContain('identity.platform_audit UPDATE (action)');
      expect({ platformAdminRole, privileges: await privileges(platformAdminRole) }).toEqual({ platformAdminRole, privileges: runtime });
    }
    const { rows } = await admin.query(
      `SELECT rolname, rolcanlogin, rolbypassrls, rolsuper, rolinherit,
              pg_has_role(replace(rolname, '_platform_admin', ''), oid, 'MEMBER') AS runtime_may_switch
         FROM pg_roles WHERE rolname = ANY ($1) ORDER BY 1`,
      [SERVICES.map((s) => s.platformAdminRole)],
    );
    expect(rows).toEqual(
      SERVICES.map((s) => ({ rolname: s.platformAdminRole, rolcanlogin: false, rolbypassrls: false, rolsuper: false, rolinherit: false, runtime_may_switch: true })).sort(
        (a, b) => a.rolname.localeCompare(b.rolname),
      ),
    );
  });

  it.each(SERVICES.map((s) => [s.service, s.schema, s.platformAdminRole]))(
    '%s: a runtime role that sets app.platform_actor or switches roles itself sees no other tenant\'s rows and cannot write the audit trail',
    async (service, schema, platformAdminRole) => {
      const runtime = await connect(db.urlFor(service));
      const own = tables.filter((t) => t.schema === schema);
      try {
        await runtime.query('BEGIN');
        await runtime.query(`SELECT set_config('app.platform_actor', 'user:forged', true), set_config('app.tenant_id', $1, true)`, [TENANT_A]);
        expect(await foreignRows(sqlOf(runtime), own, TENANT_A)).toEqual(zeroes(own));
        // The policies' own role, without the audit row: still nothing.
        await runtime.query(`SET LOCAL ROLE ${platformAdminRole}`);
        expect(await foreignRows(sqlOf(runtime), own, TENANT_A)).toEqual(zeroes(own));
        await runtime.query('ROLLBACK');

        for (const as of ['', `SET ROLE ${platformAdminRole}; `]) {
          const insert = await errorOf(runtime.query(`${as}INSERT INTO "${schema}".platform_audit (actor, reason) VALUES ('user:forged', 'x')`));
          expect(insert.message).toBe('permission denied for table platform_audit');
          // Not even identity, which may label its rows, can stamp a row with its own transaction.
          const stamp = await errorOf(runtime.query(`${as}UPDATE "${schema}".platform_audit SET xact_id = pg_current_xact_id(), backend_pid = pg_backend_pid()`));
          expect(stamp.message).toBe('permission denied for table platform_audit');
          await runtime.query('RESET ROLE');
        }
      } finally {
        await runtime.end().catch(() => undefined);
      }
    },
  );

  it.each(SERVICES.map((s) => [s.service, s.schema]))(
    '%s: asPlatformAdmin sees every tenant, leaves one audit row stamped with its transaction, and nothing for the next one',
    async (service, schema) => {
      // One connection, so the transactions after the admin's reuse exactly its session.
      const client = new PgSqlClient({ url: db.urlFor(service), max: 1 });
      const tenants = new TenantDatabase({ client, schema });
      const own = tables.filter((t) => t.schema === schema);
      try {
        const before = await auditRows(schema);
        const reason = `support ticket for ${schema}`;

        const seen = await tenants.asPlatformAdmin('user:ops-alice', reason, async (tx) => ({
          foreign: await foreignRows(tx, own, TENANT_A),
          session: (await tx.$queryRawUnsafe<Array<{ xact_id: string; backend_pid: number }>>('SELECT pg_current_xact_id()::text AS xact_id, pg_backend_pid() AS backend_pid'))[0],
        }));

        // Tenant B's row of every tenant table, the one row of the others.
        expect(seen.foreign).toEqual(Object.fromEntries(own.map((t) => [`${t.schema}.${t.table}`, 1])));
        expect((await auditRows(schema)).slice(before.length)).toEqual([{ actor: 'user:ops-alice', reason, ...seen.session }]);

        const next = await tenants.withTenant(TENANT_A, async (tx) => {
          const user = (await tx.$queryRawUnsafe<Array<{ user: string; pid: number }>>('SELECT current_user AS user, pg_backend_pid() AS pid'))[0];
          // Even switching to the platform-admin role again: the marker was the last transaction's.
          await tx.$executeRawUnsafe(`SET LOCAL ROLE ${serviceSchema(schema).platformAdminRole}`);
          return { ...user, foreign: await foreignRows(tx, own, TENANT_A) };
        });
        expect(next).toEqual({ user: serviceSchema(schema).role, pid: seen.session.backend_pid, foreign: zeroes(own) });
      } finally {
        await tenants.close();
      }
    },
  );

  it('refuses to enter without an actor and a reason', async () => {
    const runtime = await connect(db.urlFor('ingest'));
    try {
      const error = await errorOf(runtime.query(`SELECT ingest.enter_platform_admin(' ', 'why')`));
      expect(error.message).toContain('needs a non-empty actor and reason');
    } finally {
      await runtime.end();
    }
  });

  it('checks the audit row once per statement, and plans tenant transactions without the check', async () => {
    const runtime = await connect(db.urlFor('identity'));
    // EXPLAIN ANALYZE of a scan that meets both tenants' rows: how often the InitPlan ran.
    const initPlanLoops = async () => {
      const { rows } = await runtime.query(`EXPLAIN (ANALYZE, FORMAT JSON) SELECT count(*) FROM identity.outbox`);
      const plans: Array<Record<string, unknown>> = [rows[0]['QUERY PLAN'][0].Plan];
      const loops: unknown[] = [];
      while (plans.length > 0) {
        const plan = plans.pop() as { 'Parent Relationship'?: string; 'Actual Loops': number; Plans?: Array<Record<string, unknown>> };
        if (plan['Parent Relationship'] === 'InitPlan') loops.push(plan['Actual Loops']);
        plans.push(...(plan.Plans ?? []));
      }
      return loops;
    };
    try {
      await runtime.query('BEGIN');
      await runtime.query(`SELECT set_config('app.tenant_id', $1, true)`, [TENANT_A]);
      // The runtime role's statements do not carry the platform_admin policy at all.
      expect(await initPlanLoops()).toEqual([]);
      await runtime.query('SET LOCAL ROLE parking_identity_platform_admin');
      expect(await initPlanLoops()).toEqual([1]);
      await runtime.query('ROLLBACK');

      await runtime.query('BEGIN');
      await runtime.query(`SELECT identity.enter_platform_admin('user:ops-alice', 'plan check')`);
      await runtime.query('SET LOCAL ROLE parking_identity_platform_admin');
      expect(await initPlanLoops()).toEqual([1]);
      await runtime.query('ROLLBACK');
    } finally {
      await runtime.end();
    }
  });
});
