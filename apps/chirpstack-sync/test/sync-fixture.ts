// What the device-sync and reconciliation suites share: a fresh database as the service's
// runtime role, the fake ChirpStack, connections to it, and registry devices delivered as
// ingest's events.
import { FakeChirpStack } from '@parking/chirpstack-fake';
import { Prisma } from '@parking/chirpstack-sync/data-access';
import { createEnvelope, IngestEvents, PERMISSIONS, type EventEnvelope, type Principal } from '@parking/contracts';
import { PgSqlClient, TenantDatabase, type TemplateSqlClient } from '@parking/database';
import { generateSecretsKey, SecretBox } from '@parking/secret-box';
import { batchOf, createTestDatabase, type TestDatabase } from '@parking/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { ChirpStackClients } from '../src/chirpstack/chirpstack-clients';
import type { ChirpStackCallPolicy } from '../src/chirpstack/chirpstack-client';
import { ConnectionsUseCase } from '../src/connections/connections.use-case';
import { DeviceEventsConsumer } from '../src/devices/device-events.consumer';
import { DeviceSync, type DeviceSyncOptions } from '../src/devices/device-sync';
import { DeviceSyncWakeup } from '../src/devices/device-sync-wakeup';
import { DeviceSyncWorker } from '../src/devices/device-sync.worker';
import { ConnectionTokens, DeviceKeysVault } from '../src/secrets/sealed-secrets';
import type { DriftPolicy } from '@parking/contracts';

export const TOKEN = 'cs-sync-token-5d1e';
export const CODEC = 'nwave-nps405';
export const SYNC_OPTIONS: DeviceSyncOptions = { pollMs: 100, backoff: { initialMs: 200, factor: 2, maxMs: 1_000 }, batch: 20, concurrency: 4, claimMs: 30_000, autoStart: false };

export type Snapshot = IngestEvents.DeviceSnapshotV1;

export const owner = (tenantId: string): Principal => ({ tenantId, actor: 'user:test', userId: randomUUID(), role: 'owner', permissions: [...PERMISSIONS] }) as Principal;

export interface SyncFixture {
  database: TestDatabase;
  db: TenantDatabase<TemplateSqlClient>;
  fake: FakeChirpStack;
  clients: ChirpStackClients;
  connections: ConnectionsUseCase;
  vault: DeviceKeysVault;
  applicationId: string;
  profileId: string;
  worker: DeviceSyncWorker;
  consumer: DeviceEventsConsumer;
  newWorker(options?: Partial<DeviceSyncOptions>): DeviceSyncWorker;
  tenantWithConnection(overrides?: { deviceProfiles?: Record<string, string>; driftPolicy?: DriftPolicy }): Promise<{ tenantId: string; connectionId: string }>;
  deliver(kind: 'registered' | 'updated' | 'removed', device: Snapshot): Promise<void>;
  close(): Promise<void>;
}

export function snapshot(tenantId: string, overrides: Partial<Snapshot> = {}): Snapshot {
  return {
    tenantId,
    deviceId: randomUUID(),
    devEui: randomBytes(8).toString('hex'),
    kind: 'sensor',
    codec: CODEC,
    name: 'Bay 12, level 2',
    chirpstackApplicationId: null,
    chirpstackProfileId: null,
    description: 'NPS405 under bay 12',
    joinEui: '70b3d57ed0000001',
    heartbeatSeconds: 3600,
    heartbeatOverride: null,
    tags: { level: '2', zone: 'north' },
    version: 1,
    at: new Date().toISOString(),
    ...overrides,
  };
}

const EVENTS = { registered: IngestEvents.DeviceRegisteredV1, updated: IngestEvents.DeviceUpdatedV1, removed: IngestEvents.DeviceRemovedV1 };

export async function startSyncFixture(callPolicy: ChirpStackCallPolicy): Promise<SyncFixture> {
  const key = generateSecretsKey();
  const database = await createTestDatabase();
  const pg = new PgSqlClient({ url: database.urlFor('chirpstack'), max: 6, template: (strings, ...values) => Prisma.sql(strings, ...values) });
  const db = new TenantDatabase<TemplateSqlClient>({ client: pg, schema: 'chirpstack' });
  const fake = await FakeChirpStack.start({ tokens: [TOKEN] });
  const applicationId = fake.addApplication({ tenantId: randomUUID(), name: 'parking' });
  const profileId = randomUUID();
  const clients = new ChirpStackClients(callPolicy);
  // A new connection wakes the last worker made (the module has one).
  const devicesDue = new DeviceSyncWakeup();
  const connections = new ConnectionsUseCase(db, new ConnectionTokens(new SecretBox(key)), clients, devicesDue);
  const vault = new DeviceKeysVault(new SecretBox(key));
  const workers: DeviceSyncWorker[] = [];
  const newWorker = (options: Partial<DeviceSyncOptions> = {}) => {
    const all = { ...SYNC_OPTIONS, ...options };
    const created = new DeviceSyncWorker(db, new DeviceSync(db, connections, clients, vault, all), all, devicesDue);
    workers.push(created);
    return created;
  };
  const worker = newWorker();
  // Batches are handed to it directly; NATS is not needed.
  const consumer = new DeviceEventsConsumer(worker, db, undefined as never, undefined as never, undefined as never);
  return {
    database,
    db,
    fake,
    clients,
    connections,
    vault,
    applicationId,
    profileId,
    worker,
    consumer,
    newWorker,
    async tenantWithConnection(overrides = {}) {
      const tenantId = randomUUID();
      const connection = await connections.create(owner(tenantId), {
        name: 'LNS',
        apiUrl: fake.url,
        apiToken: TOKEN,
        chirpstackTenantId: randomUUID(),
        applicationId,
        deviceProfiles: overrides.deviceProfiles ?? { [CODEC]: profileId },
        driftPolicy: overrides.driftPolicy,
      });
      return { tenantId, connectionId: connection.id };
    },
    async deliver(kind, device) {
      const envelope = createEnvelope(EVENTS[kind], { tenantId: device.tenantId, aggregateId: device.deviceId, source: '/parking/ingest', data: device });
      const [outcome] = await consumer.handle(batchOf([envelope as EventEnvelope]));
      if (outcome.kind !== 'ack') throw new Error(`the device event was not applied: ${JSON.stringify(outcome)}`);
    },
    async close() {
      await Promise.all(workers.map((w) => w.onApplicationShutdown()));
      clients.onModuleDestroy();
      await fake.stop();
      await pg.$disconnect();
      await database.drop();
    },
  };
}
