// ChirpStack connections over a fresh database as the service's runtime role, tested against
// the in-process fake ChirpStack.
import { status } from '@grpc/grpc-js';
import { FakeChirpStack } from '@parking/chirpstack-fake';
import { Prisma } from '@parking/chirpstack-sync/data-access';
import { PERMISSIONS, type CreateConnectionBody, type Principal } from '@parking/contracts';
import { PgSqlClient, TenantDatabase, type TemplateSqlClient } from '@parking/database';
import { generateSecretsKey, SecretBox } from '@parking/secret-box';
import { createTestDatabase, type TestDatabase } from '@parking/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { ChirpStackClients } from '../src/chirpstack/chirpstack-clients';
import { ConnectionTestUseCase } from '../src/connections/connection-test.use-case';
import { ConnectionTokens } from '../src/secrets/sealed-secrets';
import { ConnectionsUseCase } from '../src/connections/connections.use-case';

const TOKEN = 'cs-api-token-3b7d91';

describe('ChirpStack connections', () => {
  let database: TestDatabase;
  let pg: PgSqlClient;
  let admin: Client;
  let fake: FakeChirpStack;
  let clients: ChirpStackClients;
  let connections: ConnectionsUseCase;
  let tests: ConnectionTestUseCase;
  const principalOf = (tenantId: string): Principal => ({ tenantId, actor: 'user:test', userId: randomUUID(), role: 'owner', permissions: [...PERMISSIONS] }) as Principal;
  const body = (overrides: Partial<CreateConnectionBody> = {}): CreateConnectionBody => ({
    name: 'Production LNS',
    apiUrl: fake.url,
    apiToken: TOKEN,
    chirpstackTenantId: '11111111-2222-4333-8444-555555555555',
    applicationId: randomUUID(),
    deviceProfiles: {},
    ...overrides,
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    pg = new PgSqlClient({ url: database.urlFor('chirpstack'), max: 4, template: (strings, ...values) => Prisma.sql(strings, ...values) });
    const db = new TenantDatabase<TemplateSqlClient>({ client: pg, schema: 'chirpstack' });
    admin = new Client({ connectionString: database.adminUrl });
    await admin.connect();
    fake = await FakeChirpStack.start({ tokens: [TOKEN] });
    clients = new ChirpStackClients({ deadlineMs: 2_000, attempts: 2, firstDelayMs: 5, maxDelayMs: 20, breakAfter: 10, halfOpenAfterMs: 100 });
    connections = new ConnectionsUseCase(db, new ConnectionTokens(new SecretBox(generateSecretsKey())), clients);
    tests = new ConnectionTestUseCase(connections, clients);
  });
  afterAll(async () => {
    clients.onModuleDestroy();
    await fake.stop();
    await admin.end();
    await pg.$disconnect();
    await database.drop();
  });

  it('stores the token sealed and never answers it; the first connection is the default', async () => {
    const owner = principalOf(randomUUID());
    const created = await connections.create(owner, body());
    expect(created).toMatchObject({ name: 'Production LNS', apiUrl: fake.url, isDefault: true, driftPolicy: 'report-only', version: 1 });
    expect(JSON.stringify(created)).not.toContain(TOKEN);
    expect(JSON.stringify(await connections.list(owner, {}, 10))).not.toContain(TOKEN);
    const { rows } = await admin.query<{ api_token_sealed: string }>('SELECT api_token_sealed FROM chirpstack.connections WHERE id = $1', [created.id]);
    expect(rows[0].api_token_sealed).toMatch(/^sb1\./);
    expect(rows[0].api_token_sealed).not.toContain(TOKEN);
    expect((await connections.withToken(owner, created.id)).apiToken).toBe(TOKEN);
  });

  it('keeps exactly one default: a new default takes over, the default cannot be switched off, and removing it promotes the oldest left', async () => {
    const owner = principalOf(randomUUID());
    const first = await connections.create(owner, body({ name: 'first' }));
    const second = await connections.create(owner, body({ name: 'second' }));
    expect(second.isDefault).toBe(false);
    const third = await connections.create(owner, body({ name: 'third', isDefault: true }));
    const defaults = async () => (await connections.list(owner, {}, 10)).items.filter((c) => c.isDefault).map((c) => c.name);
    expect(await defaults()).toEqual(['third']);

    await expect(connections.update(owner, third.id, { ...body({ name: 'third' }), isDefault: false })).rejects.toMatchObject({ code: 'CONFLICT' });
    await connections.remove(owner, third.id);
    expect(await defaults()).toEqual(['first']);
    expect((await connections.get(owner, first.id)).version).toBe(3);
  });

  it('refuses a second connection of the same name (any case), a stale version, and more connections than the limit allows', async () => {
    const owner = principalOf(randomUUID());
    const created = await connections.create(owner, body({ name: 'Main' }));
    await expect(connections.create(owner, body({ name: 'main' }))).rejects.toMatchObject({ code: 'CONFLICT', errors: [{ field: 'name', message: 'is taken' }] });
    const updated = await connections.update(owner, created.id, { ...body({ name: 'Main' }), apiToken: undefined, version: 1, driftPolicy: 'platform-wins' });
    expect(updated).toMatchObject({ version: 2, driftPolicy: 'platform-wins' });
    expect((await connections.withToken(owner, created.id)).apiToken).toBe(TOKEN);
    await expect(connections.update(owner, created.id, { ...body({ name: 'Main' }), version: 1 })).rejects.toMatchObject({ code: 'CONFLICT', extras: { version: 2 } });
    for (let i = 1; i < 20; i++) await connections.create(owner, body({ name: `extra ${i}` }));
    await expect(connections.create(owner, body({ name: 'one too many' }))).rejects.toMatchObject({ code: 'CONFLICT', extras: { max: 20 } });
  });

  it("never shows, changes or uses another tenant's connection: it is 404 like an unknown id", async () => {
    const owner = principalOf(randomUUID());
    const stranger = principalOf(randomUUID());
    const created = await connections.create(owner, body());
    for (const attempt of [
      () => connections.get(stranger, created.id),
      () => connections.withToken(stranger, created.id),
      () => connections.update(stranger, created.id, body()),
      () => connections.remove(stranger, created.id),
      () => tests.test(stranger, created.id),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }
    expect((await connections.list(stranger, {}, 10)).items).toEqual([]);
    expect((await connections.get(owner, created.id)).version).toBe(1);
  });

  it('tests a connection: the API and token, the application in its ChirpStack tenant, and each codec device profile', async () => {
    const owner = principalOf(randomUUID());
    const chirpstackTenantId = randomUUID();
    const applicationId = fake.addApplication({ tenantId: chirpstackTenantId, name: 'parking' });
    const profile = fake.addDeviceProfile({ tenantId: chirpstackTenantId, name: 'NPS405 EU868' });
    const missing = randomUUID();
    const created = await connections.create(owner, body({ name: 'tested', chirpstackTenantId, applicationId, deviceProfiles: { 'nwave-nps405': profile, 'bosch-tps110': missing } }));

    const report = await tests.test(owner, created.id);
    expect(report).toMatchObject({
      connectionId: created.id,
      ok: false,
      checks: [
        { check: 'api', ok: true },
        { check: 'application', ok: true, detail: expect.stringContaining('"parking"') },
        { check: 'deviceProfile:bosch-tps110', ok: false, detail: expect.stringContaining(missing) },
        { check: 'deviceProfile:nwave-nps405', ok: true },
      ],
      deviceProfilesFound: [{ id: profile, name: 'NPS405 EU868' }],
    });
    expect(fake.callsOf('ApplicationService.Get')).toHaveLength(1);
  });

  it('reports a refused token and an unreachable ChirpStack as findings, not errors', async () => {
    const owner = principalOf(randomUUID());
    const refused = await connections.create(owner, body({ name: 'wrong token', apiToken: 'not-the-token' }));
    expect(await tests.test(owner, refused.id)).toMatchObject({ ok: false, checks: [{ check: 'api', ok: false, detail: expect.stringMatching(/refused the API token/) }] });

    const unreachable = await connections.create(owner, body({ name: 'down' }));
    fake.fail('ApplicationService.Get', { code: status.UNAVAILABLE });
    try {
      expect(await tests.test(owner, unreachable.id)).toMatchObject({ ok: false, checks: [{ check: 'api', ok: false, detail: expect.stringMatching(/could not be reached/) }] });
    } finally {
      fake.heal();
    }
  });
});
