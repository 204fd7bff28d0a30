/**
 * Claiming a devEUI, through the real pipeline and registry (PostgreSQL with RLS, JetStream):
 * a devEUI another tenant's integration has already sent cannot be registered without a
 * platform admin's approval (the orphan assignment), and an admin can move a squatted devEUI
 * to the tenant whose integration hears it.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { IngestEvents, Principal, ROLE_PERMISSIONS } from '@parking/contracts';
import { DomainError } from '@parking/problem-details';
import { expectEventually } from '@parking/testing';
import { DeviceFields } from '../devices/device-fields';
import { DeviceImportUseCase } from '../devices/device-import.use-case';
import { DevicesUseCases } from '../devices/devices.use-cases';
import { PipelineHarness } from '../pipeline/test/pipeline-harness';
import { OrphanAdmin } from './orphan-admin';
import { RawWebhookRepublisher } from './raw-webhook-republisher';

const newEui = () => randomBytes(8).toString('hex');
const admin: Principal = { kind: 'user', tenantId: randomUUID(), actor: `user:${randomUUID()}`, userId: randomUUID(), permissions: [], isPlatformAdmin: true };

function owner(tenantId = randomUUID()): Principal {
  const userId = randomUUID();
  return { kind: 'user', tenantId, actor: `user:${userId}`, userId, role: 'owner', permissions: [...ROLE_PERMISSIONS.owner], isPlatformAdmin: false };
}

function sensor(devEui: string): DeviceFields {
  return { devEui, kind: 'sensor', codec: 'nwave-nps405', name: 'Bay', chirpstackApplicationId: null, chirpstackProfileId: null, heartbeatSeconds: null, tags: {}, description: null, joinEui: null };
}

function up(devEui: string, fCnt: number) {
  return { deduplicationId: randomUUID(), time: new Date().toISOString(), deviceInfo: { devEui }, devAddr: '00189440', fCnt, fPort: 1, data: 'lQ==', rxInfo: [] };
}

async function failure(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError, got success');
}

describe('claiming a devEUI that another tenant’s integration has sent', () => {
  let h: PipelineHarness;
  let devices: DevicesUseCases;
  let importer: DeviceImportUseCase;
  let orphans: OrphanAdmin;

  beforeAll(async () => {
    h = await PipelineHarness.start();
    await h.startConsumer();
    devices = new DevicesUseCases(h.db, h.outbox);
    importer = new DeviceImportUseCase(h.db, h.outbox);
    orphans = new OrphanAdmin(h.db, h.outbox, new RawWebhookRepublisher(h.js, h.namespace));
  });
  afterAll(() => h?.close());

  /** Publishes an uplink as `tenantId`'s integration (platform-signed without) and waits until it is an orphan. */
  async function heard(devEui: string, tenantId: string | undefined, fCnt = 1): Promise<void> {
    await h.publish('up', up(devEui, fCnt), tenantId ? { tenantId } : {});
    await expectEventually(async () => {
      const { rows } = await h.admin.query(`SELECT 1 FROM ingest.orphan_events WHERE dev_eui = $1 AND source_tenant_id IS NOT DISTINCT FROM $2::uuid`, [devEui, tenantId ?? null]);
      expect(rows.length).toBeGreaterThan(0);
    });
  }

  it('refuses to register it with DEVICE_CLAIM_REQUIRED, in a registration or an import, and registers nothing', async () => {
    const [claimant, hearer] = [owner(), owner()];
    const devEui = newEui();
    await heard(devEui, hearer.tenantId);

    const refused = await failure(devices.register(claimant, sensor(devEui)));
    expect(refused).toMatchObject({ code: 'DEVICE_CLAIM_REQUIRED', status: 409, extras: { devEui } });
    expect(refused.detail).toContain('platform admin');
    expect(refused.detail).not.toContain(hearer.tenantId);

    const imported = await failure(importer.execute(claimant, { format: 'json', devices: [{ devEui: newEui(), kind: 'sensor', codec: 'nwave-nps405', name: 'a' }, { devEui, kind: 'sensor', codec: 'nwave-nps405', name: 'b' }] }));
    expect(imported.code).toBe('IMPORT_REJECTED');
    expect(await h.admin.query(`SELECT 1 FROM ingest.devices WHERE tenant_id = $1`, [claimant.tenantId])).toMatchObject({ rowCount: 0 });
  });

  it('lets the tenant whose integration sent it register it, and a devEUI only the platform secret sent is free to anyone', async () => {
    const [tenant, other] = [owner(), owner()];
    const [own, platform] = [newEui(), newEui()];
    await heard(own, tenant.tenantId);
    await heard(platform, undefined);
    expect(await devices.register(tenant, sensor(own))).toMatchObject({ devEui: own });
    expect(await devices.register(other, sensor(platform))).toMatchObject({ devEui: platform });
    // Registered, they are no orphans of those sources any more (and count against no cap).
    expect((await h.admin.query(`SELECT 1 FROM ingest.orphan_sources WHERE dev_eui = ANY ($1::text[])`, [[own, platform]])).rowCount).toBe(0);
    // Its own integration's next uplink reaches the device.
    await h.publish('up', up(own, 2), { tenantId: tenant.tenantId });
    await expectEventually(async () => expect((await h.uplinks(own)).map((u) => [u.tenant_id, u.f_cnt])).toEqual([[tenant.tenantId, 2]]));
  });

  it("registers it once a platform admin assigns it to the claimant (audited); the other tenant's events stay out", async () => {
    const [claimant, hearer] = [owner(), owner()];
    const devEui = newEui();
    await heard(devEui, hearer.tenantId, 1);
    await heard(devEui, undefined, 2);
    expect(await failure(devices.register(claimant, sensor(devEui)))).toMatchObject({ code: 'DEVICE_CLAIM_REQUIRED' });

    const assigned = await orphans.assign(admin, 'claim ticket 4711: invoice checked', { devEui, tenantId: claimant.tenantId, codec: 'nwave-nps405', name: 'Bay 9', kind: 'sensor' });
    expect(assigned).toMatchObject({ devEui, tenantId: claimant.tenantId, replayed: 1, discarded: 1 });
    expect(await devices.get(claimant, devEui)).toMatchObject({ devEui, name: 'Bay 9' });
    await expectEventually(async () => expect((await h.uplinks(devEui)).map((u) => [u.tenant_id, u.f_cnt])).toEqual([[claimant.tenantId, 2]]));
    const { rows } = await h.admin.query(`SELECT actor FROM ingest.platform_audit WHERE reason LIKE 'claim ticket 4711%'`);
    expect(rows.length).toBeGreaterThan(0);
  });

  it('moves a squatted devEUI to the tenant whose integration sends it, only when the admin asks for the transfer', async () => {
    const [squatter, rightful] = [owner(), owner()];
    const devEui = newEui();
    const squatted = await devices.register(squatter, sensor(devEui));
    await heard(devEui, rightful.tenantId, 5);
    expect(await failure(devices.register(rightful, sensor(devEui)))).toMatchObject({ code: 'DEVICE_EXISTS' });

    const input = { devEui, tenantId: rightful.tenantId, codec: 'nwave-nps405', name: 'Bay 3', kind: 'sensor' as const };
    expect(await failure(orphans.assign(admin, 'claim ticket 4712', input))).toMatchObject({ code: 'DEVICE_EXISTS' });
    const moved = await orphans.assign(admin, 'claim ticket 4712: label photo and invoice', { ...input, transfer: true });
    expect(moved).toMatchObject({ devEui, tenantId: rightful.tenantId, replayed: 1, discarded: 0 });

    expect(await failure(devices.get(squatter, devEui))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await devices.get(rightful, devEui)).toMatchObject({ devEui, name: 'Bay 3' });
    expect((await h.events(IngestEvents.DEVICE_REMOVED_V1, squatted.id)).map((e) => e.tenantid)).toEqual([squatter.tenantId]);
    await expectEventually(async () => expect((await h.uplinks(devEui)).map((u) => [u.tenant_id, u.f_cnt])).toEqual([[rightful.tenantId, 5]]));
  });
});
