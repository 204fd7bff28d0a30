import { randomUUID } from 'node:crypto';
// Only the tests use @parking/testing (which builds on this library); project.json drops the edge.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { createTestDatabase, TestDatabase } from '@parking/testing';
import { Client, Pool } from 'pg';
import { connect, errorOf, insertTenantRow, TenantTable, tenantTables } from './rls-fixtures';
import { SERVICES, serviceSchema } from './service-schemas';

/**
 * The SECURITY DEFINER functions allowed in service schemas: each bypasses RLS (it runs as
 * parking_owner). Those of the system path must refuse to run without app.system_purpose.
 * Adding one is a reviewed change: list it here with the reason.
 */
const SYSTEM_PATH_FUNCTIONS = SERVICES.flatMap(({ schema }) => [
  `${schema}.outbox_backlog`, // relay metrics: count of pending rows of all tenants
  `${schema}.outbox_mark_published`, // relay: marks the rows it published
  `${schema}.outbox_pending`, // relay: reads pending rows of all tenants in seq order
  `${schema}.outbox_record_failure`, // relay: counts a failed publish attempt
  `${schema}.purge_retained`, // retention: deletes a batch of one declared target's rows past retention across tenants (answers a count only)
]).concat([
  'chirpstack.all_connections', // timer: every tenant's connections for the scheduled reconciliation (answers the ids only)
  'chirpstack.claim_due_devices', // timer: claims devices of every tenant due for a ChirpStack attempt (answers the ids only)
  'chirpstack.next_device_due', // timer: when the device sync is next due across tenants (answers a time only)
  'chirpstack.take_job_lease', // reconciliation, gateway polling: one replica per job (touches only job_leases, no tenant rows)
  'downlink.claim_due_commands', // timer: claims commands of every tenant due for a send (answers the ids only)
  'downlink.displays_due_refresh', // timer: displays of every tenant due a periodic refresh (answers the ids only)
  'downlink.expired_overrides', // timer: displays of every tenant whose override ran out (answers the ids only)
  'downlink.next_command_due', // timer: when the sender is next due across tenants (answers a time only)
  'downlink.next_override_expiry', // timer: when the next override runs out across tenants (answers a time only)
  'downlink.purge_airtime', // timer: deletes airtime older than the budgets' hour across tenants (answers a count only)
  'identity.integration_snapshot', // integration-cache: every webhook integration's credentials for the gateway's boot
  'identity.integration_lookup', // integration-lookup: one integration by token prefix or id, for a webhook this gateway has not heard of yet
  'identity.tenant_of', // sign-in / token-lookup / bootstrap: which tenant holds an email, token or key (answers the id only)
  'ingest.device_owners', // device-lookup: which tenant owns each devEUI of a platform-signed webhook (answers the ids only)
  'occupancy.inventory_snapshot', // inventory-snapshot: a page of every tenant's sites, zones and spaces (with states) for the reservations service's read model
  'occupancy.silent_spaces', // timer: which spaces' sensors went silent past their timeout (answers the ids only)
  'reservations.due_reservations', // timer: which bookings' check-in window opened or closed, or whose end passed (answers the ids only)
  'reservations.purge_expired', // timer: deletes expired idempotency keys and quotes across tenants (answers a count only)
  'reservations.take_job_lease', // timer: one replica per lifecycle job (touches only job_leases, no tenant rows)
]);
/**
 * The tenant path: functions that read the transaction's own tenant's rows, applying the
 * policy's condition themselves (so the planner may use an index a policy would keep it from).
 * Each refuses a transaction without app.tenant_id.
 */
const TENANT_PATH_FUNCTIONS = [
  'reservations.booked_windows', // a space's taken windows, through the EXCLUDE constraint's gist index (answers windows only)
];
/** The platform-admin path (platform-admin.int-spec.ts): no system purpose; an audit row of this transaction instead. */
const PLATFORM_ADMIN_FUNCTIONS = SERVICES.flatMap(({ schema }) => [
  `${schema}.enter_platform_admin`, // writes the audit row that admits this transaction (refuses without actor and reason)
  `${schema}.platform_admin_entered`, // the policies' check: does this transaction hold such a row (answers a boolean)
]);
const KNOWN_SECURITY_DEFINER = [...SYSTEM_PATH_FUNCTIONS, ...TENANT_PATH_FUNCTIONS, ...PLATFORM_ADMIN_FUNCTIONS].sort();

const SCHEMAS = SERVICES.map((s) => s.schema);
const TENANT_A = randomUUID();
const TENANT_B = randomUUID();

describe('row-level security in every service schema', () => {
  let db: TestDatabase;
  let admin: Client;
  let tables: TenantTable[];

  beforeAll(async () => {
    db = await createTestDatabase();
    admin = await connect(db.adminUrl);
    tables = await tenantTables(admin, SCHEMAS);
    // Rows for two tenants in every table; replica mode skips FK triggers so no parents are needed.
    await admin.query('SET session_replication_role = replica');
    for (const { schema, table } of tables) {
      await insertTenantRow(admin, schema, table, TENANT_A);
      await insertTenantRow(admin, schema, table, TENANT_B);
    }
    await admin.query('SET session_replication_role = DEFAULT');
  });
  afterAll(async () => {
    await admin.end();
    await db.drop();
  });

  it('finds the tenant tables from the catalog (at least the platform ones)', () => {
    const found = tables.map((t) => `${t.schema}.${t.table}`);
    for (const schema of SCHEMAS) expect(found).toEqual(expect.arrayContaining([`${schema}.outbox`, `${schema}.inbox`]));
  });

  it('enables and forces row-level security with a policy on every tenant table', () => {
    const unprotected = tables.filter((t) => !t.rowSecurity || !t.forceRowSecurity || t.policies === 0);
    expect(unprotected).toEqual([]);
  });

  it.each(SERVICES.map((s) => [s.service, s.schema, s.role]))(
    '%s: the runtime role sees no row of another tenant, nor any row without a tenant, even on a reused connection',
    async (service, schema) => {
      const pool = new Pool({ connectionString: db.urlFor(service), max: 1 });
      const leaks: string[] = [];
      try {
        for (const { table } of tables.filter((t) => t.schema === schema)) {
          const name = `"${schema}"."${table}"`;
          const before = await pool.query(`SELECT count(*)::int AS n FROM ${name}`);
          const client = await pool.connect();
          let own: number;
          let other: number;
          try {
            await client.query('BEGIN');
            await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [TENANT_A]);
            const seen = await client.query(
              `SELECT count(*) FILTER (WHERE tenant_id = $1)::int AS own, count(*) FILTER (WHERE tenant_id <> $1)::int AS other FROM ${name}`,
              [TENANT_A],
            );
            ({ own, other } = seen.rows[0]);
            await client.query('COMMIT');
          } finally {
            client.release();
          }
          // The same (only) pooled connection, right after it served tenant A.
          const after = await pool.query(`SELECT count(*)::int AS n FROM ${name}`);
          if (own !== 1) leaks.push(`${name}: tenant A sees ${own} of its own rows, expected 1`);
          if (other !== 0) leaks.push(`${name}: tenant A sees ${other} rows of another tenant`);
          if (before.rows[0].n !== 0) leaks.push(`${name}: ${before.rows[0].n} rows visible with no tenant set`);
          if (after.rows[0].n !== 0) leaks.push(`${name}: ${after.rows[0].n} rows visible on the reused connection`);
        }
      } finally {
        await pool.end();
      }
      expect(leaks).toEqual([]);
    },
  );

  it.each(SERVICES.map((s) => [s.service, s.schema]))('%s: the runtime role cannot write a row for another tenant', async (service, schema) => {
    const runtime = await connect(db.urlFor(service));
    try {
      for (const { table } of tables.filter((t) => t.schema === schema)) {
        const { rows } = await runtime.query(`SELECT has_table_privilege(format('%I.%I', $1::text, $2::text), 'INSERT') AS ok`, [schema, table]);
        if (!rows[0].ok) continue;
        await runtime.query('BEGIN');
        await runtime.query(`SELECT set_config('app.tenant_id', $1, true)`, [TENANT_A]);
        const error = await errorOf(insertTenantRow(runtime, schema, table, TENANT_B));
        await runtime.query('ROLLBACK');
        expect({ table, message: error.message }).toEqual({ table, message: expect.stringContaining('violates row-level security policy') });
      }
    } finally {
      await runtime.end();
    }
  });

  it('gives the runtime roles no BYPASSRLS, no superuser, no inheritance and no objects', async () => {
    const { rows } = await admin.query(
      `SELECT r.rolname AS role, r.rolbypassrls AS bypassrls, r.rolsuper AS superuser, r.rolinherit AS inherit,
              (SELECT count(*)::int FROM pg_shdepend d
                WHERE d.refclassid = 'pg_authid'::regclass AND d.refobjid = r.oid AND d.deptype = 'o'
                  AND d.dbid IN (0, (SELECT oid FROM pg_database WHERE datname = current_database()))) AS owns
         FROM pg_roles r WHERE r.rolname = ANY ($1) ORDER BY r.rolname`,
      [SERVICES.map((s) => s.role)],
    );
    expect(rows).toEqual(
      SERVICES.map((s) => ({ role: s.role, bypassrls: false, superuser: false, inherit: false, owns: 0 })).sort((a, b) => a.role.localeCompare(b.role)),
    );
  });

  it('has no SECURITY DEFINER function beyond the known exceptions, each locked down', async () => {
    const { rows } = await admin.query(
      `SELECT n.nspname || '.' || p.proname AS name, pg_get_userbyid(p.proowner) AS owner,
              'search_path=pg_catalog, pg_temp' = ANY (p.proconfig) AS pinned_search_path,
              has_function_privilege('public', p.oid, 'EXECUTE') AS public_execute
         FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE p.prosecdef AND n.nspname = ANY ($1) ORDER BY 1`,
      [SCHEMAS],
    );
    expect(rows.map((r) => r.name).sort()).toEqual(KNOWN_SECURITY_DEFINER);
    expect(rows.filter((r) => r.owner !== 'parking_owner' || !r.pinned_search_path || r.public_execute)).toEqual([]);
  });

  it('refuses every SECURITY DEFINER function of the system path to a caller without app.system_purpose', async () => {
    const { rows: all } = await admin.query<{ name: string; schema: string; call: string }>(
      `SELECT n.nspname || '.' || p.proname AS name, n.nspname AS schema,
              format('SELECT %I.%I(%s)', n.nspname, p.proname,
                     (SELECT string_agg('NULL::' || format_type(t, NULL), ', ') FROM unnest(p.proargtypes) AS t)) AS call
         FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE p.prosecdef AND n.nspname = ANY ($1)`,
      [SCHEMAS],
    );
    const rows = all.filter((row) => !PLATFORM_ADMIN_FUNCTIONS.includes(row.name) && !TENANT_PATH_FUNCTIONS.includes(row.name));
    expect(rows.length).toBe(SYSTEM_PATH_FUNCTIONS.length);
    for (const schema of SCHEMAS) {
      const runtime = await connect(db.urlFor(serviceSchema(schema).service));
      try {
        for (const { call } of rows.filter((row) => row.schema === schema)) {
          const error = await errorOf(runtime.query(call));
          expect({ call, message: error.message }).toEqual({ call, message: expect.stringContaining('app.system_purpose is not set') });
        }
      } finally {
        await runtime.end();
      }
    }
  });

  it("refuses every SECURITY DEFINER function of the tenant path to a caller without app.tenant_id, and answers another tenant's rows to no one", async () => {
    const spaceOfA = randomUUID();
    await admin.query(
      `INSERT INTO reservations.reservations (id, tenant_id, site_id, space_id, period, state, created_by, check_in_opens_at, check_in_closes_at)
       VALUES ($1, $2, $3, $4, tstzrange('2030-01-01 10:00Z', '2030-01-01 11:00Z', '[)'), 'confirmed', 'user:a', '2030-01-01 09:45Z', '2030-01-01 10:15Z')`,
      [randomUUID(), TENANT_A, randomUUID(), spaceOfA],
    );
    const call = `SELECT count(*)::int AS n FROM reservations.booked_windows($1, tstzrange('2030-01-01 00:00Z', '2030-01-02 00:00Z', '[)'), NULL, 10)`;
    const runtime = await connect(db.urlFor('reservations'));
    try {
      const error = await errorOf(runtime.query(call, [spaceOfA]));
      expect(error.message).toContain('app.tenant_id is not set');
      const windowsAs = async (tenantId: string) => {
        await runtime.query('BEGIN');
        await runtime.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
        const { rows } = await runtime.query<{ n: number }>(call, [spaceOfA]);
        await runtime.query('COMMIT');
        return rows[0].n;
      };
      expect(await windowsAs(TENANT_A)).toBe(1);
      expect(await windowsAs(TENANT_B)).toBe(0);
    } finally {
      await runtime.end();
    }
  });

  it('lets a runtime role (and its platform-admin role) into its own schema only, and never into _prisma_migrations', async () => {
    const { rows } = await admin.query<{ role: string; schema: string; usage: boolean; migrations: boolean }>(
      `SELECT r.role, n.schema, has_schema_privilege(r.role, n.schema, 'USAGE') AS usage,
              has_table_privilege(r.role, format('%I._prisma_migrations', n.schema),
                                  'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER') AS migrations
         FROM unnest($1::text[]) AS r(role) CROSS JOIN unnest($2::text[]) AS n(schema)`,
      [SERVICES.flatMap((s) => [s.role, s.platformAdminRole]), SCHEMAS],
    );
    const own = (row: { role: string; schema: string }) => [serviceSchema(row.schema).role, serviceSchema(row.schema).platformAdminRole].includes(row.role);
    expect(rows.filter((row) => row.usage !== own(row) || row.migrations)).toEqual([]);
    const identity = await connect(db.urlFor('identity'));
    try {
      const error = await errorOf(identity.query('SELECT count(*) FROM ingest.outbox'));
      expect(error.message).toBe('permission denied for schema ingest');
    } finally {
      await identity.end();
    }
  });
});
