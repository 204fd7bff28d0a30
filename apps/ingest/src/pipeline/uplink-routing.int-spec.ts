/**
 * Which device an event reaches, through the real pipeline: by the tenant of the integration
 * that sent it, the ChirpStack application it carries and its devEUI. A devEUI alone (printed on
 * the label) is not enough to draw another tenant's or the platform's uplinks.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { expectEventually } from '@parking/testing';
import { PipelineHarness } from './test/pipeline-harness';

const newEui = () => randomBytes(8).toString('hex');
const newApp = () => randomUUID();

/** A v4 uplink; `applicationId` as ChirpStack puts it in deviceInfo. */
function up(devEui: string, fCnt: number, applicationId?: string) {
  return {
    deduplicationId: randomUUID(),
    time: new Date().toISOString(),
    deviceInfo: { devEui, ...(applicationId ? { applicationId } : {}) },
    devAddr: '00189440',
    fCnt,
    fPort: 1,
    data: 'lQ==',
    rxInfo: [],
  };
}

/** A v3 uplink (JSON marshaler "json"): the application is `applicationID`. */
function upV3(devEui: string, fCnt: number, applicationID: string) {
  return { applicationID, applicationName: 'parking', deviceName: 'bay', devEUI: devEui, devAddr: '00189440', fCnt, fPort: 1, data: 'lQ==', rxInfo: [], txInfo: { frequency: 868100000, dr: 5 } };
}

describe('uplink routing by tenant, ChirpStack application and devEUI', () => {
  let h: PipelineHarness;

  beforeAll(async () => {
    h = await PipelineHarness.start();
    await h.startConsumer({ backoff: { initialMs: 50, maxMs: 200 } });
  });
  afterAll(() => h?.close());

  const stored = async (devEui: string) => (await h.uplinks(devEui)).map((u) => [u.tenant_id, u.f_cnt]);
  const orphanSources = async (devEui: string) =>
    (
      await h.admin.query(
        `SELECT (SELECT count::int FROM ingest.orphans WHERE dev_eui = $1) AS count,
                (SELECT array_agg(DISTINCT coalesce(source_tenant_id::text, 'platform') ORDER BY coalesce(source_tenant_id::text, 'platform'))
                   FROM ingest.orphan_events WHERE dev_eui = $1) AS sources`,
        [devEui],
      )
    ).rows[0];

  it('sends a platform-signed uplink to a device that names its application only when the uplink carries that application', async () => {
    const tenant = randomUUID();
    const [app, otherApp] = [newApp(), newApp()];
    const devEui = newEui();
    await h.registerDevice(tenant, devEui, 'nwave-nps405', app);

    await h.publish('up', up(devEui, 1, otherApp));
    await h.publish('up', up(devEui, 2, app));
    await h.publish('up', up(devEui, 3));
    await h.publish('up', upV3(devEui, 4, app));

    await expectEventually(async () => {
      expect(await stored(devEui)).toEqual([
        [tenant, 2],
        [tenant, 4],
      ]);
      // Another application's uplink and one that names none are the platform's orphans.
      expect(await orphanSources(devEui)).toEqual({ count: 2, sources: ['platform'] });
    });
  });

  it("keeps platform-signed uplinks of an application another tenant's devices name from a device that names none", async () => {
    const [owner, squatter] = [randomUUID(), randomUUID()];
    const ownerApp = newApp();
    const [owned, squatted] = [newEui(), newEui()];
    await h.registerDevice(owner, owned, 'nwave-nps405', ownerApp);
    // Registered by someone who read the label, with no application.
    await h.registerDevice(squatter, squatted);

    await h.publish('up', up(squatted, 7, ownerApp));
    // An application no tenant names, or no application at all: the registration decides, as before.
    await h.publish('up', up(squatted, 8, newApp()));
    await h.publish('up', up(squatted, 9));

    await expectEventually(async () => {
      expect(await stored(squatted)).toEqual([
        [squatter, 8],
        [squatter, 9],
      ]);
      expect(await orphanSources(squatted)).toEqual({ count: 1, sources: ['platform'] });
    });
  });

  it("sends a tenant's uplink only to that tenant's device, and only with the application the device names", async () => {
    const [tenant, other] = [randomUUID(), randomUUID()];
    const app = newApp();
    const devEui = newEui();
    await h.registerDevice(tenant, devEui, 'nwave-nps405', app);

    // Another tenant's integration: never this tenant's device, whatever the application.
    await h.publish('up', up(devEui, 1, app), { tenantId: other });
    // The tenant's own integration with another application, or with none: its orphan, once (not retried).
    await h.publish('up', up(devEui, 2, newApp()), { tenantId: tenant });
    await h.publish('up', up(devEui, 3), { tenantId: tenant });
    await h.publish('up', up(devEui, 4, app), { tenantId: tenant });

    await expectEventually(async () => {
      expect(await stored(devEui)).toEqual([[tenant, 4]]);
      expect(await orphanSources(devEui)).toEqual({ count: 3, sources: [other, tenant].sort() });
    });
    expect(await h.deadLetters()).toEqual([]);
  });

  it('still sends uplinks to a device that names no application, from its tenant or signed by the platform', async () => {
    const tenant = randomUUID();
    const devEui = newEui();
    await h.registerDevice(tenant, devEui);
    await h.publish('up', up(devEui, 1, newApp()), { tenantId: tenant });
    await h.publish('up', up(devEui, 2, newApp()));
    await expectEventually(async () =>
      expect(await stored(devEui)).toEqual([
        [tenant, 1],
        [tenant, 2],
      ]),
    );
  });
});
