import { SERVICES } from '@parking/database';
import { withClient } from '../ingest/resources';

export interface TableStorage {
  table: string;
  rows: number;
  /** Heap, indexes and TOAST (pg_total_relation_size). */
  bytes: number;
}

/** Every service table's rows and size on disk, largest first. */
export async function tableStorage(adminUrl: string): Promise<TableStorage[]> {
  return withClient(adminUrl, async (client) => {
    const { rows: tables } = await client.query<{ name: string; bytes: string }>(
      `SELECT format('%I.%I', n.nspname, c.relname) AS name, pg_total_relation_size(c.oid) AS bytes
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r' AND n.nspname = ANY ($1)`,
      [SERVICES.map((s) => s.schema)],
    );
    const result: TableStorage[] = [];
    for (const { name, bytes } of tables) {
      const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${name}`);
      result.push({ table: name, rows: Number(rows[0].n), bytes: Number(bytes) });
    }
    return result.sort((a, b) => b.bytes - a.bytes);
  });
}

/** The report's table: what each stored uplink costs on disk, table by table (those that grow with uplinks). */
export function storageLines(tables: TableStorage[], uplinks: number): string[] {
  const growing = tables.filter((t) => t.rows >= uplinks * 0.05);
  const total = growing.reduce((sum, t) => sum + t.bytes, 0);
  return [
    `| table | rows | rows per stored uplink | bytes per row (with indexes) | bytes per stored uplink |`,
    '| --- | ---: | ---: | ---: | ---: |',
    ...growing.map((t) => `| ${t.table} | ${t.rows} | ${(t.rows / uplinks).toFixed(2)} | ${Math.round(t.bytes / Math.max(t.rows, 1))} | ${Math.round(t.bytes / uplinks)} |`),
    `| all of these | | | | ${Math.round(total / uplinks)} |`,
  ];
}
