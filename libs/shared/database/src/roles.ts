import { Client } from 'pg';
import { retryCatalogRace } from './catalog-race';
import { DatabaseLogger, silentLogger } from './logger';
import { RolePasswords, rolePasswordProblems, TRUST_AUTH } from './role-passwords';
import { scramVerifier } from './scram';
import { OWNER_ROLE, SERVICES } from './service-schemas';

export interface BootstrapRolesOptions {
  /** A superuser (or a role that may create BYPASSRLS roles) on the database to prepare. */
  adminUrl: string;
  /**
   * Each runtime role's own password, by service (rolePasswordsFromEnv reads them), or
   * TRUST_AUTH. No default: a role is never given a shared or well-known secret.
   */
  passwords: RolePasswords;
  log?: DatabaseLogger;
}

export interface BootstrapRolesReport {
  created: string[];
}

/** pg_roles column → the keyword that sets it (prefixed NO when false). */
const ATTRIBUTES = {
  rolcanlogin: 'LOGIN',
  rolbypassrls: 'BYPASSRLS',
  rolinherit: 'INHERIT',
  rolsuper: 'SUPERUSER',
  rolcreatedb: 'CREATEDB',
  rolcreaterole: 'CREATEROLE',
  rolreplication: 'REPLICATION',
} as const;
type Attributes = Record<keyof typeof ATTRIBUTES, boolean>;

const RUNTIME: Attributes = {
  rolcanlogin: true,
  rolbypassrls: false,
  rolinherit: false,
  rolsuper: false,
  rolcreatedb: false,
  rolcreaterole: false,
  rolreplication: false,
};
const OWNER: Attributes = { ...RUNTIME, rolcanlogin: false, rolbypassrls: true, rolinherit: true };
// Reached only by SET ROLE from its runtime role (asPlatformAdmin); no password, no login.
const PLATFORM_ADMIN: Attributes = { ...RUNTIME, rolcanlogin: false };
const LOCK_KEY = `hashtextextended('parking:bootstrap-roles', 0)`;

/**
 * Creates parking_owner, every service's runtime role and its platform-admin role, or corrects
 * them when they exist. Roles are cluster-wide, so this is safe to call from many processes at once.
 */
export async function bootstrapRoles(options: BootstrapRolesOptions): Promise<BootstrapRolesReport> {
  const problems = rolePasswordProblems(options.passwords);
  if (problems.length > 0) throw new Error(`bootstrapRoles: each runtime role needs its own password: ${problems.join('; ')}`);
  // Verifiers, not passwords, go to the server (see scramVerifier).
  const verifiers = new Map(
    SERVICES.map(({ service, role }) => [role, options.passwords === TRUST_AUTH ? undefined : scramVerifier(options.passwords[service])]),
  );
  const log = options.log ?? silentLogger;
  const client = new Client({ connectionString: options.adminUrl });
  await client.connect();
  try {
    await client.query(`SELECT pg_advisory_lock(${LOCK_KEY})`);
    const created = new Set<string>();
    await retryCatalogRace(() => ensureRoles(client, verifiers, created));
    for (const role of created) log.info(`created role ${role}`);
    return { created: [...created] };
  } finally {
    await client.end();
  }
}

async function ensureRoles(client: Client, verifiers: Map<string, string | undefined>, created: Set<string>): Promise<void> {
  if (await ensureRole(client, OWNER_ROLE, OWNER)) created.add(OWNER_ROLE);
  for (const { role, platformAdminRole } of SERVICES) {
    if (await ensureRole(client, role, RUNTIME, verifiers.get(role))) created.add(role);
    if (await ensureRole(client, platformAdminRole, PLATFORM_ADMIN)) created.add(platformAdminRole);
    await letRuntimeBecome(client, role, platformAdminRole);
    await grantDatabase(client, role, 'CONNECT');
  }
  await letAdminBecomeOwner(client);
  await grantDatabase(client, OWNER_ROLE, 'CREATE');
}

/**
 * Creates the role, or changes only the attributes that drifted: fewer catalog writes race
 * less, and an admin that is not superuser may not even name BYPASSRLS. Without a verifier
 * (NOLOGIN owner, trust auth) the password is not touched.
 */
async function ensureRole(client: Client, role: string, wanted: Attributes, verifier?: string): Promise<boolean> {
  const name = client.escapeIdentifier(role);
  const secret = verifier === undefined ? '' : ` PASSWORD ${client.escapeLiteral(verifier)}`;
  const { rows } = await client.query<Attributes>(`SELECT ${Object.keys(ATTRIBUTES).join(', ')} FROM pg_roles WHERE rolname = $1`, [role]);
  if (rows.length === 0) {
    await client.query(`CREATE ROLE ${name} WITH ${keywords(wanted, () => true)}${secret}`);
    return true;
  }
  const drifted = keywords(wanted, (key) => rows[0][key] !== wanted[key]);
  if (drifted || secret) await client.query(`ALTER ROLE ${name} WITH ${drifted}${secret}`);
  return false;
}

function keywords(wanted: Attributes, include: (key: keyof Attributes) => boolean): string {
  return (Object.keys(ATTRIBUTES) as (keyof Attributes)[])
    .filter(include)
    .map((key) => `${wanted[key] ? '' : 'NO'}${ATTRIBUTES[key]}`)
    .join(' ');
}

/** A non-superuser admin must be a member of parking_owner to `SET ROLE` to it. */
async function letAdminBecomeOwner(client: Client): Promise<void> {
  const { rows } = await client.query<{ admin: string; superuser: boolean; version: number }>(
    `SELECT current_user AS admin, rolsuper AS superuser, current_setting('server_version_num')::int AS version
       FROM pg_roles WHERE rolname = current_user`,
  );
  const { admin, superuser, version } = rows[0];
  if (superuser) return;
  // From PostgreSQL 16 membership alone no longer allows SET ROLE; the SET option does.
  const privilege = version >= 160000 ? 'SET' : 'MEMBER';
  const { rows: member } = await client.query<{ ok: boolean }>(`SELECT pg_has_role(current_user, $1, '${privilege}') AS ok`, [OWNER_ROLE]);
  if (member[0].ok) return;
  const setOption = version >= 160000 ? ' WITH SET TRUE' : '';
  await client.query(`GRANT ${client.escapeIdentifier(OWNER_ROLE)} TO ${client.escapeIdentifier(admin)}${setOption}`);
}

/**
 * The runtime role may SET ROLE to its platform-admin role. Being NOINHERIT, it never holds
 * that role's privileges otherwise (and the migrations give it the same ones anyway).
 */
async function letRuntimeBecome(client: Client, runtime: string, platformAdmin: string): Promise<void> {
  // From PostgreSQL 16 membership alone no longer allows SET ROLE; the SET option (a default) does.
  const { rows } = await client.query<{ ok: boolean }>(
    `SELECT pg_has_role($1, $2, CASE WHEN current_setting('server_version_num')::int >= 160000 THEN 'SET' ELSE 'MEMBER' END) AS ok`,
    [runtime, platformAdmin],
  );
  if (rows[0].ok) return;
  await client.query(`GRANT ${client.escapeIdentifier(platformAdmin)} TO ${client.escapeIdentifier(runtime)}`);
}

async function grantDatabase(client: Client, role: string, privilege: 'CREATE' | 'CONNECT'): Promise<void> {
  const { rows } = await client.query<{ db: string; ok: boolean }>(
    `SELECT current_database() AS db, has_database_privilege($1, current_database(), '${privilege}') AS ok`,
    [role],
  );
  if (rows[0].ok) return;
  await client.query(`GRANT ${privilege} ON DATABASE ${client.escapeIdentifier(rows[0].db)} TO ${client.escapeIdentifier(role)}`);
}
