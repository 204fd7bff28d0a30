import { Injectable, INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { jetstreamManager } from '@nats-io/jetstream';
import { EventEnvelope, IdentityEvents, STREAMS } from '@parking/contracts';
// eslint-disable-next-line @nx/enforce-module-boundaries -- one real Prisma-backed TenantDatabase for the spec
import { createIdentityDatabase, IdentityDatabase, IdentityTransaction } from '@parking/identity/data-access';
import { Namespace } from '@parking/contracts';
import { connectNats, OutboxRelay, OutboxWriter } from '@parking/messaging';
import { createTestDatabase, expectEventually, TestDatabase, uniqueNamespace } from '@parking/testing';
import { randomUUID } from 'node:crypto';
import type { EventConsumer } from './messaging.options';
import { MessagingModule } from './messaging.module';
import { NatsReadiness } from './nats-readiness';

const NATS_URL = process.env.NATS_URL || 'nats://127.0.0.1:4222';

@Injectable()
class ProjectionLog {
  readonly seen: EventEnvelope[] = [];
  slowMs = 0;
  finished = 0;
}

/** A handler class: resolved from the container, so it gets its dependencies injected. */
@Injectable()
class TenantDirectoryProjection implements EventConsumer<IdentityTransaction> {
  constructor(private readonly log: ProjectionLog) {}

  async handle(envelope: EventEnvelope, tx: IdentityTransaction): Promise<void> {
    this.log.seen.push(envelope);
    await new Promise((resolve) => setTimeout(resolve, this.log.slowMs));
    await tx.$executeRawUnsafe(`SELECT 1`);
    this.log.finished++;
  }
}

describe('MessagingModule (real NATS and PostgreSQL)', () => {
  const ns = uniqueNamespace();
  let database: TestDatabase;
  let db: IdentityDatabase;
  let app: INestApplicationContext;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createIdentityDatabase({ url: database.urlFor('identity'), poolMax: 4 });
    @Module({
      imports: [
        MessagingModule.forRoot({
          service: 'identity',
          natsUrl: NATS_URL,
          namespace: ns,
          streams: [STREAMS.IDENTITY],
          database: db,
          consumers: [{ purpose: 'tenant-directory', stream: 'IDENTITY', filterSubject: 'identity.tenant.>', handler: TenantDirectoryProjection }],
        }),
      ],
      providers: [ProjectionLog, TenantDirectoryProjection],
    })
    class IdentitySpecModule {}
    app = await NestFactory.createApplicationContext(IdentitySpecModule, { logger: false });
  });

  afterAll(async () => {
    await app?.close();
    await db.close();
    const nc = await connectNats({ url: NATS_URL, name: 'cleanup' });
    const jsm = await jetstreamManager(nc);
    for (const stream of ['IDENTITY', 'DEADLETTER'].map((name) => new Namespace(ns).stream(name))) await jsm.streams.delete(stream).catch(() => undefined);
    await nc.close();
    await database.drop();
  });

  function appendTenantCreated(tenantId: string) {
    const writer = app.get(OutboxWriter);
    return db.withTenant(tenantId, (tx) =>
      writer.append(tx, IdentityEvents.TenantCreatedV1, {
        tenantId,
        aggregateId: tenantId,
        data: { ...IdentityEvents.TenantCreatedV1.example, tenantId },
      }),
    );
  }

  it('provisions at boot, relays the outbox and delivers to the declared consumer', async () => {
    const tenantId = randomUUID();
    const envelope = await appendTenantCreated(tenantId);

    const log = app.get(ProjectionLog);
    await expectEventually(() => expect(log.seen.map((e) => e.id)).toContain(envelope.id));
    expect(log.seen.find((e) => e.id === envelope.id)).toEqual(envelope);
    await expect(app.get(NatsReadiness).check()).resolves.toBeUndefined();
  });

  it('on shutdown lets the in-flight handler commit before the relay and NATS go', async () => {
    const log = app.get(ProjectionLog);
    log.slowMs = 800;
    const before = log.seen.length;
    const envelope = await appendTenantCreated(randomUUID());
    await expectEventually(() => expect(log.seen.length).toBe(before + 1));
    const finishedBefore = log.finished;

    await app.close();

    expect(log.finished).toBe(finishedBefore + 1);
    const inbox = await db.withTenant(envelope.tenantid, (tx) =>
      tx.$queryRawUnsafe<unknown[]>(`SELECT 1 FROM identity.inbox WHERE event_id = $1::uuid`, envelope.id),
    );
    expect(inbox).toHaveLength(1);
    expect(app.get(OutboxRelay)).toBeDefined();
    await expect(app.get(NatsReadiness).check()).rejects.toThrow(/closed/);
  });
});
