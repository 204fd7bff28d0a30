// What the downlink suites share: a fresh database as the service's runtime role, an admin
// connection to arrange and read rows, and the service's outbox writer.
import { createDownlinkDatabase, type DownlinkDatabase } from '@parking/downlink/data-access';
import { subjectOf, type EventEnvelope } from '@parking/contracts';
import { OutboxWriter, type BatchMessage } from '@parking/messaging';
import { createTestDatabase } from '@parking/testing';
import { Client } from 'pg';

export interface DownlinkFixture {
  db: DownlinkDatabase;
  /** Another pool on the same database, as a second process (or the same one after a restart) has; the caller closes it. */
  openDatabase(): DownlinkDatabase;
  outbox: OutboxWriter;
  sql<T = Record<string, unknown>>(text: string, values?: unknown[]): Promise<T[]>;
  /** For a connection of a test's own (a transaction held open across the service's work). */
  adminUrl: string;
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
    async close() {
      await admin.end();
      await db.close();
      await database.drop();
    },
  };
}

/** Envelopes as a batch consumer receives them from JetStream, in this order. */
export function batchOf(envelopes: readonly EventEnvelope[]): BatchMessage[] {
  return envelopes.map((envelope, index) => ({ subject: subjectOf(envelope), data: Buffer.from(JSON.stringify(envelope)), headers: {}, streamSequence: index + 1, deliveryCount: 1 }));
}
