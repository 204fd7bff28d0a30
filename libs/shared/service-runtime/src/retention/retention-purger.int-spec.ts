import { STREAMS } from '@parking/contracts';
import { PgSqlClient, RawSqlClient, SERVICES, serviceSchema, TenantDatabase } from '@parking/database';
import { createTestDatabase, expectEventually, TestDatabase } from '@parking/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { platformRetentionTargets, RetentionPurger, RetentionTarget } from './retention-purger';

const HOUR = 3_600_000;
const DAY_MS = 24 * HOUR;
const ago = (ms: number) => new Date(Date.now() - ms);

/** Every platform table of every schema: published outbox rows and inbox rows past their time go; the rest stays. */
describe('retention', () => {
  let db: TestDatabase;
  let admin: Client;
  const databases = new Map<string, TenantDatabase<RawSqlClient>>();
  const tenantId = randomUUID();

  const databaseOf = (schema: string): TenantDatabase<RawSqlClient> => {
    let found = databases.get(schema);
    if (!found) {
      const { service } = serviceSchema(schema);
      found = new TenantDatabase({ client: new PgSqlClient({ url: db.urlFor(service), max: 2 }), schema });
      databases.set(schema, found);
    }
    return found;
  };
  const count = async (sql: string, values: unknown[] = []): Promise<number> => Number((await admin.query<{ n: string }>(`SELECT count(*) AS n FROM ${sql}`, values)).rows[0].n);

  beforeAll(async () => {
    db = await createTestDatabase();
    admin = new Client({ connectionString: db.adminUrl });
    await admin.connect();
    // Rows are arranged without the rows they reference (displays, users): the purge is what is under test.
    await admin.query(`SET session_replication_role = replica`);
  });

  afterAll(async () => {
    for (const database of databases.values()) await database.close();
    await admin?.end();
    await db?.drop();
  });

  it.each(SERVICES.map((s) => [s.schema]))('%s: deletes published outbox rows past OUTBOX_RETENTION_HOURS and inbox rows once their stream has dropped the event', async (schema) => {
    const outbox = (createdAt: Date, publishedAt: Date | null) =>
      admin.query(
        `INSERT INTO ${schema}.outbox (id, tenant_id, subject, aggregate_id, envelope, created_at, published_at) VALUES ($1, $2, 'test.subject', 'a', '{}', $3, $4)`,
        [randomUUID(), tenantId, createdAt, publishedAt],
      );
    await outbox(ago(10 * DAY_MS), ago(10 * DAY_MS)); // goes
    await outbox(ago(10 * DAY_MS), ago(HOUR)); // published late: stays
    await outbox(ago(10 * DAY_MS), null); // never published: stays, whatever its age
    const inbox = (subject: string, processedAt: Date) =>
      admin.query(`INSERT INTO ${schema}.inbox (consumer, event_id, tenant_id, subject, processed_at) VALUES ('test', $1, $2, $3, $4)`, [randomUUID(), tenantId, subject, processedAt]);
    const occupancyAge = STREAMS.OCCUPANCY.limits.maxAgeMs;
    await inbox('occupancy.space.state_changed.v1.t.s', ago(occupancyAge + HOUR)); // its stream no longer holds the event: goes
    await inbox('occupancy.space.state_changed.v1.t.s', ago(occupancyAge - HOUR)); // could still be redelivered: stays
    await inbox('identity.tenant.created.v1.t', ago(occupancyAge + HOUR)); // IDENTITY keeps events for years: stays

    const purger = new RetentionPurger(databaseOf(schema), platformRetentionTargets({ outboxHours: 6 }), { intervalMs: 0 });
    await expect(purger.purge()).resolves.toEqual({ outbox: 1, inbox: 1 });

    expect(await count(`${schema}.outbox WHERE published_at IS NULL`)).toBe(1);
    expect(await count(`${schema}.outbox WHERE published_at > now() - interval '7 days'`)).toBe(1);
    expect(await count(`${schema}.outbox`)).toBe(2);
    expect(await count(`${schema}.inbox WHERE subject LIKE 'occupancy.%'`)).toBe(1);
    expect(await count(`${schema}.inbox WHERE subject LIKE 'identity.%'`)).toBe(1);
    await expect(purger.purge()).resolves.toEqual({ outbox: 0, inbox: 0 });
  });

  it('keeps inbox rows as long as NATS_STREAM_LIMITS keeps their stream, and outbox rows forever at 0 days', () => {
    const targets = platformRetentionTargets({ outboxHours: 0, streamLimits: { OCCUPANCY: { maxBytes: 1, maxAgeMs: DAY_MS } } });
    expect(targets.find((t) => t.target === 'outbox')?.keepMs).toBe(0);
    expect(targets.find((t) => t.target === 'inbox' && t.subjectPrefix === 'occupancy.')?.keepMs).toBe(DAY_MS);
    expect(targets.find((t) => t.target === 'inbox' && t.subjectPrefix === 'identity.')?.keepMs).toBe(STREAMS.IDENTITY.limits.maxAgeMs);
  });

  it('ingest: stored uplinks, device logs and event receipts past their days', async () => {
    const uplink = (createdAt: Date) =>
      admin.query(
        `INSERT INTO ingest.uplinks (id, tenant_id, device_id, dev_eui, session, f_cnt, dedup_key, received_at, uplink, created_at)
         VALUES ($1, $2, $1, '0011223344556677', 0, (random() * 1e9)::bigint, 'k', $3, '{}', $3)`,
        [randomUUID(), tenantId, createdAt],
      );
    await uplink(ago(8 * DAY_MS));
    await uplink(ago(6 * DAY_MS));
    const log = (at: Date) => admin.query(`INSERT INTO ingest.device_logs (tenant_id, dev_eui, kind, code, received_at) VALUES ($1, '0011223344556677', 'log', 'X', $2)`, [tenantId, at]);
    await log(ago(31 * DAY_MS));
    await log(ago(29 * DAY_MS));
    const receipt = (at: Date) => admin.query(`INSERT INTO ingest.event_receipts (tenant_id, dedup_key, received_at) VALUES ($1, $2, $3)`, [tenantId, randomUUID(), at]);
    await receipt(ago(4 * DAY_MS));
    await receipt(ago(2 * DAY_MS));
    const targets: RetentionTarget[] = [
      { target: 'uplinks', keepMs: 7 * DAY_MS },
      { target: 'device_logs', keepMs: 30 * DAY_MS },
      { target: 'event_receipts', keepMs: 3 * DAY_MS },
    ];
    await expect(new RetentionPurger(databaseOf('ingest'), targets, { intervalMs: 0 }).purge()).resolves.toEqual({ uplinks: 1, device_logs: 1, event_receipts: 1 });
    expect(await count(`ingest.uplinks WHERE created_at > now() - interval '7 days'`)).toBe(1);
    expect(await count(`ingest.uplinks`)).toBe(1);
    expect(await count(`ingest.device_logs`)).toBe(1);
    expect(await count(`ingest.event_receipts`)).toBe(1);
  });

  it('downlink: finished commands (and their events) past their days; open ones stay whatever their age', async () => {
    const command = async (state: string, updatedAt: Date) => {
      const id = randomUUID();
      await admin.query(
        `INSERT INTO downlink.commands (id, tenant_id, display_id, priority, wish, f_port, frame, airtime_ms, state, due_at, updated_at)
         VALUES ($1, $2, $3, 1, '{}', 10, '\\x00', 50, $4, $5, $5)`,
        [id, tenantId, randomUUID(), state, updatedAt],
      );
      await admin.query(`INSERT INTO downlink.command_events (tenant_id, command_id, outcome, at) VALUES ($1, $2, 'sent', $3)`, [tenantId, id, updatedAt]);
      return id;
    };
    const gone = [await command('confirmed', ago(31 * DAY_MS)), await command('dead', ago(31 * DAY_MS)), await command('superseded', ago(31 * DAY_MS))];
    const kept = [await command('pending', ago(31 * DAY_MS)), await command('sent', ago(31 * DAY_MS)), await command('confirmed', ago(29 * DAY_MS))];
    await expect(new RetentionPurger(databaseOf('downlink'), [{ target: 'commands', keepMs: 30 * DAY_MS }], { intervalMs: 0 }).purge()).resolves.toEqual({ commands: 3 });
    expect(await count(`downlink.commands WHERE id = ANY($1::uuid[])`, [gone])).toBe(0);
    expect(await count(`downlink.command_events WHERE command_id = ANY($1::uuid[])`, [gone])).toBe(0);
    expect(await count(`downlink.commands WHERE id = ANY($1::uuid[])`, [kept])).toBe(3);
    expect(await count(`downlink.command_events WHERE command_id = ANY($1::uuid[])`, [kept])).toBe(3);
  });

  it('chirpstack-sync: finished reconciliation runs and downlink records past their days; a running run stays', async () => {
    const run = (status: string, createdAt: Date) =>
      admin.query(
        `INSERT INTO chirpstack.reconciliation_runs (id, tenant_id, connection_id, trigger, policy, status, created_at, finished_at)
         VALUES ($1, $2, $3, 'schedule', 'report-only', $4::text, $5::timestamptz, CASE WHEN $4::text = 'running' THEN NULL ELSE $5::timestamptz END)`,
        [randomUUID(), tenantId, randomUUID(), status, createdAt],
      );
    await run('completed', ago(91 * DAY_MS));
    await run('failed', ago(91 * DAY_MS));
    await run('running', ago(91 * DAY_MS));
    await run('completed', ago(89 * DAY_MS));
    const record = (createdAt: Date) =>
      admin.query(
        `INSERT INTO chirpstack.downlink_commands (tenant_id, command_id, dev_eui, request_hash, connection_id, outcome, created_at) VALUES ($1, $2, '0011223344556677', 'h', $3, 'unknown', $4)`,
        [tenantId, randomUUID(), randomUUID(), createdAt],
      );
    await record(ago(31 * DAY_MS));
    await record(ago(29 * DAY_MS));
    const targets: RetentionTarget[] = [
      { target: 'reconciliation_runs', keepMs: 90 * DAY_MS },
      { target: 'downlink_commands', keepMs: 30 * DAY_MS },
    ];
    await expect(new RetentionPurger(databaseOf('chirpstack'), targets, { intervalMs: 0 }).purge()).resolves.toEqual({ reconciliation_runs: 2, downlink_commands: 1 });
    expect(await count(`chirpstack.reconciliation_runs WHERE status = 'running'`)).toBe(1);
    expect(await count(`chirpstack.reconciliation_runs`)).toBe(2);
    expect(await count(`chirpstack.downlink_commands`)).toBe(1);
  });

  it('occupancy: raw transitions past TRANSITION_RETENTION_DAYS', async () => {
    const transition = (at: Date) =>
      admin.query(`INSERT INTO occupancy.space_transitions (tenant_id, space_id, from_state, to_state, cause, version, at) VALUES ($1, $2, 'free', 'occupied', 'sensor', 1, $3)`, [
        tenantId,
        randomUUID(),
        at,
      ]);
    await transition(ago(91 * DAY_MS));
    await transition(ago(89 * DAY_MS));
    await expect(new RetentionPurger(databaseOf('occupancy'), [{ target: 'space_transitions', keepMs: 90 * DAY_MS }], { intervalMs: 0 }).purge()).resolves.toEqual({ space_transitions: 1 });
    expect(await count(`occupancy.space_transitions`)).toBe(1);
  });

  it('identity: refresh tokens a day after they expired', async () => {
    const token = (expiresAt: Date) =>
      admin.query(`INSERT INTO identity.refresh_tokens (id, tenant_id, user_id, family_id, token_hash, created_at, expires_at) VALUES ($1, $2, $1, $1, $3, $4, $4)`, [
        randomUUID(),
        tenantId,
        randomUUID(),
        expiresAt,
      ]);
    await token(ago(DAY_MS + HOUR));
    await token(ago(DAY_MS - HOUR));
    await token(new Date(Date.now() + DAY_MS));
    await expect(new RetentionPurger(databaseOf('identity'), [{ target: 'refresh_tokens', keepMs: DAY_MS }], { intervalMs: 0 }).purge()).resolves.toEqual({ refresh_tokens: 1 });
    expect(await count(`identity.refresh_tokens`)).toBe(2);
  });

  it('deletes in batches, and leaves the round to the replica that holds the schema lock', async () => {
    await admin.query(
      `INSERT INTO ingest.uplinks (id, tenant_id, device_id, dev_eui, session, f_cnt, dedup_key, received_at, uplink, created_at)
       SELECT gen_random_uuid(), $1, gen_random_uuid(), 'aabbccddeeff0011', 0, n, 'k', $2, '{}', $2 FROM generate_series(1, 10) AS n`,
      [tenantId, ago(8 * DAY_MS)],
    );
    const purger = new RetentionPurger(databaseOf('ingest'), [{ target: 'uplinks', keepMs: 7 * DAY_MS }], { intervalMs: 0, batchSize: 3 });
    const other = new Client({ connectionString: db.adminUrl });
    await other.connect();
    try {
      await other.query(`SELECT pg_advisory_lock(hashtext('ingest.retention'))`);
      await expect(purger.purge()).resolves.toBeNull();
      expect(await count(`ingest.uplinks WHERE dev_eui = 'aabbccddeeff0011'`)).toBe(10);
      await other.query(`SELECT pg_advisory_unlock(hashtext('ingest.retention'))`);
    } finally {
      await other.end();
    }
    await expect(purger.purge()).resolves.toEqual({ uplinks: 10 });
    expect(await count(`ingest.uplinks WHERE dev_eui = 'aabbccddeeff0011'`)).toBe(0);
  });

  it('runs on its timer once the service is up, and stops with it', async () => {
    await admin.query(`INSERT INTO occupancy.space_transitions (tenant_id, space_id, from_state, to_state, cause, version, at) VALUES ($1, $2, 'free', 'occupied', 'sensor', 1, $3)`, [
      tenantId,
      randomUUID(),
      ago(100 * DAY_MS),
    ]);
    const purger = new RetentionPurger(databaseOf('occupancy'), [{ target: 'space_transitions', keepMs: 90 * DAY_MS }], { intervalMs: 50 });
    purger.onApplicationBootstrap();
    try {
      await expectEventually(async () => expect(await count(`occupancy.space_transitions WHERE at < now() - interval '90 days'`)).toBe(0));
    } finally {
      await purger.beforeApplicationShutdown();
    }
  });

  it('refuses a caller without the retention purpose, and a target the schema does not declare', async () => {
    const ingest = databaseOf('ingest');
    await expect(ingest.asSystem('timer', (tx) => tx.$queryRawUnsafe(`SELECT ingest.purge_retained('uplinks', now(), 10)`))).rejects.toThrow(/retention/);
    await expect(ingest.withTenant(tenantId, (tx) => tx.$queryRawUnsafe(`SELECT ingest.purge_retained('uplinks', now(), 10)`))).rejects.toThrow(/retention/);
    await expect(ingest.asSystem('retention', (tx) => tx.$queryRawUnsafe(`SELECT ingest.purge_retained('devices', now(), 10)`))).rejects.toThrow(/no retention rule "devices"/);
    await expect(new RetentionPurger(ingest, [{ target: 'devices', keepMs: DAY_MS }], { intervalMs: 0 }).purge()).rejects.toThrow(/no retention rule "devices"/);
  });
});
