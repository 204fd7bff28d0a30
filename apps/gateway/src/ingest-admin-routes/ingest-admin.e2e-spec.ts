/**
 * The uplink pipeline's administration through the compiled gateway and ingest processes: an
 * orphan recorded from a raw webhook is listed and assigned over REST, and only platform
 * admins get there. `npm run build` first.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Namespace, rawWebhookHeaders, rawWebhookSubject } from '@parking/contracts';
import { expectEventually, removeNamespaceStreams, uniqueNamespace } from '@parking/testing';
import { headers as natsHeaders } from '@nats-io/nats-core';
import { startApiStack, type ApiStack, type SignedIn } from '../../test/api-stack';

const NATS_URL = process.env.NATS_URL || 'nats://127.0.0.1:4222';

describe('platform administration of the uplink pipeline (REST)', () => {
  const ns = uniqueNamespace();
  let api: ApiStack;
  let owner: SignedIn;

  beforeAll(async () => {
    api = await startApiStack({ prefix: 'ingest-admin', services: ['identity', 'gateway', 'ingest'], env: { NATS_NAMESPACE: ns } });
    owner = await api.register('orphan-owner');
    await api.upgrade(owner.tenantId);
  }, 120_000);
  afterAll(async () => {
    await api?.stop();
    await removeNamespaceStreams(ns, NATS_URL);
  });

  async function publishUplink(tenantId: string, devEui: string): Promise<void> {
    const nc = await connect({ servers: NATS_URL.split(','), name: 'ingest-admin-e2e' });
    try {
      const body = Buffer.from(JSON.stringify({ deduplicationId: randomUUID(), deviceInfo: { devEui }, devAddr: '00189440', fCnt: 12, fPort: 1, data: 'lQ==' }));
      const meta = { msgId: `up:${randomUUID()}`, contentType: 'application/json', event: 'up', auth: 'bearer' as const, receivedAt: new Date().toISOString(), tenantId };
      const h = natsHeaders();
      for (const [k, v] of Object.entries(rawWebhookHeaders(meta))) h.set(k, v);
      await jetstream(nc).publish(new Namespace(ns).subject(rawWebhookSubject('up', tenantId)), body, { msgID: meta.msgId, headers: h });
    } finally {
      await nc.close();
    }
  }

  it('lists an orphan and assigns it to a tenant, whose device then has the uplink; tenant users are refused', async () => {
    const devEui = randomBytes(8).toString('hex');
    await publishUplink(owner.tenantId, devEui);
    const admin = { accessToken: api.admin.accessToken };

    const listed = await expectEventually(async () => {
      const answer = await api.call('GET', '/api/v1/admin/orphans?reason=weekly%20review&limit=200', admin);
      expect(answer.status).toBe(200);
      const orphan = answer.body.items.find((o: { devEui: string }) => o.devEui === devEui);
      expect(orphan).toMatchObject({ count: 1, lastEvent: 'up', lastSourceTenantId: owner.tenantId, keptEvents: 1 });
      return orphan;
    });
    expect(listed.lastPayload).toMatchObject({ devEui, fCnt: 12 });

    const refused = await api.call('GET', '/api/v1/admin/orphans?reason=curious', { accessToken: owner.accessToken });
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
    const noReason = await api.call('GET', '/api/v1/admin/orphans', admin);
    expect({ status: noReason.status, code: noReason.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });

    const body = { reason: 'ticket 812', tenantId: owner.tenantId, codec: 'nwave-nps405', name: 'Deck 2, bay 14' };
    const badCodec = await api.call('POST', `/api/v1/admin/orphans/${devEui}/assign`, { ...admin, body: { ...body, codec: 'no-such-codec' } });
    expect({ status: badCodec.status, code: badCodec.body.code, fields: badCodec.body.errors?.map((e: { field: string }) => e.field) }).toEqual({ status: 400, code: 'VALIDATION_FAILED', fields: ['codec'] });
    const assigned = await api.call('POST', `/api/v1/admin/orphans/${devEui}/assign`, { ...admin, body });
    expect(assigned.status).toBe(200);
    expect(assigned.body).toMatchObject({ devEui, tenantId: owner.tenantId, replayed: 1, discarded: 0 });

    await expectEventually(async () => {
      const [row] = await api.sql<{ uplink_count: number; tenant_id: string }>(`SELECT uplink_count::int AS uplink_count, tenant_id::text FROM ingest.devices WHERE dev_eui = $1`, [devEui]);
      expect(row).toEqual({ uplink_count: 1, tenant_id: owner.tenantId });
    });
    const again = await api.call('POST', `/api/v1/admin/orphans/${devEui}/assign`, { ...admin, body });
    expect({ status: again.status, code: again.body.code }).toEqual({ status: 404, code: 'NOT_FOUND' });
  });

  it("answers 409 DEVICE_CLAIM_REQUIRED for a devEUI another tenant's integration sent, until a platform admin assigns it; moves a squatted one on request", async () => {
    const [claimant, squatter] = [await api.register('orphan-claimant'), await api.register('orphan-squatter')];
    const admin = { accessToken: api.admin.accessToken };
    const sensor = (devEui: string) => ({ devEui, kind: 'sensor', codec: 'nwave-nps405', name: 'Bay 1' });
    const heard = async (devEui: string) => {
      await publishUplink(owner.tenantId, devEui);
      await expectEventually(async () => expect(await api.sql('SELECT 1 FROM ingest.orphan_events WHERE dev_eui = $1', [devEui])).toHaveLength(1));
    };

    const claimed = randomBytes(8).toString('hex');
    await heard(claimed);
    const refused = await api.call('POST', '/api/v1/devices', { accessToken: claimant.accessToken, body: sensor(claimed) });
    expect({ status: refused.status, code: refused.body.code, type: refused.headers.get('content-type') }).toEqual({
      status: 409,
      code: 'DEVICE_CLAIM_REQUIRED',
      type: expect.stringMatching(/^application\/problem\+json/),
    });
    expect(refused.body.detail).toContain('platform admin');
    expect(JSON.stringify(refused.body)).not.toContain(owner.tenantId);
    const approved = await api.call('POST', `/api/v1/admin/orphans/${claimed}/assign`, { ...admin, body: { reason: 'claim ticket 5001', tenantId: claimant.tenantId, codec: 'nwave-nps405', name: 'Bay 1' } });
    expect({ status: approved.status, body: approved.body }).toMatchObject({ status: 200, body: { tenantId: claimant.tenantId, replayed: 0, discarded: 1 } });
    expect((await api.call('GET', `/api/v1/devices/${claimed}`, { accessToken: claimant.accessToken })).status).toBe(200);

    const squatted = randomBytes(8).toString('hex');
    expect((await api.call('POST', '/api/v1/devices', { accessToken: squatter.accessToken, body: sensor(squatted) })).status).toBe(201);
    await heard(squatted);
    const body = { reason: 'claim ticket 5002', tenantId: owner.tenantId, codec: 'nwave-nps405', name: 'Bay 2' };
    const exists = await api.call('POST', `/api/v1/admin/orphans/${squatted}/assign`, { ...admin, body });
    expect({ status: exists.status, code: exists.body.code }).toEqual({ status: 409, code: 'DEVICE_EXISTS' });
    const moved = await api.call('POST', `/api/v1/admin/orphans/${squatted}/assign`, { ...admin, body: { ...body, transfer: true } });
    expect({ status: moved.status, body: moved.body }).toMatchObject({ status: 200, body: { tenantId: owner.tenantId, replayed: 1 } });
    expect((await api.call('GET', `/api/v1/devices/${squatted}`, { accessToken: squatter.accessToken })).status).toBe(404);
    await expectEventually(async () => {
      expect(await api.sql(`SELECT tenant_id::text, uplink_count::int AS n FROM ingest.devices WHERE dev_eui = $1`, [squatted])).toEqual([{ tenant_id: owner.tenantId, n: 1 }]);
    });
  });

  it('lists the dead letters and refuses to replay one that does not exist', async () => {
    const admin = { accessToken: api.admin.accessToken };
    const list = await api.call('GET', '/api/v1/admin/dead-letters?reason=daily%20check', admin);
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ items: expect.any(Array), nextCursor: null });
    const missing = await api.call('POST', '/api/v1/admin/dead-letters/999999/replay', { ...admin, body: { reason: 'ticket 990' } });
    expect({ status: missing.status, code: missing.body.code }).toEqual({ status: 404, code: 'NOT_FOUND' });
  });
  it('carries a ChirpStack webhook accepted by the gateway through the pipeline to the tenant device', async () => {
    const devEui = randomBytes(8).toString('hex');
    const auth = { accessToken: owner.accessToken };
    expect((await api.call('POST', '/api/v1/devices', { ...auth, body: { devEui, kind: 'sensor', codec: 'nwave-nps405', name: 'Bay 7' } })).status).toBe(201);
    const created = await api.call('POST', '/api/v1/webhook-integrations', { ...auth, body: { name: 'chirpstack eu1' } });
    expect(created.status).toBe(201);
    const body = JSON.stringify({ deduplicationId: randomUUID(), time: '2026-03-01T09:34:15.775Z', deviceInfo: { devEui }, devAddr: '00189440', fCnt: 33, fPort: 1, data: 'lQ==', rxInfo: [{ gatewayId: '0016c001f153a14c', rssi: -71, snr: 8.5 }] });
    const post = () =>
      fetch(`${api.baseUrl}/api/v1/webhooks/chirpstack?event=up`, { method: 'POST', headers: { authorization: `Bearer ${created.body.token}`, 'content-type': 'application/json' }, body });
    // The gateway learns the new integration from identity's event.
    await expectEventually(async () => expect((await post()).status).toBe(200), { timeoutMs: 20_000, intervalMs: 200 });
    await expectEventually(async () => {
      const rows = await api.sql<{ tenant_id: string; f_cnt: number; occupied: boolean }>(`SELECT tenant_id::text, f_cnt::int AS f_cnt, occupied FROM ingest.uplinks WHERE dev_eui = $1`, [devEui]);
      expect(rows).toEqual([{ tenant_id: owner.tenantId, f_cnt: 33, occupied: true }]);
    });
    const device = await api.call('GET', `/api/v1/devices/${devEui}`, auth);
    expect(device.body).toMatchObject({ devEui });
    const [health] = await api.sql<{ uplink_count: number; rssi: number; last_f_cnt: number }>(`SELECT uplink_count::int AS uplink_count, rssi, last_f_cnt::int AS last_f_cnt FROM ingest.devices WHERE dev_eui = $1`, [devEui]);
    expect(health).toEqual({ uplink_count: 1, rssi: -71, last_f_cnt: 33 });
  });
});
