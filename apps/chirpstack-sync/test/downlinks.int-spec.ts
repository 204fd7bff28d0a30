// The downlink door over a fresh database as the service's runtime role, against the
// in-process fake ChirpStack.
import { status } from '@grpc/grpc-js';
import { FakeChirpStack } from '@parking/chirpstack-fake';
import { Prisma } from '@parking/chirpstack-sync/data-access';
import { PERMISSIONS, type EnqueueDownlinkRequest, type Principal } from '@parking/contracts';
import { PgSqlClient, TenantDatabase, type TemplateSqlClient } from '@parking/database';
import { generateSecretsKey, SecretBox } from '@parking/secret-box';
import { createTestDatabase, type TestDatabase } from '@parking/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { ChirpStackClients } from '../src/chirpstack/chirpstack-clients';
import { ConnectionTokens } from '../src/secrets/sealed-secrets';
import { ConnectionsUseCase } from '../src/connections/connections.use-case';
import { DownlinksUseCase } from '../src/downlinks/downlinks.use-case';

const TOKEN = 'cs-downlink-token-77aa';
// Room for a loaded machine's first call (it opens the channel); the slow fake outlasts it.
const DEADLINE_MS = 1_500;

describe('the downlink door to ChirpStack', () => {
  let database: TestDatabase;
  let pg: PgSqlClient;
  let db: TenantDatabase<TemplateSqlClient>;
  let fake: FakeChirpStack;
  let clients: ChirpStackClients;
  let connections: ConnectionsUseCase;
  let downlinks: DownlinksUseCase;
  let applicationId: string;

  const owner = (tenantId: string): Principal => ({ tenantId, actor: 'user:test', userId: randomUUID(), role: 'owner', permissions: [...PERMISSIONS] }) as Principal;
  /** A tenant with a default connection to the fake, and one device registered in ChirpStack. */
  async function tenantWithDevice(): Promise<{ tenantId: string; devEui: string }> {
    const tenantId = randomUUID();
    await connections.create(owner(tenantId), { name: 'LNS', apiUrl: fake.url, apiToken: TOKEN, chirpstackTenantId: randomUUID(), applicationId });
    const devEui = randomBytes(8).toString('hex');
    fake.putDevice({ devEui, name: 'sign', description: '', applicationId, deviceProfileId: randomUUID(), isDisabled: false, skipFcntCheck: false, joinEui: '0000000000000000', tags: {}, variables: {} });
    return { tenantId, devEui };
  }
  const command = (target: { tenantId: string; devEui: string }, overrides: Partial<EnqueueDownlinkRequest> = {}): EnqueueDownlinkRequest => ({
    ...target,
    fPort: 15,
    data: Buffer.from('0000ffff00', 'hex').toString('base64'),
    confirmed: false,
    commandId: `cmd-${randomUUID()}`,
    ...overrides,
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    pg = new PgSqlClient({ url: database.urlFor('chirpstack'), max: 4, template: (strings, ...values) => Prisma.sql(strings, ...values) });
    db = new TenantDatabase<TemplateSqlClient>({ client: pg, schema: 'chirpstack' });
    fake = await FakeChirpStack.start({ tokens: [TOKEN] });
    applicationId = fake.addApplication({ tenantId: randomUUID(), name: 'signs' });
    clients = new ChirpStackClients({ deadlineMs: DEADLINE_MS, attempts: 2, firstDelayMs: 5, maxDelayMs: 20, breakAfter: 50, halfOpenAfterMs: 100 });
    connections = new ConnectionsUseCase(db, new ConnectionTokens(new SecretBox(generateSecretsKey())), clients);
    downlinks = new DownlinksUseCase(db, connections, clients);
  });
  afterEach(() => fake.heal());
  afterAll(async () => {
    clients.onModuleDestroy();
    await fake.stop();
    await pg.$disconnect();
    await database.drop();
  });

  it('queues the exact bytes on the fPort, and a repeat of the command answers the same queue item without queueing again', async () => {
    const target = await tenantWithDevice();
    const first = command(target, { confirmed: true, expiresAt: new Date(Date.now() + 600_000).toISOString() });
    const answer = await downlinks.enqueue(first);
    expect(answer).toEqual({ queueItemId: expect.any(String), replayed: false });
    expect(fake.queue(target.devEui)).toEqual([expect.objectContaining({ id: answer.queueItemId, fPort: 15, confirmed: true, data: Buffer.from('0000ffff00', 'hex') })]);

    expect(await downlinks.enqueue(first)).toEqual({ queueItemId: answer.queueItemId, replayed: true });
    expect(fake.queue(target.devEui)).toHaveLength(1);
    expect(fake.callsOf('DeviceService.Enqueue').filter((call) => (call.request as { queueItem: { devEui: string } }).queueItem.devEui === target.devEui)).toHaveLength(1);
  });

  it('answers two concurrent sends of one command with one queue item', async () => {
    const target = await tenantWithDevice();
    const same = command(target);
    const answers = await Promise.all([downlinks.enqueue(same), downlinks.enqueue(same)]);
    expect(new Set(answers.map((a) => a.queueItemId)).size).toBe(1);
    expect(answers.map((a) => a.replayed).sort()).toEqual([false, true]);
    expect(fake.queue(target.devEui)).toHaveLength(1);
  });

  it('refuses a command id used for another frame', async () => {
    const target = await tenantWithDevice();
    const first = command(target);
    await downlinks.enqueue(first);
    await expect(downlinks.enqueue({ ...first, fPort: 16 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'commandId', message: 'was used for a different frame' }] });
    expect(fake.queue(target.devEui)).toHaveLength(1);
  });

  it('answers UPSTREAM_TIMEOUT past the deadline, and the repeat finds the frame ChirpStack queued meanwhile instead of queueing it twice', async () => {
    const target = await tenantWithDevice();
    const slow = command(target);
    fake.slow('DeviceService.Enqueue', DEADLINE_MS + 1_000);
    await expect(downlinks.enqueue(slow)).rejects.toMatchObject({ code: 'UPSTREAM_TIMEOUT' });
    await fake.idle();
    fake.heal();
    const queued = fake.queue(target.devEui);
    expect(queued).toHaveLength(1);

    expect(await downlinks.enqueue(slow)).toEqual({ queueItemId: queued[0].id, replayed: true });
    expect(fake.queue(target.devEui)).toHaveLength(1);
  });

  it('queues the frame again when a timed-out command is not in the queue (it never arrived)', async () => {
    const target = await tenantWithDevice();
    const lost = command(target);
    fake.fail('DeviceService.Enqueue', { code: status.DEADLINE_EXCEEDED, times: 1 });
    await expect(downlinks.enqueue(lost)).rejects.toMatchObject({ code: 'UPSTREAM_TIMEOUT' });
    expect(fake.queue(target.devEui)).toEqual([]);
    const answer = await downlinks.enqueue(lost);
    expect(answer.replayed).toBe(false);
    expect(fake.queue(target.devEui).map((item) => item.id)).toEqual([answer.queueItemId]);
  });

  it('maps ChirpStack failures to stable codes: UNAVAILABLE, NOT_FOUND, VALIDATION_FAILED', async () => {
    const target = await tenantWithDevice();
    fake.outage(true);
    await expect(downlinks.enqueue(command(target))).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    fake.outage(false);
    await expect(downlinks.enqueue(command({ ...target, devEui: randomBytes(8).toString('hex') }))).rejects.toMatchObject({ code: 'NOT_FOUND', detail: expect.stringContaining('has no device') });
    fake.fail('DeviceService.Enqueue', { code: status.INVALID_ARGUMENT, times: 1, message: 'payload too long for the data rate' });
    await expect(downlinks.enqueue(command(target))).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(fake.queue(target.devEui)).toEqual([]);
  });

  it("goes through the tenant's own connection only: a tenant without one gets NOT_FOUND, never another tenant's", async () => {
    const target = await tenantWithDevice();
    await expect(downlinks.enqueue(command({ tenantId: randomUUID(), devEui: target.devEui }))).rejects.toMatchObject({ code: 'NOT_FOUND', detail: expect.stringContaining('no ChirpStack connection') });
    await expect(downlinks.flush({ tenantId: randomUUID(), devEui: target.devEui })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(fake.queue(target.devEui)).toEqual([]);
  });

  it('goes through the connection the device is in, not the default', async () => {
    const target = await tenantWithDevice();
    // The default connection's token is one the fake refuses: only the device's own connection gets through.
    const defaults = await connections.list(owner(target.tenantId), {}, 10);
    await connections.update(owner(target.tenantId), defaults.items[0].id, { ...defaults.items[0], apiToken: 'refused-token', deviceProfiles: {} });
    const own = await connections.create(owner(target.tenantId), { name: 'Second LNS', apiUrl: fake.url, apiToken: TOKEN, chirpstackTenantId: randomUUID(), applicationId });
    await expect(downlinks.enqueue(command(target))).rejects.toMatchObject({ code: 'UNAVAILABLE', detail: expect.stringContaining('token') });
    await db.withTenant(target.tenantId, (tx) => tx.$executeRaw`
      INSERT INTO chirpstack.devices (tenant_id, dev_eui, device_id, name, codec, device_version, changed_at, connection_id, status)
      VALUES (${target.tenantId}::uuid, ${target.devEui}, ${randomUUID()}::uuid, 'sign', 'chirpstack-object', 1, now(), ${own.id}::uuid, 'synced')`);
    const answer = await downlinks.enqueue(command(target));
    expect(fake.queue(target.devEui).map((item) => item.id)).toEqual([answer.queueItemId]);
  });

  it("flushes the device's queue", async () => {
    const target = await tenantWithDevice();
    await downlinks.enqueue(command(target));
    await downlinks.enqueue(command(target, { data: Buffer.from('ff0000ff00', 'hex').toString('base64') }));
    expect(fake.queue(target.devEui)).toHaveLength(2);
    expect(await downlinks.flush(target)).toEqual({ flushed: true });
    expect(fake.queue(target.devEui)).toEqual([]);
  });
});
