// Shared set-up of the messaging integration specs: one cloned database, one NATS
// namespace with its streams, and helpers to read what landed where.
import { jetstream, jetstreamManager, JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { createEnvelope, EventEnvelope, IdentityEvents, STREAMS } from '@parking/contracts';
// The specs need one real Prisma-backed TenantDatabase; identity's schema has the
// platform tables like every other, and nothing here depends on identity's own tables.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { createIdentityDatabase, IdentityDatabase, IdentityTransaction } from '@parking/identity/data-access';
import { createTestDatabase, TestDatabase, uniqueNamespace } from '@parking/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { connectNats } from '../src/connect-nats';
import { Namespace } from '@parking/contracts';
import { provisionConsumer, provisionStreams, StreamProvisionOptions } from '../src/provision';

export type SpecDatabase = IdentityDatabase;
export type SpecTransaction = IdentityTransaction;

export const NATS_URL = process.env.NATS_URL || 'nats://127.0.0.1:4222';

export interface Harness {
  database: TestDatabase;
  ns: Namespace;
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  /** A fresh TenantDatabase as the identity runtime role (RLS applies); closed by close(). */
  openDb(): IdentityDatabase;
  /** Superuser query on the test database. */
  sql<T = Record<string, unknown>>(text: string, values?: unknown[]): Promise<T[]>;
  provisionConsumer(durable: string, filter: string, ackWaitMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function createHarness(streamOptions: StreamProvisionOptions = {}): Promise<Harness> {
  const database = await createTestDatabase();
  const ns = new Namespace(uniqueNamespace());
  const nc = await connectNats({ url: NATS_URL, name: `test-${ns.prefix}` });
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  await provisionStreams(jsm, [STREAMS.IDENTITY, STREAMS.DEADLETTER], ns, streamOptions);
  const admin = new Client({ connectionString: database.adminUrl });
  await admin.connect();
  // Handler side effects, counted by the specs: written in the handler's transaction.
  await admin.query(`CREATE TABLE identity.test_effects (event_id uuid, aggregate_id text, n int, at timestamptz DEFAULT clock_timestamp())`);
  await admin.query(`GRANT SELECT, INSERT ON identity.test_effects TO parking_identity`);
  const dbs: IdentityDatabase[] = [];
  return {
    database,
    ns,
    nc,
    js,
    jsm,
    openDb() {
      const db = createIdentityDatabase({ url: database.urlFor('identity'), poolMax: 4 });
      dbs.push(db);
      return db;
    },
    sql: async <T>(text: string, values?: unknown[]) => (await admin.query(text, values)).rows as T[],
    provisionConsumer: (durable, filter, ackWaitMs = 5_000) =>
      provisionConsumer(jsm, { stream: ns.stream('IDENTITY'), durable, filterSubject: ns.subject(filter), ackWaitMs }),
    async close() {
      await Promise.all(dbs.map((db) => db.close().catch(() => undefined)));
      await admin.end();
      for (const name of [ns.stream('IDENTITY'), ns.stream('DEADLETTER')]) await jsm.streams.delete(name).catch(() => undefined);
      await nc.close();
      await database.drop();
    },
  };
}

export function tenantCreated(overrides: { tenantId?: string; aggregateId?: string; name?: string; id?: string } = {}): EventEnvelope {
  const tenantId = overrides.tenantId ?? randomUUID();
  return createEnvelope(IdentityEvents.TenantCreatedV1, {
    tenantId,
    aggregateId: overrides.aggregateId ?? tenantId,
    source: '/parking/identity',
    id: overrides.id,
    data: { ...IdentityEvents.TenantCreatedV1.example, tenantId, name: overrides.name ?? 'Harbour Parking Ltd' },
  });
}

/** Every message currently stored on `subject` (namespaced), oldest first. */
export async function readStream(jsm: JetStreamManager, stream: string, subject: string): Promise<Array<{ seq: number; data: string; headers: Record<string, string> }>> {
  const info = await jsm.streams.info(stream);
  const out: Array<{ seq: number; data: string; headers: Record<string, string> }> = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    const msg = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
    if (!msg || !matches(subject, msg.subject)) continue;
    const headers: Record<string, string> = {};
    for (const key of msg.header?.keys() ?? []) headers[key] = msg.header.get(key);
    out.push({ seq, data: msg.string(), headers });
  }
  return out;
}

function matches(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return s.length > i;
    if (p[i] !== '*' && p[i] !== s[i]) return false;
  }
  return p.length === s.length;
}
