import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
// Only the tests use @parking/testing (which builds on this library); project.json drops the edge.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { createTestDatabase, TestDatabase } from '@parking/testing';
import { Client } from 'pg';
import { TRUST_AUTH } from '../role-passwords';
import { bootstrapRoles } from '../roles';
import { SERVICES } from '../service-schemas';
import { MigrationError } from './migration-error';
import { runMigrations } from './runner';

const PRISMA_ROOT = path.resolve(__dirname, '..', '..', '..', '..', '..', 'prisma');
const PLATFORM = '20261123000000_platform';
const SCHEMAS = SERVICES.map((s) => s.schema);

/** The migration folders of a schema, in the order they apply (the directory is the truth). */
function migrationsOf(schema: string): string[] {
  return readdirSync(path.join(PRISMA_ROOT, schema, 'migrations'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

async function query<T extends object>(url: string, sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

function copyOfPrisma(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'parking-migrations-'));
  cpSync(PRISMA_ROOT, dir, { recursive: true });
  return dir;
}

describe('runMigrations on an empty database', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase({ empty: true });
    await bootstrapRoles({ adminUrl: db.adminUrl, passwords: TRUST_AUTH });
  });
  afterAll(() => db.drop());

  it('applies every service schema in SERVICES order, then a second run applies nothing', async () => {
    const first = await runMigrations({ adminUrl: db.adminUrl, root: PRISMA_ROOT });
    expect(first.applied).toEqual(SCHEMAS.flatMap((schema) => migrationsOf(schema).map((name) => `${schema}/${name}`)));
    expect(first.skipped).toEqual([]);

    const second = await runMigrations({ adminUrl: db.adminUrl, root: PRISMA_ROOT });
    expect(second).toEqual({ applied: [], skipped: first.applied });
    const rows = await query<{ n: string }>(db.adminUrl, `SELECT count(*) AS n FROM identity._prisma_migrations`);
    expect(Number(rows[0].n)).toBe(migrationsOf('identity').length);
  });

  it('leaves every schema and its tables owned by parking_owner', async () => {
    const owners = await query<{ owner: string }>(
      db.adminUrl,
      `SELECT DISTINCT pg_get_userbyid(c.relowner) AS owner FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ANY($1)
       UNION SELECT DISTINCT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = ANY($1)`,
      [SCHEMAS],
    );
    expect(owners).toEqual([{ owner: 'parking_owner' }]);
  });

  it("writes _prisma_migrations with Prisma's columns and the files' sha256 checksums", async () => {
    const columns = await query(
      db.adminUrl,
      `SELECT column_name, data_type, character_maximum_length AS length, is_nullable, column_default
         FROM information_schema.columns WHERE table_schema = 'chirpstack' AND table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    );
    expect(columns).toEqual([
      { column_name: 'id', data_type: 'character varying', length: 36, is_nullable: 'NO', column_default: null },
      { column_name: 'checksum', data_type: 'character varying', length: 64, is_nullable: 'NO', column_default: null },
      { column_name: 'finished_at', data_type: 'timestamp with time zone', length: null, is_nullable: 'YES', column_default: null },
      { column_name: 'migration_name', data_type: 'character varying', length: 255, is_nullable: 'NO', column_default: null },
      { column_name: 'logs', data_type: 'text', length: null, is_nullable: 'YES', column_default: null },
      { column_name: 'rolled_back_at', data_type: 'timestamp with time zone', length: null, is_nullable: 'YES', column_default: null },
      { column_name: 'started_at', data_type: 'timestamp with time zone', length: null, is_nullable: 'NO', column_default: 'now()' },
      { column_name: 'applied_steps_count', data_type: 'integer', length: null, is_nullable: 'NO', column_default: '0' },
    ]);
    for (const schema of SCHEMAS) {
      const rows = await query<Record<string, unknown>>(db.adminUrl, `SELECT * FROM "${schema}"._prisma_migrations ORDER BY migration_name`);
      expect(rows).toEqual(
        migrationsOf(schema).map((name) => ({
          id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          checksum: createHash('sha256')
            .update(readFileSync(path.join(PRISMA_ROOT, schema, 'migrations', name, 'migration.sql')))
            .digest('hex'),
          finished_at: expect.any(Date),
          migration_name: name,
          logs: null,
          rolled_back_at: null,
          started_at: expect.any(Date),
          applied_steps_count: 1,
        })),
      );
    }
  });
});

describe('runMigrations on a migrated database', () => {
  let db: TestDatabase;
  let root: string;

  beforeEach(async () => {
    db = await createTestDatabase();
    root = copyOfPrisma();
  });
  afterEach(async () => {
    await db.drop();
    rmSync(root, { recursive: true, force: true });
  });

  it('refuses an applied migration whose file changed, naming the migration and the file', async () => {
    const file = path.join(root, 'occupancy', 'migrations', PLATFORM, 'migration.sql');
    appendFileSync(file, '\n-- an edit after the fact\n');

    const run = runMigrations({ adminUrl: db.adminUrl, root });

    await expect(run).rejects.toThrow(MigrationError);
    await expect(run).rejects.toMatchObject({ schema: 'occupancy', migration: PLATFORM, file });
    await expect(run).rejects.toThrow(`${file} no longer matches the checksum`);
  });

  it("refuses an applied migration whose file is missing", async () => {
    rmSync(path.join(root, 'identity', 'migrations', PLATFORM), { recursive: true });

    await expect(runMigrations({ adminUrl: db.adminUrl, root, schemas: ['identity'] })).rejects.toThrow(
      `Migration identity/${PLATFORM} is applied but its file`,
    );
  });

  it('refuses to go on after an attempt that never finished', async () => {
    await query(
      db.adminUrl,
      `INSERT INTO ingest._prisma_migrations (id, checksum, migration_name) VALUES ('00000000-0000-4000-8000-000000000001', 'x', '20261124000000_half_done')`,
    );

    await expect(runMigrations({ adminUrl: db.adminUrl, root, schemas: ['ingest'] })).rejects.toThrow(
      /ingest\/20261124000000_half_done .* never finished/,
    );
  });

  it('rolls a failing migration back, records the attempt, and applies it once fixed', async () => {
    const dir = path.join(root, 'downlink', 'migrations', '20261124000000_broken');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'migration.sql'), 'CREATE TABLE downlink.half_made (id int);\nSELECT no_such_function();\n');

    await expect(runMigrations({ adminUrl: db.adminUrl, root, schemas: ['downlink'] })).rejects.toThrow(/downlink\/20261124000000_broken failed/);
    expect(await query(db.adminUrl, `SELECT to_regclass('downlink.half_made') AS t`)).toEqual([{ t: null }]);
    expect(await query(db.adminUrl, `SELECT logs IS NOT NULL AS logged, rolled_back_at IS NOT NULL AS rolled_back FROM downlink._prisma_migrations WHERE migration_name = '20261124000000_broken'`)).toEqual([
      { logged: true, rolled_back: true },
    ]);

    writeFileSync(path.join(dir, 'migration.sql'), 'CREATE TABLE downlink.half_made (id int);\n');
    const report = await runMigrations({ adminUrl: db.adminUrl, root, schemas: ['downlink'] });

    expect(report.applied).toEqual(['downlink/20261124000000_broken']);
    expect(await query(db.adminUrl, `SELECT pg_get_userbyid(relowner) AS owner FROM pg_class WHERE oid = 'downlink.half_made'::regclass`)).toEqual([{ owner: 'parking_owner' }]);
  });

  it("gives the platform-admin role what a new migration grants the runtime role, and takes back what it revokes", async () => {
    const dir = path.join(root, 'reservations', 'migrations', '20261224000000_holds');
    mkdirSync(dir);
    writeFileSync(
      path.join(dir, 'migration.sql'),
      [
        'CREATE TABLE reservations.holds (id int, note text);',
        'GRANT SELECT, INSERT ON reservations.holds TO parking_reservations;',
        'GRANT UPDATE (note) ON reservations.holds TO parking_reservations;',
        'REVOKE DELETE ON reservations.inbox FROM parking_reservations;',
      ].join('\n'),
    );

    await runMigrations({ adminUrl: db.adminUrl, root, schemas: ['reservations'] });

    const can = (privilege: string, table = 'reservations.holds') =>
      `has_table_privilege('parking_reservations_platform_admin', '${table}', '${privilege}')`;
    expect(
      await query(
        db.adminUrl,
        `SELECT ${can('SELECT')} AS select, ${can('INSERT')} AS insert, ${can('UPDATE')} AS update_table,
                has_column_privilege('parking_reservations_platform_admin', 'reservations.holds', 'note', 'UPDATE') AS update_note,
                ${can('DELETE', 'reservations.inbox')} AS delete_inbox, ${can('SELECT', 'reservations.inbox')} AS select_inbox`,
      ),
    ).toEqual([{ select: true, insert: true, update_table: false, update_note: true, delete_inbox: false, select_inbox: true }]);
  });

  it('lets only one of several concurrent runs apply a new migration', async () => {
    const dir = path.join(root, 'identity', 'migrations', '20261124000000_devices');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'migration.sql'), 'CREATE TABLE identity.devices (id int);\n');

    const reports = await Promise.all([1, 2, 3].map(() => runMigrations({ adminUrl: db.adminUrl, root, schemas: ['identity'] })));

    expect(reports.flatMap((r) => r.applied)).toEqual(['identity/20261124000000_devices']);
  });
});
