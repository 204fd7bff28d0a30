// Catalog look-ups and generic rows for the tenant-isolation test: it must keep working,
// unchanged, as migrations add tables, so nothing here names a table.
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

export interface TenantTable {
  schema: string;
  table: string;
  rowSecurity: boolean;
  forceRowSecurity: boolean;
  policies: number;
}

interface ColumnInfo {
  name: string;
  type: string;
  base_type: string;
  category: string;
  enum_first: string | null;
  needs_value: boolean;
  allowed_first: string | null;
  /** A single-column CHECK's definition, when it bounds the value (`x >= 1 AND x <= 223`). */
  bounded: string | null;
  max_length: number | null;
}

/** Every table (or partition) in the given schemas with a tenant_id column. */
export async function tenantTables(admin: Client, schemas: string[]): Promise<TenantTable[]> {
  const { rows } = await admin.query<TenantTable>(
    `SELECT n.nspname AS schema, c.relname AS table, c.relrowsecurity AS "rowSecurity",
            c.relforcerowsecurity AS "forceRowSecurity",
            (SELECT count(*)::int FROM pg_policy p WHERE p.polrelid = c.oid) AS policies
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
      WHERE n.nspname = ANY ($1) AND c.relkind IN ('r', 'p')
      ORDER BY 1, 2`,
    [schemas],
  );
  return rows;
}

export interface PolicyTable {
  schema: string;
  table: string;
  hasTenantId: boolean;
}

/** Every table in the given schemas with a policy named `policy` (some, like ingest.orphans, have no tenant_id). */
export async function tablesWithPolicy(admin: Client, schemas: string[], policy: string): Promise<PolicyTable[]> {
  const { rows } = await admin.query<PolicyTable>(
    `SELECT p.schemaname AS schema, p.tablename AS table,
            EXISTS (SELECT 1 FROM pg_attribute a
                     WHERE a.attrelid = format('%I.%I', p.schemaname, p.tablename)::regclass
                       AND a.attname = 'tenant_id' AND NOT a.attisdropped) AS "hasTenantId"
       FROM pg_policies p
      WHERE p.schemaname = ANY ($1) AND p.policyname = $2
      ORDER BY 1, 2`,
    [schemas, policy],
  );
  return rows;
}

/**
 * Inserts one row for `tenantId` through `client` (which must already be allowed to write it),
 * filling each NOT NULL column that has no default with a value of its type.
 */
export function insertTenantRow(client: Client, schema: string, table: string, tenantId: string): Promise<void> {
  return insertRow(client, schema, table, tenantId);
}

/** As insertTenantRow; `tenantId` null for a table without a tenant_id column. */
export async function insertRow(client: Client, schema: string, table: string, tenantId: string | null): Promise<void> {
  const columns = await columnsNeedingValues(client, schema, table);
  const tenant = tenantId === null ? [] : [{ name: 'tenant_id', value: tenantId, type: 'uuid' }];
  const names = [...tenant.map((t) => t.name), ...columns.map((c) => c.name)];
  const values = [...tenant.map((t) => t.value), ...columns.map(valueFor)];
  const casts = [...tenant.map((t) => t.type), ...columns.map((c) => c.type)];
  await client.query(
    `INSERT INTO "${schema}"."${table}" (${names.map((n) => `"${n}"`).join(', ')})
     VALUES (${casts.map((type, i) => `$${i + 1}::${type}`).join(', ')})`,
    values,
  );
}

async function columnsNeedingValues(client: Client, schema: string, table: string): Promise<ColumnInfo[]> {
  const { rows } = await client.query<ColumnInfo>(
    `SELECT a.attname AS name,
            format_type(a.atttypid, a.atttypmod) AS type,
            bt.typname AS base_type,
            bt.typcategory AS category,
            (SELECT e.enumlabel FROM pg_enum e WHERE e.enumtypid = bt.oid ORDER BY e.enumsortorder LIMIT 1) AS enum_first,
            a.attnotnull AND NOT a.atthasdef AND a.attidentity = '' AND a.attgenerated = '' AS needs_value,
            (SELECT pg_get_constraintdef(k.oid) FROM pg_constraint k
              WHERE k.conrelid = a.attrelid AND k.contype = 'c' AND k.conkey = ARRAY[a.attnum]
                AND pg_get_constraintdef(k.oid) ~ 'ANY \\(\\(?ARRAY\\['
              LIMIT 1) AS allowed_first,
            (SELECT pg_get_constraintdef(k.oid) FROM pg_constraint k
              WHERE k.conrelid = a.attrelid AND k.contype = 'c' AND k.conkey = ARRAY[a.attnum]
                AND pg_get_constraintdef(k.oid) ~ '>= *[(]?-?[0-9]'
              LIMIT 1) AS bounded,
            CASE WHEN a.atttypmod > 4 AND bt.typcategory = 'S' THEN a.atttypmod - 4 END AS max_length
       FROM pg_attribute a
       JOIN pg_type t ON t.oid = a.atttypid
       JOIN pg_type bt ON bt.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
      WHERE a.attrelid = format('%I.%I', $1::text, $2::text)::regclass
        AND a.attnum > 0 AND NOT a.attisdropped AND a.attname <> 'tenant_id'
      ORDER BY a.attnum`,
    [schema, table],
  );
  return rows.filter((c) => c.needs_value);
}

function valueFor(column: ColumnInfo): string {
  if (column.allowed_first) return firstListed(column.allowed_first);
  if (column.enum_first !== null) return column.enum_first;
  if (column.category === 'A') return '{}';
  const unique = randomUUID().replace(/-/g, '');
  switch (column.base_type) {
    case 'uuid':
      return randomUUID();
    case 'text':
    case 'varchar':
    case 'bpchar':
    case 'citext':
    case 'name':
      // 16 lower-case hex digits: also a valid EUI-64 (devEUI columns check for exactly that).
      return unique.slice(0, column.max_length ?? 16);
    case 'int2':
    case 'int4':
    case 'int8':
    case 'numeric':
    case 'float4':
    case 'float8': {
      // The lower bound of a range CHECK, else any small positive number.
      const lower = column.bounded ? />= *\(?(-?[0-9]+)/.exec(column.bounded) : null;
      return lower ? lower[1] : String(1 + Math.floor(Math.random() * 30000));
    }
    case 'bool':
      return 'true';
    case 'json':
    case 'jsonb':
      return '{}';
    case 'timestamptz':
    case 'timestamp':
      return new Date().toISOString();
    case 'date':
      return new Date().toISOString().slice(0, 10);
    case 'time':
    case 'timetz':
      return '12:00';
    case 'interval':
      return '1 minute';
    case 'tstzrange':
    case 'tsrange':
      return '[2026-01-01 10:00,2026-01-01 11:00)';
    case 'daterange':
      return '[2026-01-01,2026-01-02)';
    case 'int4range':
    case 'int8range':
    case 'numrange':
      return '[1,2)';
    case 'bytea':
      return '\\x00';
    case 'inet':
    case 'cidr':
      return '127.0.0.1';
    default:
      throw new Error(`The RLS test cannot make a value for ${column.name} (${column.type}); teach rls-fixtures valueFor() this type`);
  }
}

// `CHECK (status = ANY (ARRAY['pending'::text, ...]))` (how IN (...) is stored): take the first.
function firstListed(definition: string): string {
  const quoted = /ARRAY\[\s*'((?:[^']|'')*)'/.exec(definition);
  if (quoted) return quoted[1].replace(/''/g, "'");
  const bare = /ARRAY\[\s*\(?\s*(-?[\d.]+)/.exec(definition);
  if (bare) return bare[1];
  throw new Error(`The RLS test cannot read the allowed values of ${definition}`);
}

/** A connection of its own, as `url`'s role. */
export async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url });
  await client.connect();
  return client;
}

/** The error a statement (or other work) fails with; a success fails the test. */
export async function errorOf(work: Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await work;
  } catch (error) {
    return error as { code?: string; message: string };
  }
  throw new Error('expected the statement to fail, and it succeeded');
}
