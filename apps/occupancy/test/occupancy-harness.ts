// Runs the occupancy module in this process against a fresh database and NATS namespace,
// and plays the other services: ingest's and identity's events are published into their
// namespaced streams exactly as their outbox relays would (createEnvelope + EventPublisher).
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions, Transport } from '@nestjs/microservices';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import {
  createEnvelope,
  DEFAULT_PLAN,
  EventDefinition,
  EventEnvelope,
  EventType,
  IdentityEvents,
  IngestEvents,
  Namespace,
  PERMISSIONS,
  Principal,
  RpcContract,
  sourceFor,
  Uplink,
} from '@parking/contracts';
import { connectNats, EventPublisher } from '@parking/messaging';
import { createRpcClient, RpcClient, trustRpcCallers } from '@parking/messaging-nest';
import { DomainError } from '@parking/problem-details';
import { readTrustedKeys, RpcProofVerifier } from '@parking/rpc-proof';
import type { OccupancyConfig } from '../src/config';
import { createTestDatabase, removeNamespaceStreams, splitSpecRequest, TEST_RPC_KEYS, TestDatabase, uniqueNamespace } from '@parking/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

const NATS_URL = process.env.NATS_URL || 'nats://127.0.0.1:4222';

/** Set before the module loads: @RpcHandler reads the namespace when its class is defined. */
export function claimNamespace(): string {
  const namespace = uniqueNamespace();
  process.env.NATS_NAMESPACE = namespace;
  return namespace;
}

/** A contract, or a bare subject for payloads no contract would let through. */
export type RpcTarget = string | RpcContract<object, unknown>;

/** A request written as `{ principal?, caller?, ...input }`, sent as the gateway does (the principal and caller in its signed proof). */
export function sendAsGateway<T>(client: RpcClient, target: RpcTarget, payload: unknown): Promise<T> {
  const { input, context } = splitSpecRequest(payload);
  return client.send<unknown, T>(subjectOf(target), input, { context });
}

export function subjectOf(target: RpcTarget): string {
  return typeof target === 'string' ? target : target.subject;
}

export function principalFor(tenantId: string): Principal {
  return { kind: 'api-key', tenantId, actor: `api-key:${randomUUID()}`, apiKeyId: randomUUID(), permissions: [...PERMISSIONS], isPlatformAdmin: false };
}

export interface OccupancyHarness {
  database: TestDatabase;
  namespace: string;
  apps: INestApplication[];
  /** Request/reply of the raw wire payload (input and principal side by side), unchecked on this side. */
  send<TRes>(target: RpcTarget, payload: unknown): Promise<TRes>;
  failure(target: RpcTarget, payload: unknown): Promise<DomainError>;
  /** Publishes another service's event as its outbox relay would. */
  publish<TData, TType extends EventType>(def: EventDefinition<TData, TType>, tenantId: string, aggregateId: string, data: TData): Promise<EventEnvelope<TData, TType>>;
  sql<T extends object>(query: string, values?: unknown[]): Promise<T[]>;
  /** Events occupancy published under the namespace since start. */
  events(type?: string): EventEnvelope[];
  stop(): Promise<void>;
}

export interface HarnessOptions {
  namespace: string;
  /** Occupancy processes consuming side by side (each its own pool and NATS connection). */
  instances?: number;
  poolMax?: number;
  /** Serve RPC over NATS from the first instance. */
  rpc?: boolean;
  /** RPC_TRUSTED_KEYS entries of other calling services, trusted beside the gateway's. */
  trustedKeys?: string[];
}

export async function startOccupancy(options: HarnessOptions): Promise<OccupancyHarness> {
  const { namespace } = options;
  const database = await createTestDatabase();
  const { OccupancyModule } = await import('../src/occupancy.module');
  const config: OccupancyConfig = {
    service: 'occupancy',
    version: 'test',
    http: { port: 0 },
    nats: { url: NATS_URL, namespace, streamReplicas: 1 },
    log: { level: 'warn' },
    shutdownTimeoutMs: 10_000,
    defaultTenantPlan: DEFAULT_PLAN,
    // Retention runs when a test asks (RetentionPurger.purge).
    retention: { outboxHours: 6, intervalMs: 0, transitionDays: 90 },
    rpcProof: { trustedKeys: [TEST_RPC_KEYS.trustedKeys, ...(options.trustedKeys ?? [])].join(',') },
    database: { url: database.urlFor('occupancy'), poolMax: options.poolMax ?? 10 },
  };
  const apps: INestApplication[] = [];
  const nc: NatsConnection = await connectNats({ url: NATS_URL, name: 'occupancy-spec' });
  const publisher = new EventPublisher(jetstream(nc), new Namespace(namespace));
  const seen: EventEnvelope[] = [];
  const subscription = nc.subscribe(`${namespace}.occupancy.>`);
  void (async () => {
    for await (const message of subscription) seen.push(message.json<EventEnvelope>());
  })();
  let client: RpcClient | undefined;
  const admin = new Client({ connectionString: database.adminUrl });
  await admin.connect();
  try {
    for (let i = 0; i < (options.instances ?? 1); i++) {
      const app = await NestFactory.create(OccupancyModule.forRoot(config, { silenceTimer: { intervalMs: 0 } }), new FastifyAdapter(), { logger: ['error'] });
      if (i === 0 && options.rpc) {
        trustRpcCallers(new RpcProofVerifier(readTrustedKeys(config.rpcProof.trustedKeys ?? '')));
        app.connectMicroservice<MicroserviceOptions>({ transport: Transport.NATS, options: { servers: NATS_URL.split(','), queue: 'occupancy' } }, { inheritAppConfig: true });
        await app.startAllMicroservices();
      }
      await app.init();
      apps.push(app);
    }
    if (options.rpc) client = createRpcClient({ natsUrl: NATS_URL, name: 'occupancy-spec', namespace, timeoutMs: 15_000, proof: TEST_RPC_KEYS.gatewayProof });
  } catch (error) {
    await Promise.all(apps.map((app) => app.close()));
    await admin.end();
    await nc.close();
    await database.drop();
    throw error;
  }
  const rpc = (): RpcClient => {
    if (!client) throw new Error('start the harness with rpc: true to send requests');
    return client;
  };
  return {
    database,
    namespace,
    apps,
    send: (target, payload) => sendAsGateway(rpc(), target, payload),
    async failure(target, payload) {
      const outcome = await sendAsGateway(rpc(), target, payload).then(
          (reply) => new Error(`expected ${subjectOf(target)} to fail, it answered ${JSON.stringify(reply)}`),
          (error: unknown) => error,
        );
      if (!(outcome instanceof DomainError)) throw outcome;
      return outcome;
    },
    async publish(def, tenantId, aggregateId, data) {
      const envelope = createEnvelope(def, { tenantId, aggregateId, data, source: sourceFor(def.domain) });
      await publisher.publish(envelope);
      return envelope;
    },
    async sql(query, values = []) {
      return (await admin.query(query, values)).rows;
    },
    events: (type) => seen.filter((e) => type === undefined || e.type === type),
    async stop() {
      await client?.close();
      await Promise.all(apps.map((app) => app.close()));
      subscription.unsubscribe();
      await nc.close();
      await admin.end();
      await removeNamespaceStreams(namespace);
      await database.drop();
    },
  };
}

/** A registered sensor as ingest's device events describe it. */
export function deviceSnapshot(tenantId: string, devEui: string, overrides: Partial<IngestEvents.DeviceSnapshotV1> = {}): IngestEvents.DeviceSnapshotV1 {
  return {
    ...IngestEvents.DEVICE_SNAPSHOT_EXAMPLE,
    tenantId,
    deviceId: randomUUID(),
    devEui,
    name: `sensor ${devEui}`,
    heartbeatSeconds: 600,
    version: 1,
    at: new Date().toISOString(),
    ...overrides,
  };
}

/** An uplink of `devEui` as ingest publishes it. */
export function uplinkOf(
  device: IngestEvents.DeviceSnapshotV1,
  frame: { session?: number; fCnt: number; occupied: boolean | null; receivedAt?: string; deduplicationId?: string },
): Uplink {
  const receivedAt = frame.receivedAt ?? new Date().toISOString();
  return {
    ...IngestEvents.UplinkReceivedV1.example,
    tenantId: device.tenantId,
    deviceId: device.deviceId,
    devEui: device.devEui,
    deduplicationId: frame.deduplicationId ?? randomUUID(),
    session: frame.session ?? 1,
    fCnt: frame.fCnt,
    sensorTime: receivedAt,
    receivedAt,
    decoded: { ...IngestEvents.UplinkReceivedV1.example.decoded, occupied: frame.occupied, frameType: frame.occupied === null ? 'heartbeat' : 'parking_status' },
  };
}

export function limitsChanged(tenantId: string, limits: Partial<IdentityEvents.TenantLimitsChangedV1Data['limits']>, version: number): IdentityEvents.TenantLimitsChangedV1Data {
  const example = IdentityEvents.TenantLimitsChangedV1.example;
  return { ...example, tenantId, limits: { ...example.limits, ...limits }, version, changedAt: new Date().toISOString() };
}
