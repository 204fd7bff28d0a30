// What the downlink suites share: a fresh database as the service's runtime role, an admin
// connection to arrange and read rows, and the service's outbox writer.
import { createDownlinkDatabase, type DownlinkDatabase } from '@parking/downlink/data-access';
import { OutboxWriter } from '@parking/messaging';
import { createTestDatabase } from '@parking/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';

export interface DownlinkFixture {
  db: DownlinkDatabase;
  /** Another pool on the same database, as a second process (or the same one after a restart) has; the caller closes it. */
  openDatabase(): DownlinkDatabase;
  outbox: OutboxWriter;
  sql<T = Record<string, unknown>>(text: string, values?: unknown[]): Promise<T[]>;
  /** For a connection of a test's own (a transaction held open across the service's work). */
  adminUrl: string;
  /** `count` bay lights (kuando-busylight) of a tenant, over spaces of their own, heard by `gatewayId`. */
  displays(tenantId: string, count: number, gatewayId?: string | null): Promise<Array<{ id: string; devEui: string; deviceId: string }>>;
  close(): Promise<void>;
}

export async function downlinkFixture(): Promise<DownlinkFixture> {
  const database = await createTestDatabase();
  const db = createDownlinkDatabase({ url: database.urlFor('downlink') });
  const admin = new Client({ connectionString: database.adminUrl });
  await admin.connect();
  return {
    db,
    openDatabase: () => createDownlinkDatabase({ url: database.urlFor('downlink') }),
    outbox: new OutboxWriter({ schema: 'downlink', source: '/parking/downlink', wake: 'poll' }),
    sql: async <T>(text: string, values: unknown[] = []) => (await admin.query(text, values)).rows as T[],
    adminUrl: database.adminUrl,
    async displays(tenantId, count, gatewayId = null) {
      const rows = Array.from({ length: count }, () => ({ id: randomUUID(), devEui: randomBytes(8).toString('hex'), deviceId: randomUUID() }));
      await admin.query(
        `INSERT INTO downlink.displays (id, tenant_id, device_id, dev_eui, codec, name, target_kind, target_id, site_id, gateway_id)
         SELECT d.id, $1, d.device_id, d.dev_eui, 'kuando-busylight', 'light', 'space', gen_random_uuid(), gen_random_uuid(), $3
           FROM unnest($2::uuid[], $4::text[], $5::uuid[]) AS d(id, dev_eui, device_id)`,
        [tenantId, rows.map((r) => r.id), gatewayId, rows.map((r) => r.devEui), rows.map((r) => r.deviceId)],
      );
      return rows;
    },
    async close() {
      await admin.end();
      await db.close();
      await database.drop();
    },
  };
}
