import { Client } from 'pg';
import { OWNER_ROLE, type ServiceSchema } from '../service-schemas';

/**
 * Every privilege `grantee` holds on the schema and its tables, sequences, columns and
 * functions, as the GRANT/REVOKE clause that names it: `SELECT ON TABLE "s"."t"`,
 * `UPDATE ("c") ON TABLE "s"."t"`, `EXECUTE ON FUNCTION "s"."f"(integer)`.
 */
const PRIVILEGES_SQL = `
  WITH objects AS (
    SELECT 'SCHEMA ' || quote_ident(n.nspname) AS target, NULL::text AS col, n.nspacl AS acl
      FROM pg_namespace n WHERE n.nspname = $1
    UNION ALL
    SELECT CASE WHEN c.relkind = 'S' THEN 'SEQUENCE ' ELSE 'TABLE ' END || quote_ident(n.nspname) || '.' || quote_ident(c.relname), NULL, c.relacl
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
    UNION ALL
    SELECT 'TABLE ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname), quote_ident(a.attname), a.attacl
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND a.attnum > 0 AND NOT a.attisdropped AND a.attacl IS NOT NULL
    UNION ALL
    SELECT 'FUNCTION ' || quote_ident(n.nspname) || '.' || quote_ident(p.proname) || '(' || pg_get_function_identity_arguments(p.oid) || ')', NULL, p.proacl
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1
  )
  SELECT DISTINCT x.privilege_type || COALESCE(' (' || o.col || ')', '') || ' ON ' || o.target AS clause
    FROM objects o, aclexplode(o.acl) x
   WHERE x.grantee = $2::regrole`;

async function privilegesOf(client: Client, schema: string, grantee: string): Promise<Set<string>> {
  const { rows } = await client.query<{ clause: string }>(PRIVILEGES_SQL, [schema, client.escapeIdentifier(grantee)]);
  return new Set(rows.map((row) => row.clause));
}

/**
 * Gives the schema's platform-admin role exactly the privileges its runtime role holds, so
 * that asPlatformAdmin (which switches to it) can do what the service does, and no more. The
 * migrations grant to the runtime role only; this runs after them, inside the caller's
 * transaction. Revokes first: revoking a table privilege also drops its column grants.
 */
export async function syncPlatformAdminPrivileges(client: Client, service: ServiceSchema): Promise<void> {
  await client.query(`SET LOCAL ROLE ${client.escapeIdentifier(OWNER_ROLE)}`);
  const admin = client.escapeIdentifier(service.platformAdminRole);
  const runtime = await privilegesOf(client, service.schema, service.role);
  for (const clause of await privilegesOf(client, service.schema, service.platformAdminRole)) {
    if (!runtime.has(clause)) await client.query(`REVOKE ${clause} FROM ${admin}`);
  }
  const held = await privilegesOf(client, service.schema, service.platformAdminRole);
  for (const clause of runtime) {
    if (!held.has(clause)) await client.query(`GRANT ${clause} TO ${admin}`);
  }
  await client.query('RESET ROLE');
}
