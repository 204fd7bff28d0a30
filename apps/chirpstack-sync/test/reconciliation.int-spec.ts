// Reconciliation against the in-process fake ChirpStack, over a fresh database as the
// service's runtime role: drift, missing devices and orphans introduced in the fake are found,
// and handled as the connection's policy says.
import { ChirpstackEvents, createEnvelope, OccupancyEvents } from '@parking/contracts';
import type { DeviceRecord } from '@parking/chirpstack-fake';
import { OutboxWriter } from '@parking/messaging';
import { expectEventually } from '@parking/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { DeviceSyncUseCase } from '../src/devices/device-sync.use-case';
import { GatewayProvisioning } from '../src/gateways/gateway-provisioning';
import { GatewaysUseCase } from '../src/gateways/gateways.use-case';
import { SiteEventsConsumer } from '../src/gateways/site-events.consumer';
import { GatewayReconciler } from '../src/reconciliation/gateway-reconciler';
import { DEFAULT_RECONCILIATION_OPTIONS, Reconciler } from '../src/reconciliation/reconciler';
import { ReconciliationJobs } from '../src/reconciliation/reconciliation-jobs';
import { ReconciliationUseCase } from '../src/reconciliation/reconciliation.use-case';
import { owner, snapshot, startSyncFixture, type Snapshot, type SyncFixture } from './sync-fixture';

const OPTIONS = { ...DEFAULT_RECONCILIATION_OPTIONS, inspectPaceMs: 0, pageSize: 2, autoStart: false };

describe('reconciliation with ChirpStack', () => {
  let f: SyncFixture;
  let reconciler: Reconciler;
  let reconciliation: ReconciliationUseCase;
  let devices: DeviceSyncUseCase;
  let provisioning: GatewayProvisioning;
  let gateways: GatewaysUseCase;

  async function syncedDevices(tenantId: string, count: number): Promise<Snapshot[]> {
    const made = Array.from({ length: count }, () => snapshot(tenantId));
    for (const device of made) await f.deliver('registered', device);
    await f.worker.drain();
    for (const device of made) expect((await devices.view(owner(tenantId), device.devEui)).status).toBe('synced');
    return made;
  }
  const held = (devEui: string): DeviceRecord => f.fake.device(devEui) as DeviceRecord;
  const stranger = (): DeviceRecord => ({
    devEui: randomBytes(8).toString('hex'),
    name: 'spare sensor',
    description: '',
    applicationId: f.applicationId,
    deviceProfileId: f.profileId,
    isDisabled: false,
    skipFcntCheck: false,
    joinEui: '0000000000000000',
    tags: {},
    variables: {},
  });
  const eventsOf = (tenantId: string, type: string) =>
    f.db.withTenant(tenantId, (tx) => tx.$queryRaw<Array<{ data: Record<string, unknown> }>>`SELECT envelope->'data' AS data FROM chirpstack.outbox WHERE subject LIKE ${`${type}.%`} ORDER BY seq`);

  beforeAll(async () => {
    f = await startSyncFixture({ deadlineMs: 2_000, attempts: 1, firstDelayMs: 5, maxDelayMs: 20, breakAfter: 100, halfOpenAfterMs: 100 });
    const outbox = new OutboxWriter({ schema: 'chirpstack', source: '/parking/chirpstack-sync', wake: 'poll' });
    provisioning = new GatewayProvisioning(f.db, f.connections, f.clients);
    gateways = new GatewaysUseCase(f.db, provisioning);
    reconciler = new Reconciler(f.db, f.connections, f.clients, outbox, f.worker, new GatewayReconciler(f.db, provisioning), OPTIONS);
    reconciliation = new ReconciliationUseCase(f.db, f.connections, reconciler);
    devices = new DeviceSyncUseCase(f.db, f.vault, f.worker);
  });
  afterEach(() => f.fake.heal());
  afterAll(() => f?.close());

  it('reports drift, a missing device and an orphan under report-only, changes nothing in ChirpStack, and creates the missing device again', async () => {
    const { tenantId, connectionId } = await f.tenantWithConnection();
    const [renamed, disabled, lost, calm] = await syncedDevices(tenantId, 4);
    f.fake.putDevice({ ...held(renamed.devEui), name: 'renamed in ChirpStack', tags: { level: '9' } });
    f.fake.putDevice({ ...held(disabled.devEui), isDisabled: true });
    f.fake.removeDevice(lost.devEui);
    const orphan = stranger();
    f.fake.putDevice(orphan);

    const [run] = (await reconciliation.reconcile(owner(tenantId), connectionId)).runs;

    expect(run).toMatchObject({ connectionId, trigger: 'request', policy: 'report-only', status: 'completed', error: null, finishedAt: expect.any(String) });
    expect(run.counts).toEqual({ inChirpstack: 4, inRegistry: 4, missing: 1, orphans: 1, drifted: 2, fixed: 0, inspected: 3, gateways: { inChirpstack: 0, inRegistry: 0, missing: 0, unknown: 0, drifted: 0, fixed: 0 } });
    expect(run.findings).toEqual(
      expect.arrayContaining([
        { devEui: renamed.devEui, kind: 'drift', action: 'reported', fields: [{ field: 'name', platform: renamed.name, chirpstack: 'renamed in ChirpStack' }, { field: 'tags', platform: renamed.tags, chirpstack: { level: '9' } }] },
        { devEui: disabled.devEui, kind: 'drift', action: 'reported', fields: [{ field: 'disabled', platform: false, chirpstack: true }] },
        { devEui: lost.devEui, kind: 'missing', action: 'recreated' },
        { devEui: orphan.devEui, kind: 'orphan', action: 'reported' },
      ]),
    );
    expect(run.findings.map((finding) => finding.devEui)).not.toContain(calm.devEui);
    expect(held(renamed.devEui).name).toBe('renamed in ChirpStack');
    expect(held(disabled.devEui).isDisabled).toBe(true);

    await f.worker.drain();
    expect(held(lost.devEui)).toMatchObject({ name: lost.name, variables: { platformDeviceId: lost.deviceId } });

    expect(await eventsOf(tenantId, ChirpstackEvents.DEVICE_ORPHAN_FOUND_V1)).toEqual([
      { data: expect.objectContaining({ suggestedTenantId: tenantId, connectionId, devEui: orphan.devEui, name: 'spare sensor', applicationId: f.applicationId }) },
    ]);
    expect(await eventsOf(tenantId, ChirpstackEvents.RECONCILIATION_COMPLETED_V1)).toEqual([{ data: expect.objectContaining({ runId: run.id, outcome: 'completed', counts: run.counts }) }]);

    // The next run reports the orphan again, but publishes it once.
    const [again] = (await reconciliation.reconcile(owner(tenantId), connectionId)).runs;
    expect(again.counts).toMatchObject({ missing: 0, orphans: 1, drifted: 2 });
    expect(await eventsOf(tenantId, ChirpstackEvents.DEVICE_ORPHAN_FOUND_V1)).toHaveLength(1);
    expect(await reconciliation.get(owner(tenantId), run.id)).toEqual(run);
    const page = await reconciliation.list(owner(tenantId), { connectionId }, 1);
    expect(page.items.map((r) => r.id)).toEqual([again.id]);
    expect((await reconciliation.list(owner(tenantId), { connectionId, cursor: page.nextCursor ?? undefined }, 10)).items.map((r) => r.id)).toEqual([run.id]);
  });

  it('sets drift back to the registry under platform-wins', async () => {
    const { tenantId, connectionId } = await f.tenantWithConnection({ driftPolicy: 'platform-wins' });
    const [renamed, disabled] = await syncedDevices(tenantId, 2);
    f.fake.putDevice({ ...held(renamed.devEui), name: 'renamed in ChirpStack', deviceProfileId: randomUUID(), variables: { platformDeviceId: renamed.deviceId, site: 'north' } });
    f.fake.putDevice({ ...held(disabled.devEui), isDisabled: true });

    const [run] = (await reconciliation.reconcile(owner(tenantId), connectionId)).runs;
    expect(run.counts).toMatchObject({ drifted: 2, fixed: 2 });
    expect(run.findings.filter((finding) => finding.kind === 'drift').map((finding) => finding.action)).toEqual(['fixed', 'fixed']);
    expect(held(renamed.devEui)).toMatchObject({ name: renamed.name, deviceProfileId: f.profileId, variables: { platformDeviceId: renamed.deviceId, site: 'north' } });
    expect(held(disabled.devEui).isDisabled).toBe(false);

    const [after] = (await reconciliation.reconcile(owner(tenantId), connectionId)).runs;
    expect(after.counts).toMatchObject({ drifted: 0, fixed: 0 });
  });

  it("sends ChirpStack's values to the registry under chirpstack-wins, and only reports what the registry has no field for", async () => {
    const { tenantId, connectionId } = await f.tenantWithConnection({ driftPolicy: 'chirpstack-wins' });
    const [renamed, disabled] = await syncedDevices(tenantId, 2);
    const profile = randomUUID();
    f.fake.putDevice({ ...held(renamed.devEui), name: 'Bay 12 (north)', description: '', deviceProfileId: profile });
    f.fake.putDevice({ ...held(disabled.devEui), isDisabled: true });

    const [run] = (await reconciliation.reconcile(owner(tenantId), connectionId)).runs;
    expect(run.counts).toMatchObject({ drifted: 2, fixed: 1 });
    expect(run.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ devEui: renamed.devEui, action: 'adopted' }),
        expect.objectContaining({ devEui: disabled.devEui, action: 'reported', fields: [{ field: 'disabled', platform: false, chirpstack: true }] }),
      ]),
    );
    expect(await eventsOf(tenantId, ChirpstackEvents.DEVICE_DRIFT_ADOPTED_V1)).toEqual([
      {
        data: {
          tenantId,
          deviceId: renamed.deviceId,
          devEui: renamed.devEui,
          connectionId,
          runId: run.id,
          deviceVersion: 1,
          changes: { name: 'Bay 12 (north)', description: null, chirpstackProfileId: profile },
        },
      },
    ]);
    // ChirpStack keeps its values.
    expect(held(renamed.devEui)).toMatchObject({ name: 'Bay 12 (north)', deviceProfileId: profile });
    expect(held(disabled.devEui).isDisabled).toBe(true);
  });

  it("compares the LoRa gateways of the connection's ChirpStack tenant too: a lost one is created again, an unknown one reported, drift handled by the policy", async () => {
    const gatewaysOf = async (policy: 'report-only' | 'platform-wins' | 'chirpstack-wins') => {
      const { tenantId, connectionId } = await f.tenantWithConnection({ driftPolicy: policy });
      const siteId = randomUUID();
      const site = createEnvelope(OccupancyEvents.SiteUpsertedV1, { tenantId, aggregateId: siteId, source: '/parking/occupancy', data: { tenantId, siteId, name: 'Garage', timeZone: 'UTC', openingHours: null, version: 1 } });
      await f.db.withTenant(tenantId, (tx) => new SiteEventsConsumer().handle(site, tx as never));
      const [renamed, lost] = [randomBytes(8).toString('hex'), randomBytes(8).toString('hex')];
      for (const gatewayId of [renamed, lost]) await gateways.create(owner(tenantId), { gatewayId, siteId, name: 'Level 2' });
      const chirpstackTenantId = (await f.connections.get(owner(tenantId), connectionId)).chirpstackTenantId;
      f.fake.putGateway({ ...(f.fake.gateway(renamed) as NonNullable<ReturnType<typeof f.fake.gateway>>), name: 'Renamed in ChirpStack' });
      f.fake.removeGateway(lost);
      const stray = randomBytes(8).toString('hex');
      f.fake.putGateway({ gatewayId: stray, name: 'stray', description: '', tenantId: chirpstackTenantId, tags: {}, metadata: {}, statsInterval: 30 });
      const [run] = (await reconciliation.reconcile(owner(tenantId), connectionId)).runs;
      return { tenantId, run, renamed, lost, stray };
    };

    const reported = await gatewaysOf('report-only');
    expect(reported.run.counts.gateways).toEqual({ inChirpstack: 2, inRegistry: 2, missing: 1, unknown: 1, drifted: 1, fixed: 0 });
    expect(reported.run.findings).toEqual(
      expect.arrayContaining([
        { gatewayId: reported.renamed, kind: 'drift', action: 'reported', fields: [{ field: 'name', platform: 'Level 2', chirpstack: 'Renamed in ChirpStack' }] },
        { gatewayId: reported.lost, kind: 'missing', action: 'recreated' },
        { gatewayId: reported.stray, kind: 'orphan', action: 'reported' },
      ]),
    );
    expect(f.fake.gateway(reported.lost)).toMatchObject({ name: 'Level 2' });
    expect(f.fake.gateway(reported.renamed)).toMatchObject({ name: 'Renamed in ChirpStack' });

    const fixed = await gatewaysOf('platform-wins');
    expect(fixed.run.counts.gateways).toMatchObject({ drifted: 1, fixed: 1 });
    expect(f.fake.gateway(fixed.renamed)).toMatchObject({ name: 'Level 2' });

    const adopted = await gatewaysOf('chirpstack-wins');
    expect(adopted.run.counts.gateways).toMatchObject({ drifted: 1, fixed: 1 });
    expect(await gateways.get(owner(adopted.tenantId), adopted.renamed)).toMatchObject({ name: 'Renamed in ChirpStack', version: 2, sync: { status: 'synced' } });
  });

  it('keeps a failed run with the reason when ChirpStack cannot be reached, and publishes it', async () => {
    const { tenantId, connectionId } = await f.tenantWithConnection();
    f.fake.outage(true);
    const [run] = (await reconciliation.reconcile(owner(tenantId), connectionId)).runs;
    expect(run).toMatchObject({ status: 'failed', error: expect.stringContaining('UNAVAILABLE') });
    expect(await eventsOf(tenantId, ChirpstackEvents.RECONCILIATION_COMPLETED_V1)).toEqual([{ data: expect.objectContaining({ outcome: 'failed', error: expect.any(String) }) }]);
  });

  it('runs one reconciliation of a connection at a time', async () => {
    const { tenantId, connectionId } = await f.tenantWithConnection();
    // Slow enough that the first run is still going when the second asks.
    f.fake.slow('DeviceService.List', 1_500);
    const first = reconciliation.reconcile(owner(tenantId), connectionId);
    await expectEventually(async () => expect((await reconciliation.list(owner(tenantId), { connectionId }, 1)).items).toEqual([expect.objectContaining({ status: 'running' })]));
    const [outcome] = await Promise.allSettled([reconciliation.reconcile(owner(tenantId), connectionId), first]);
    expect(outcome).toMatchObject({ status: 'rejected', reason: { code: 'CONFLICT' } });
    expect((await first).runs[0].status).toBe('completed');
  });

  it("never reconciles or shows another tenant's connection or runs", async () => {
    const a = await f.tenantWithConnection();
    const [run] = (await reconciliation.reconcile(owner(a.tenantId), a.connectionId)).runs;
    const other = owner(randomUUID());
    await expect(reconciliation.reconcile(other, a.connectionId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(reconciliation.get(other, run.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await reconciliation.list(other, {}, 10)).items).toEqual([]);
    expect((await reconciliation.reconcile(other)).runs).toEqual([]);
  });

  it('lets one replica at a time run the scheduled pass (a lease)', async () => {
    const jobs = [new ReconciliationJobs(f.db, reconciler, OPTIONS), new ReconciliationJobs(f.db, reconciler, OPTIONS)];
    const passes = await Promise.all(jobs.map((job) => job.tick()));
    expect(passes.filter((pass) => pass === null)).toHaveLength(1);
    expect(passes.find((pass) => pass !== null)).toBeGreaterThanOrEqual(1);
  });
});
