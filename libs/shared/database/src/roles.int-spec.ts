import { randomBytes } from 'node:crypto';
// Only the tests use @parking/testing (which builds on this library); project.json drops the edge.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { createTestDatabase, TestDatabase } from '@parking/testing';
import { Client } from 'pg';
import { newRolePassword, TRUST_AUTH } from './role-passwords';
import { bootstrapRoles } from './roles';
import { scramVerifier } from './scram';
import { OWNER_ROLE, SERVICES } from './service-schemas';

async function query<T extends object>(url: string, sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

/** `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>` → the parts a recomputation needs. */
function parseVerifier(verifier: string): { iterations: number; salt: Buffer } {
  const match = /^SCRAM-SHA-256\$(\d+):([^$]+)\$[^:]+:.+$/.exec(verifier);
  if (!match) throw new Error('not a SCRAM-SHA-256 verifier');
  return { iterations: Number(match[1]), salt: Buffer.from(match[2], 'base64') };
}

// The test server authenticates by trust, so logging in proves nothing about a password; the
// stored verifiers are compared instead (npm run smoke logs in with them on embedded PostgreSQL).
const storedVerifiers = async (url: string) =>
  Object.fromEntries(
    (await query<{ role: string; verifier: string | null }>(url, `SELECT rolname AS role, rolpassword AS verifier FROM pg_authid WHERE rolname = ANY ($1)`, [
      SERVICES.map((s) => s.role),
    ])).map((row) => [row.role, row.verifier]),
  );

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
    const reports = await Promise.all([first, second, first, second].map((db) => bootstrapRoles({ adminUrl: db.adminUrl, passwords: TRUST_AUTH })));

    expect(reports).toHaveLength(4);
    const roles = await query<{ rolname: string }>(first.adminUrl, `SELECT rolname FROM pg_roles WHERE rolname = ANY ($1)`, [SERVICES.map((s) => s.role)]);
    expect(roles).toHaveLength(SERVICES.length);
  });

  it('gives parking_owner CREATE on the database it was called for', async () => {
    await bootstrapRoles({ adminUrl: second.adminUrl, passwords: TRUST_AUTH });

    const rows = await query<{ ok: boolean }>(second.adminUrl, `SELECT has_database_privilege('${OWNER_ROLE}', current_database(), 'CREATE') AS ok`);
    expect(rows).toEqual([{ ok: true }]);
  });

  it('puts back the attributes of a runtime role that drifted', async () => {
    // CREATEDB is harmless to the other suites running meanwhile; BYPASSRLS would not be.
    await query(first.adminUrl, 'ALTER ROLE parking_downlink CREATEDB');

    await bootstrapRoles({ adminUrl: first.adminUrl, passwords: TRUST_AUTH });

    const rows = await query(first.adminUrl, `SELECT rolcreatedb, rolcanlogin, rolbypassrls, rolinherit FROM pg_roles WHERE rolname = 'parking_downlink'`);
    expect(rows).toEqual([{ rolcreatedb: false, rolcanlogin: true, rolbypassrls: false, rolinherit: false }]);
  });

  it('makes each platform-admin role a NOLOGIN role its runtime role may switch to, and puts back drifted attributes', async () => {
    await query(first.adminUrl, 'ALTER ROLE parking_downlink_platform_admin CREATEDB');

    await bootstrapRoles({ adminUrl: first.adminUrl, passwords: TRUST_AUTH });

    const rows = await query(
      first.adminUrl,
      `SELECT rolname, rolcanlogin, rolbypassrls, rolcreatedb, pg_has_role(replace(rolname, '_platform_admin', ''), oid, 'MEMBER') AS runtime_member
         FROM pg_roles WHERE rolname = ANY ($1) ORDER BY rolname`,
      [SERVICES.map((s) => s.platformAdminRole)],
    );
    expect(rows).toEqual(
      SERVICES.map((s) => ({ rolname: s.platformAdminRole, rolcanlogin: false, rolbypassrls: false, rolcreatedb: false, runtime_member: true })).sort((a, b) =>
        a.rolname.localeCompare(b.rolname),
      ),
    );
  });

  it('keeps parking_owner a NOLOGIN role that bypasses RLS', async () => {
    const rows = await query(first.adminUrl, `SELECT rolcanlogin, rolbypassrls FROM pg_roles WHERE rolname = '${OWNER_ROLE}'`);

    expect(rows).toEqual([{ rolcanlogin: false, rolbypassrls: true }]);
  });

  it('gives each runtime role its own password, sent as a SCRAM verifier', async () => {
    const passwords = Object.fromEntries(SERVICES.map((s) => [s.service, newRolePassword()]));

    await bootstrapRoles({ adminUrl: first.adminUrl, passwords });

    const stored = await storedVerifiers(first.adminUrl);
    for (const { service, role } of SERVICES) {
      const verifier = stored[role] ?? '';
      const { iterations, salt } = parseVerifier(verifier);
      expect({ role, verifier }).toEqual({ role, verifier: scramVerifier(passwords[service], salt, iterations) });
    }
    expect(new Set(Object.values(stored)).size).toBe(SERVICES.length);
  });

  it('leaves the passwords alone on a trust-auth server', async () => {
    const before = await storedVerifiers(first.adminUrl);

    await bootstrapRoles({ adminUrl: first.adminUrl, passwords: TRUST_AUTH });

    expect(await storedVerifiers(first.adminUrl)).toEqual(before);
  });

  it('refuses a missing, short or shared password before touching any role, naming variables but no value', async () => {
    const before = await storedVerifiers(first.adminUrl);
    const shared = newRolePassword();
    const passwords = { ...Object.fromEntries(SERVICES.map((s) => [s.service, shared])), identity: newRolePassword(), downlink: 'short' };
    delete (passwords as Record<string, string>).ingest;

    const refusal = bootstrapRoles({ adminUrl: first.adminUrl, passwords });

    await expect(refusal).rejects.toThrow(
      'DB_PASSWORD_INGEST is not set; DB_PASSWORD_DOWNLINK is shorter than 16 characters; DB_PASSWORD_OCCUPANCY and DB_PASSWORD_RESERVATIONS and DB_PASSWORD_CHIRPSTACK_SYNC are the same',
    );
    await expect(refusal).rejects.not.toThrow(shared);
    expect(await storedVerifiers(first.adminUrl)).toEqual(before);
  });

  it("computes the verifier PostgreSQL computes itself", async () => {
    const role = `parking_t_scram_${randomBytes(4).toString('hex')}`;
    const password = newRolePassword();
    const client = new Client({ connectionString: first.adminUrl });
    await client.connect();
    try {
      await client.query(`SET password_encryption = 'scram-sha-256'`);
      await client.query(`CREATE ROLE ${role} NOLOGIN PASSWORD ${client.escapeLiteral(password)}`);
      const { rows } = await client.query<{ verifier: string }>(`SELECT rolpassword AS verifier FROM pg_authid WHERE rolname = $1`, [role]);
      const { iterations, salt } = parseVerifier(rows[0].verifier);
      expect(scramVerifier(password, salt, iterations)).toBe(rows[0].verifier);
    } finally {
      await client.query(`DROP ROLE IF EXISTS ${role}`);
      await client.end();
    }
  });
});
