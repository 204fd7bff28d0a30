/** Orphan devices through the real pipeline: recorded, listed newest first, assigned with their history replayed. */
import { randomBytes, randomUUID } from 'node:crypto';
import { IngestEvents, Principal } from '@parking/contracts';
import { metricsRegistry } from '@parking/observability';
import { expectEventually } from '@parking/testing';
import { PipelineHarness } from '../pipeline/test/pipeline-harness';
import { OrphanAdmin } from './orphan-admin';
import { RawWebhookRepublisher } from './raw-webhook-republisher';

const newEui = () => randomBytes(8).toString('hex');
const admin: Principal = { kind: 'user', tenantId: randomUUID(), actor: `user:${randomUUID()}`, userId: randomUUID(), permissions: [], isPlatformAdmin: true };

function up(devEui: string, fCnt: number, devAddr = '00189440') {
  return { deduplicationId: randomUUID(), time: new Date().toISOString(), deviceInfo: { devEui }, devAddr, fCnt, fPort: 1, data: 'lQ==', rxInfo: [] };
}

describe('orphan devices', () => {
  let h: PipelineHarness;
  let orphans: OrphanAdmin;

  beforeAll(async () => {
    h = await PipelineHarness.start();
    await h.startConsumer();
    orphans = new OrphanAdmin(h.db, h.outbox, new RawWebhookRepublisher(h.js, h.namespace));
  });
  afterAll(() => h?.close());

  const orphanRow = async (devEui: string) => (await h.admin.query(`SELECT count::int AS count, first_seen_at, last_seen_at, last_event, last_payload, last_source_tenant_id::text FROM ingest.orphans WHERE dev_eui = $1`, [devEui])).rows[0];

  it('records an unknown devEUI (count, first and last seen, newest payload) and lists orphans newest first', async () => {
    const tenant = randomUUID();
    const [older, newer] = [newEui(), newEui()];
    await h.publish('up', up(older, 1), { tenantId: tenant, receivedAt: new Date('2026-03-01T08:00:00Z') });
    await h.publish('up', up(older, 2), { tenantId: tenant, receivedAt: new Date('2026-03-01T08:05:00Z') });
    // A devEUI registered to another tenant is an orphan for this one.
    await h.registerDevice(randomUUID(), newer);
    await h.publish('up', up(newer, 1), { tenantId: tenant, receivedAt: new Date('2026-03-01T09:00:00Z') });

    await expectEventually(async () => {
      expect(await orphanRow(older)).toMatchObject({
        count: 2,
        first_seen_at: new Date('2026-03-01T08:00:00Z'),
        last_seen_at: new Date('2026-03-01T08:05:00Z'),
        last_event: 'up',
        last_payload: expect.objectContaining({ devEui: older, fCnt: 2, payload: 'lQ==' }),
        last_source_tenant_id: tenant,
      });
      expect(await orphanRow(newer)).toMatchObject({ count: 1 });
    });
    expect((await h.events(IngestEvents.ORPHAN_SEEN_V1, older)).map((e) => [e.tenantid, e.data])).toEqual([
      [tenant, expect.objectContaining({ count: 1, sourceTenantId: tenant, event: 'up' })],
      [tenant, expect.objectContaining({ count: 2, lastSeenAt: '2026-03-01T08:05:00.000Z' })],
    ]);

    const first = await orphans.list(admin, 'orphan review', { limit: 1 });
    const mine = async () => {
      const all = [];
      for (let page = first; ; page = await orphans.list(admin, 'orphan review', { limit: 1, cursor: page.nextCursor as string })) {
        all.push(...page.items);
        if (!page.nextCursor) return all;
      }
    };
    const listed = (await mine()).filter((o) => o.devEui === older || o.devEui === newer);
    expect(listed.map((o) => [o.devEui, o.count, o.keptEvents])).toEqual([
      [newer, 1, 1],
      [older, 2, 2],
    ]);
    await expect(orphans.list({ ...admin, isPlatformAdmin: false }, 'curious', { limit: 10 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('assigns an orphan to a tenant: its kept events are replayed to it, in order, and later uplinks flow there', async () => {
    const tenant = randomUUID();
    const devEui = newEui();
    const join = { deduplicationId: randomUUID(), deviceInfo: { devEui }, devAddr: '0118a001' };
    await h.publish('up', up(devEui, 40), { tenantId: tenant });
    await h.publish('join', join, { tenantId: tenant });
    await h.publish('up', up(devEui, 0, '0118a001'), { tenantId: tenant });
    // Platform-signed: replayed too. Another tenant's: not.
    await h.publish('up', up(devEui, 1, '0118a001'));
    await h.publish('up', up(devEui, 2, '0118a001'), { tenantId: randomUUID() });
    await expectEventually(async () => expect(await orphanRow(devEui)).toMatchObject({ count: 5 }));

    const assigned = await orphans.assign(admin, 'customer ticket 77', { devEui, tenantId: tenant, codec: 'nwave-nps405', name: 'Bay 4', kind: 'sensor' });
    expect(assigned).toMatchObject({ devEui, tenantId: tenant, replayed: 4, discarded: 1 });
    await expectEventually(async () => {
      const stored = (await h.uplinks(devEui)).map((u) => [u.tenant_id, u.session, u.f_cnt]);
      expect(stored).toEqual([
        [tenant, 0, 40],
        [tenant, 1, 0],
        [tenant, 1, 1],
      ]);
    });
    expect(await orphanRow(devEui)).toBeUndefined();
    expect(await h.events(IngestEvents.DEVICE_REGISTERED_V1, assigned.deviceId)).toEqual([expect.objectContaining({ tenantid: tenant, data: expect.objectContaining({ devEui, codec: 'nwave-nps405' }) })]);
    const { rows: audit } = await h.admin.query(`SELECT actor, reason FROM ingest.platform_audit WHERE reason LIKE 'customer ticket 77%'`);
    expect(audit.length).toBeGreaterThanOrEqual(1);

    await h.publish('up', up(devEui, 3, '0118a001'), { tenantId: tenant });
    await expectEventually(async () => expect((await h.uplinks(devEui)).map((u) => u.f_cnt)).toEqual([40, 0, 1, 3]));
    expect(await orphanRow(devEui)).toBeUndefined();
    await expect(orphans.assign(admin, 'again', { devEui, tenantId: tenant, codec: 'nwave-nps405', name: 'Bay 4', kind: 'sensor' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('sends a platform-signed uplink of a registered device to its owner, and records an unknown one as a platform orphan', async () => {
    const owner = randomUUID();
    const [registered, unknown] = [newEui(), newEui()];
    await h.registerDevice(owner, registered);
    await h.publish('up', up(registered, 5));
    await h.publish('up', up(unknown, 5));
    await expectEventually(async () => {
      expect((await h.uplinks(registered)).map((u) => [u.tenant_id, u.f_cnt])).toEqual([[owner, 5]]);
      expect(await orphanRow(unknown)).toMatchObject({ count: 1, last_source_tenant_id: null });
    });
    expect((await h.events(IngestEvents.ORPHAN_SEEN_V1, unknown)).map((e) => e.tenantid)).toEqual([IngestEvents.PLATFORM_TENANT_ID]);
  });
});

describe('orphans capped per source', () => {
  const CAP = 3;
  let h: PipelineHarness;

  beforeAll(async () => {
    h = await PipelineHarness.start();
    await h.startConsumer({ orphanDevEuisPerSource: CAP });
  });
  afterAll(() => h?.close());

  /** Distinct devEUIs recorded for a source (null: the platform secret). */
  const recorded = async (source: string | null) =>
    (await h.admin.query(`SELECT DISTINCT dev_eui FROM ingest.orphan_events WHERE source_tenant_id IS NOT DISTINCT FROM $1::uuid ORDER BY dev_eui`, [source])).rows.map(
      (r: { dev_eui: string }) => r.dev_eui,
    );
  const capped = async (source: 'tenant' | 'platform') => {
    const metric = await metricsRegistry.getSingleMetric('ingest_orphan_events_capped_total')?.get();
    return metric?.values.find((v) => v.labels.source === source)?.value ?? 0;
  };
  const dropped = async (source: string) =>
    (await h.admin.query(`SELECT dropped::int AS dropped FROM ingest.orphan_source_quota WHERE source_tenant_id = $1::uuid`, [source])).rows[0]?.dropped ?? 0;

  it('records at most the cap of distinct devEUIs per source tenant, keeps recording those, and counts the rest', async () => {
    const [flooder, calm] = [randomUUID(), randomUUID()];
    const euis = Array.from({ length: CAP + 2 }, newEui);
    const before = await capped('tenant');
    for (const [i, devEui] of euis.entries()) await h.publish('up', up(devEui, i), { tenantId: flooder });

    await expectEventually(async () => {
      expect(await capped('tenant')).toBe(before + 2);
      expect(await recorded(flooder)).toEqual(euis.slice(0, CAP).sort());
    });
    expect(await dropped(flooder)).toBe(2);
    expect((await h.events(IngestEvents.ORPHAN_SEEN_V1)).filter((e) => e.tenantid === flooder)).toHaveLength(CAP);

    // A devEUI already recorded keeps being recorded past the cap; another tenant has its own.
    await h.publish('up', up(euis[0], 10), { tenantId: flooder });
    const other = newEui();
    await h.publish('up', up(other, 1), { tenantId: calm });
    await expectEventually(async () => {
      const { rows } = await h.admin.query(`SELECT count::int AS count FROM ingest.orphans WHERE dev_eui = $1`, [euis[0]]);
      expect(rows).toEqual([{ count: 2 }]);
      expect(await recorded(calm)).toEqual([other]);
    });
    expect(await capped('tenant')).toBe(before + 2);
  });

  it('caps the platform secret as one source, and frees a slot when a devEUI stops being an orphan', async () => {
    const euis = Array.from({ length: CAP + 1 }, newEui);
    const before = await capped('platform');
    for (const [i, devEui] of euis.entries()) await h.publish('up', up(devEui, i));
    await expectEventually(async () => {
      expect(await capped('platform')).toBe(before + 1);
      expect(await recorded(null)).toEqual(euis.slice(0, CAP).sort());
    });

    // An admin assigns one: the platform may record another devEUI.
    const orphans = new OrphanAdmin(h.db, h.outbox, new RawWebhookRepublisher(h.js, h.namespace));
    await orphans.assign(admin, 'cap test', { devEui: euis[0], tenantId: randomUUID(), codec: 'nwave-nps405', name: 'Bay', kind: 'sensor' });
    const late = newEui();
    await h.publish('up', up(late, 1));
    await expectEventually(async () => expect(await recorded(null)).toEqual([...euis.slice(1, CAP), late].sort()));
  });
});
