// The signage API's use cases on real PostgreSQL as the downlink service's runtime role: binding
// displays, overrides (one display, a zone with its nested zones, a site), policies, refresh,
// the command history and the statistics. Inventory arrives through the consumers, as in production.
import { eu868Modulation, timeOnAirMs } from '@parking/downlink/signage';
import { COLOURS, createEnvelope, IngestEvents, OccupancyEvents, PERMISSIONS, type EventEnvelope, type Principal, type SpaceState } from '@parking/contracts';
import { batchOf } from '@parking/testing';
import { DomainError } from '@parking/problem-details';
import { randomBytes, randomUUID } from 'node:crypto';
import { DisplaysUseCase } from '../src/displays/displays.use-case';
import { OverridesUseCase } from '../src/displays/overrides.use-case';
import { PoliciesUseCase } from '../src/displays/policies.use-case';
import { SignageSettingsUseCase } from '../src/displays/signage-settings.use-case';
import { SignageStatsUseCase } from '../src/displays/signage-stats.use-case';
import { DeviceEventsConsumer } from '../src/inventory/device-events.consumer';
import { PlaceEventsConsumer } from '../src/inventory/place-events.consumer';
import { SpaceEventsConsumer } from '../src/inventory/space-events.consumer';
import { CommandQueue } from '../src/queue/command-queue';
import type { SenderOptions } from '../src/queue/command-sender';
import { PeriodicRefresh } from '../src/queue/periodic-refresh';
import { SignPlanner } from '../src/queue/sign-planner';
import { downlinkFixture, type DownlinkFixture } from './downlink-fixture';

const SENDER = { headroom: 0.2 } as SenderOptions;
const HOUR = 3_600_000;

describe('the signage API', () => {
  let f: DownlinkFixture;
  let planner: SignPlanner;
  let displays: DisplaysUseCase;
  let overrides: OverridesUseCase;
  let policies: PoliciesUseCase;
  let stats: SignageStatsUseCase;
  let settings: SignageSettingsUseCase;
  let places: PlaceEventsConsumer;
  let spaceEvents: SpaceEventsConsumer;
  let devices: DeviceEventsConsumer;

  beforeAll(async () => {
    f = await downlinkFixture();
    planner = new SignPlanner(new CommandQueue(f.outbox, { rx2DataRate: 0 }));
    displays = new DisplaysUseCase(f.db, planner);
    overrides = new OverridesUseCase(f.db, planner);
    policies = new PoliciesUseCase(f.db, planner);
    stats = new SignageStatsUseCase(f.db, SENDER);
    settings = new SignageSettingsUseCase(f.db, { rx2DataRate: 0 });
    places = new PlaceEventsConsumer();
    spaceEvents = new SpaceEventsConsumer(planner, f.db, undefined as never, undefined as never, undefined as never);
    devices = new DeviceEventsConsumer(f.db, undefined as never, undefined as never, undefined as never);
  });
  afterAll(() => f.close());

  const principalOf = (tenantId: string): Principal => ({ kind: 'user', tenantId, actor: `user:${randomUUID()}`, permissions: [...PERMISSIONS], isPlatformAdmin: false });
  const envelopeOf = (definition: Parameters<typeof createEnvelope>[0], tenantId: string, data: object) => createEnvelope(definition, { tenantId, aggregateId: randomUUID(), source: '/parking/test', data });
  const deliver = (consumer: { handle(envelope: never, tx: never): Promise<void> }, definition: Parameters<typeof createEnvelope>[0], tenantId: string, data: object) =>
    f.db.withTenant(tenantId, (tx) => consumer.handle(envelopeOf(definition, tenantId, data) as never, tx as never));
  /** The space and device events go a batch at a time; here a batch of one. */
  const deliverBatch = async (consumer: { handle(batch: ReturnType<typeof batchOf>): Promise<unknown[]> }, definition: Parameters<typeof createEnvelope>[0], tenantId: string, data: object) =>
    expect(await consumer.handle(batchOf([envelopeOf(definition, tenantId, data) as EventEnvelope]))).toEqual([{ kind: 'ack' }]);
  const expectProblem = async (call: Promise<unknown>, code: string, detail: RegExp) => {
    const error = await call.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DomainError);
    expect({ code: (error as DomainError).code, detail: (error as DomainError).detail }).toEqual({ code, detail: expect.stringMatching(detail) });
    return error as DomainError;
  };
  const openFrame = async (displayId: string) =>
    (await f.sql<{ frame: string; priority: number }>(`SELECT encode(frame, 'hex') AS frame, priority FROM downlink.commands WHERE display_id = $1 AND state IN ('pending', 'sent')`, [displayId]))[0];

  /** A tenant with a site, a zone holding a nested zone, a space in each, and devices registered as displays and as a sensor. */
  async function tenant() {
    const tenantId = randomUUID();
    const principal = principalOf(tenantId);
    const siteId = randomUUID();
    const zoneId = randomUUID();
    const innerZoneId = randomUUID();
    const otherZoneId = randomUUID();
    const spaceId = randomUUID();
    const innerSpaceId = randomUUID();
    await deliver(places, OccupancyEvents.SiteUpsertedV1, tenantId, { tenantId, siteId, name: 'Central', timeZone: 'Europe/Berlin', openingHours: null, version: 1 });
    for (const [id, path] of [
      [zoneId, [zoneId]],
      [innerZoneId, [zoneId, innerZoneId]],
      [otherZoneId, [otherZoneId]],
    ] as const) {
      await deliver(places, OccupancyEvents.ZoneUpsertedV1, tenantId, { tenantId, zoneId: id, siteId, parentZoneId: path.length > 1 ? path[0] : null, path: [...path], name: 'Z', kind: 'zone', version: 1 });
    }
    for (const [id, zone] of [
      [spaceId, zoneId],
      [innerSpaceId, innerZoneId],
    ]) {
      await deliverBatch(spaceEvents, OccupancyEvents.SpaceUpsertedV1, tenantId, { tenantId, spaceId: id, siteId, zoneId: zone, code: 'S', name: null, type: 'standard', priceZone: null, version: 1 });
    }
    const device = async (kind: string, codec: string) => {
      const devEui = randomBytes(8).toString('hex');
      await deliverBatch(devices, IngestEvents.DeviceRegisteredV1, tenantId, { ...IngestEvents.DEVICE_SNAPSHOT_EXAMPLE, tenantId, deviceId: randomUUID(), devEui, kind, codec, name: 'd', version: 1 });
      return devEui;
    };
    const setState = (id: string, to: SpaceState, version: number) =>
      deliverBatch(spaceEvents, OccupancyEvents.SpaceStateChangedV1, tenantId, { tenantId, spaceId: id, siteId, zoneId, from: 'unknown', to, cause: 'sensor', reading: null, changedAt: new Date().toISOString(), version });
    return { tenantId, principal, siteId, zoneId, innerZoneId, otherZoneId, spaceId, innerSpaceId, device, setState };
  }

  it('fills sites and zones from occupancy, each change over an older version only, removals as tombstones', async () => {
    const t = await tenant();
    await deliver(places, OccupancyEvents.SiteUpsertedV1, t.tenantId, { tenantId: t.tenantId, siteId: t.siteId, name: 'Renamed', timeZone: 'UTC', openingHours: null, version: 3 });
    await deliver(places, OccupancyEvents.SiteUpsertedV1, t.tenantId, { tenantId: t.tenantId, siteId: t.siteId, name: 'Stale', timeZone: 'UTC', openingHours: null, version: 2 });
    await deliver(places, OccupancyEvents.ZoneRemovedV1, t.tenantId, { tenantId: t.tenantId, zoneId: t.otherZoneId, siteId: t.siteId, removedAt: new Date().toISOString() });
    expect(await f.sql(`SELECT name, version, removed FROM downlink.sites WHERE id = $1`, [t.siteId])).toEqual([{ name: 'Renamed', version: 3, removed: false }]);
    expect(await f.sql(`SELECT path, removed FROM downlink.zones WHERE id = ANY($1::uuid[]) ORDER BY array_length(path, 1), removed`, [[t.innerZoneId, t.otherZoneId]])).toEqual([
      { path: [t.otherZoneId], removed: true },
      { path: [t.zoneId, t.innerZoneId], removed: false },
    ]);
  });

  it('binds a display device to a space and queues its first frame; refuses what it cannot bind, saying why', async () => {
    const t = await tenant();
    const light = await t.device('display', 'kuando-busylight');
    const sensor = await t.device('sensor', 'nwave-nps405');
    await t.setState(t.spaceId, 'occupied', 1);

    const view = await displays.bind(t.principal, { devEui: light, name: 'Bay 1', target: 'space', targetId: t.spaceId });
    expect(view).toMatchObject({ devEui: light, codec: 'kuando-busylight', target: 'space', targetId: t.spaceId, siteId: t.siteId, arrow: 'none', override: null, shows: null, version: 1 });
    expect(await openFrame(view.id)).toEqual({ frame: 'ff0000ff00', priority: 1 });

    await expectProblem(displays.bind(t.principal, { devEui: light, name: 'again', target: 'space', targetId: t.spaceId }), 'CONFLICT', new RegExp(`bound already, as display ${view.id}`));
    const notDisplay = await expectProblem(displays.bind(t.principal, { devEui: sensor, name: 'x', target: 'space', targetId: t.spaceId }), 'VALIDATION_FAILED', /devEui/);
    expect(notDisplay.errors).toEqual([{ field: 'devEui', message: expect.stringMatching(/registered with kind sensor; register it with kind display/) }]);
    await expectProblem(displays.bind(t.principal, { devEui: randomBytes(8).toString('hex'), name: 'x', target: 'space', targetId: t.spaceId }), 'NOT_FOUND', /Device/);
    await expectProblem(displays.bind(t.principal, { devEui: await t.device('display', 'count-display'), name: 'x', target: 'zone', targetId: randomUUID() }), 'NOT_FOUND', /Zone/);

    // Another tenant sees none of it.
    const other = await tenant();
    await expectProblem(displays.get(other.principal, view.id), 'NOT_FOUND', /Display/);
    await expectProblem(displays.bind(other.principal, { devEui: light, name: 'x', target: 'space', targetId: other.spaceId }), 'NOT_FOUND', /Device/);
    await expectProblem(displays.bind(other.principal, { devEui: await other.device('display', 'kuando-busylight'), name: 'x', target: 'space', targetId: t.spaceId }), 'NOT_FOUND', /Space/);
  });

  it('lists with filters and cursor pages, rebinds under the version read, and unbinds', async () => {
    const t = await tenant();
    const bound = [];
    for (let i = 0; i < 3; i++) bound.push(await displays.bind(t.principal, { devEui: await t.device('display', 'count-display'), name: `Sign ${i}`, target: 'zone', targetId: t.zoneId, arrow: 'left' }));
    const first = await displays.list(t.principal, { targetId: t.zoneId }, 2);
    expect(first.items.map((d) => d.id)).toEqual([bound[0].id, bound[1].id]);
    const second = await displays.list(t.principal, { targetId: t.zoneId, cursor: first.nextCursor ?? undefined }, 2);
    expect(second).toEqual({ items: [expect.objectContaining({ id: bound[2].id })], nextCursor: null });
    expect((await displays.list(t.principal, { faulty: 'true' }, 50)).items).toEqual([]);

    await expectProblem(displays.update(t.principal, bound[0].id, { name: 'x', target: 'site', targetId: t.siteId, version: 7 }), 'CONFLICT', /at version 1, not 7/);
    const moved = await displays.update(t.principal, bound[0].id, { name: 'Site sign', target: 'site', targetId: t.siteId, version: 1 });
    expect(moved).toMatchObject({ name: 'Site sign', target: 'site', targetId: t.siteId, arrow: 'none', version: 2 });

    expect(await displays.unbind(t.principal, bound[1].id)).toMatchObject({ id: bound[1].id, name: 'Sign 1' });
    await expectProblem(displays.get(t.principal, bound[1].id), 'NOT_FOUND', /Display/);
    expect(await f.sql(`SELECT count(*)::int AS n FROM downlink.commands WHERE display_id = $1`, [bound[1].id])).toEqual([{ n: 0 }]);
  });

  it('shows an override first, until it is cleared, and refuses one that is past or too far ahead', async () => {
    const t = await tenant();
    const light = await displays.bind(t.principal, { devEui: await t.device('display', 'kuando-busylight'), name: 'Bay', target: 'space', targetId: t.spaceId });
    const expiresAt = new Date(Date.now() + HOUR).toISOString();
    const set = await overrides.set(t.principal, light.id, { colour: COLOURS.amber, blink: 'fast', expiresAt, reason: 'Cleaning' });
    expect(set.override).toEqual({ wish: { kind: 'light', colour: COLOURS.amber, blink: 'fast' }, reason: 'Cleaning', expiresAt, setBy: t.principal.actor });
    // R, B, G, then fast blink: 0.3 s on and off.
    expect(await openFrame(light.id)).toEqual({ frame: 'ff00a00303', priority: 0 });

    const past = await expectProblem(overrides.set(t.principal, light.id, { colour: COLOURS.red, expiresAt: new Date(Date.now() - 1000).toISOString(), reason: 'x' }), 'VALIDATION_FAILED', /expiresAt/);
    expect(past.errors?.[0].message).toMatch(/must be in the future/);
    await expectProblem(overrides.set(t.principal, light.id, { colour: COLOURS.red, expiresAt: new Date(Date.now() + 40 * 24 * HOUR).toISOString(), reason: 'x' }), 'VALIDATION_FAILED', /expiresAt/);

    const cleared = await overrides.clear(t.principal, light.id);
    expect(cleared.override).toBeNull();
    // Back on the policy (unknown is off), in the command still waiting, which keeps its place in the queue.
    expect(await openFrame(light.id)).toEqual({ frame: '000000ff00', priority: 0 });
  });

  it("overrides every display of a zone with its nested zones, or of a site, and ends them again", async () => {
    const t = await tenant();
    const bind = async (target: 'space' | 'zone' | 'site', targetId: string, codec = 'kuando-busylight') =>
      (await displays.bind(t.principal, { devEui: await t.device('display', codec), name: 'd', target, targetId })).id;
    const outerLight = await bind('space', t.spaceId);
    const innerLight = await bind('space', t.innerSpaceId);
    const innerSign = await bind('zone', t.innerZoneId, 'count-display');
    const otherSign = await bind('zone', t.otherZoneId, 'count-display');
    const siteSign = await bind('site', t.siteId, 'count-display');
    const body = { colour: COLOURS.red, blink: 'slow' as const, count: null, text: 'CLOSED', expiresAt: new Date(Date.now() + HOUR).toISOString(), reason: 'Event' };

    expect(await overrides.setAll(t.principal, 'zone', t.zoneId, body)).toEqual({ displays: 3 });
    const overridden = await f.sql<{ id: string }>(`SELECT id FROM downlink.displays WHERE tenant_id = $1 AND override_wish IS NOT NULL ORDER BY id`, [t.tenantId]);
    expect(overridden.map((d) => d.id)).toEqual([outerLight, innerLight, innerSign].sort());
    // The count sign shows the text with no number: version 1, 0xFFFF, no arrow, red, slow blink, "CLOSED".
    expect(await openFrame(innerSign)).toEqual({ frame: `01ffff00ff000001${Buffer.from('CLOSED').toString('hex')}`, priority: 0 });
    expect((await openFrame(otherSign)).priority).toBe(1);

    expect(await overrides.setAll(t.principal, 'site', t.siteId, body)).toEqual({ displays: 5 });
    expect(await overrides.clearAll(t.principal, 'zone', t.zoneId)).toEqual({ displays: 3 });
    const left = await f.sql<{ id: string }>(`SELECT id FROM downlink.displays WHERE tenant_id = $1 AND override_wish IS NOT NULL ORDER BY id`, [t.tenantId]);
    expect(left.map((d) => d.id)).toEqual([otherSign, siteSign].sort());

    await expectProblem(overrides.setAll(t.principal, 'zone', randomUUID(), body), 'NOT_FOUND', /Zone/);
    const stranger = await tenant();
    await expectProblem(overrides.setAll(stranger.principal, 'site', t.siteId, body), 'NOT_FOUND', /Site/);
  });

  it("maps each state as the tenant's and the site's policies say, and replans their displays when they change", async () => {
    const t = await tenant();
    const ev = randomUUID();
    await deliverBatch(spaceEvents, OccupancyEvents.SpaceUpsertedV1, t.tenantId, { tenantId: t.tenantId, spaceId: ev, siteId: t.siteId, zoneId: t.zoneId, code: 'EV', name: null, type: 'ev', priceZone: null, version: 1 });
    const light = (await displays.bind(t.principal, { devEui: await t.device('display', 'kuando-busylight'), name: 'Bay', target: 'space', targetId: t.spaceId })).id;
    const evLight = (await displays.bind(t.principal, { devEui: await t.device('display', 'kuando-busylight'), name: 'EV', target: 'space', targetId: ev })).id;
    await t.setState(t.spaceId, 'free', 1);
    await deliverBatch(spaceEvents, OccupancyEvents.SpaceStateChangedV1, t.tenantId, { tenantId: t.tenantId, spaceId: ev, siteId: t.siteId, zoneId: t.zoneId, from: 'unknown', to: 'free', cause: 'sensor', reading: null, changedAt: new Date().toISOString(), version: 1 });
    expect((await openFrame(light)).frame).toBe('0000ffff00');

    const white = { colour: COLOURS.white, blink: 'steady' as const };
    const tenantPolicy = await policies.put(t.principal, undefined, { states: { free: white }, types: { ev: { free: { colour: COLOURS.blue, blink: 'slow' } } } });
    expect(tenantPolicy).toMatchObject({ siteId: null, version: 1, rules: { states: { free: white } } });
    expect(tenantPolicy.effective.states).toMatchObject({ free: white, occupied: { colour: COLOURS.red } });
    expect((await openFrame(light)).frame).toBe('ffffffff00');
    expect((await openFrame(evLight)).frame).toBe('00ff000a0a');

    const sitePolicy = await policies.put(t.principal, t.siteId, { states: { free: { colour: COLOURS.green, blink: 'fast' } }, count: { offset: -2, fullAt: 1 } });
    expect(sitePolicy.effective).toMatchObject({ states: { free: { colour: COLOURS.green, blink: 'fast' } }, types: { ev: { free: { colour: COLOURS.blue } } }, count: { offset: -2, fullAt: 1, fullText: 'FULL' } });
    expect((await openFrame(light)).frame).toBe('0000ff0303');
    expect(await policies.get(t.principal, undefined)).toMatchObject({ version: 1, effective: { states: { free: white } } });

    await expectProblem(policies.put(t.principal, t.siteId, { version: 5 }), 'CONFLICT', /at version 1, not 5/);
    await expectProblem(policies.get(t.principal, randomUUID()), 'NOT_FOUND', /Site/);
    const stranger = await tenant();
    await expectProblem(policies.get(stranger.principal, t.siteId), 'NOT_FOUND', /Site/);
  });

  it('refreshes a display even when it is known to show the frame, by hand and once per interval', async () => {
    const t = await tenant();
    const light = (await displays.bind(t.principal, { devEui: await t.device('display', 'kuando-busylight'), name: 'Bay', target: 'space', targetId: t.spaceId })).id;
    const old = new Date(Date.now() - 2 * HOUR);
    // The sign confirmed its frame two hours ago, and nothing is open.
    await f.sql(`UPDATE downlink.commands SET state = 'confirmed', created_at = $2 WHERE display_id = $1`, [light, old]);
    await f.sql(`UPDATE downlink.displays SET shows_port = 15, shows_frame = '\\x000000ff00', shows_at = $2, created_at = $2 WHERE id = $1`, [light, old]);
    await f.db.withTenant(t.tenantId, (tx) => planner.planDisplay(tx, light));
    expect(await openFrame(light)).toBeUndefined();

    const refresh = new PeriodicRefresh(f.db, planner, { intervalMs: HOUR }, SENDER);
    expect(await refresh.pass(new Date(Date.now() + 1000))).toBeGreaterThanOrEqual(1);
    expect(await openFrame(light)).toEqual({ frame: '000000ff00', priority: 2 });
    // Due again only an interval later: the command it just made counts.
    await f.sql(`UPDATE downlink.commands SET state = 'confirmed' WHERE display_id = $1`, [light]);
    const before = await f.sql(`SELECT count(*)::int AS n FROM downlink.commands WHERE display_id = $1`, [light]);
    await refresh.pass(new Date(Date.now() + 2000));
    expect(await f.sql(`SELECT count(*)::int AS n FROM downlink.commands WHERE display_id = $1`, [light])).toEqual(before);

    await displays.refresh(t.principal, light);
    expect(await openFrame(light)).toEqual({ frame: '000000ff00', priority: 2 });
  });

  it('answers the command history newest first with every step, and counts per display and per gateway with the airtime against the budget', async () => {
    const t = await tenant();
    const light = (await displays.bind(t.principal, { devEui: await t.device('display', 'kuando-busylight'), name: 'Bay', target: 'space', targetId: t.spaceId })).id;
    const gateway = randomBytes(8).toString('hex');
    const [first] = await f.sql<{ id: string; airtime_ms: number }>(`SELECT id, airtime_ms FROM downlink.commands WHERE display_id = $1`, [light]);
    await f.sql(`UPDATE downlink.commands SET state = 'confirmed', sends = 2, gateway_id = $2 WHERE id = $1`, [first.id, gateway]);
    await f.sql(`UPDATE downlink.displays SET gateway_id = $2 WHERE id = $1`, [light, gateway]);
    const step = (outcome: string, detail: object) => f.sql(`INSERT INTO downlink.command_events (tenant_id, command_id, outcome, detail) VALUES ($1, $2, $3, $4)`, [t.tenantId, first.id, outcome, detail]);
    await step('sent', { sends: 1, gatewayId: gateway, queueItemId: 'q1' });
    await step('failed', { code: 'DOWNLINK_GATEWAY', gatewayId: gateway });
    await step('sent', { sends: 2, gatewayId: gateway, queueItemId: 'q2' });
    await step('txack', { gatewayId: gateway, queueItemId: 'q2' });
    await step('echo', { frame: '000000ff00' });
    await f.sql(`INSERT INTO downlink.airtime_uses (gateway_id, sub_band, at, airtime_ms) VALUES ($1, 'h1.6 869.4–869.65 MHz', now(), 1318.9), ($1, 'h1.6 869.4–869.65 MHz', now() - interval '2 hours', 999)`, [gateway]);
    await t.setState(t.spaceId, 'occupied', 1);

    const page = await stats.commands(t.principal, light, undefined, 1);
    expect(page.items[0]).toMatchObject({ priority: 'state', frame: 'ff0000ff00', state: 'pending', steps: [expect.objectContaining({ outcome: 'queued' })] });
    const older = await stats.commands(t.principal, light, page.nextCursor ?? undefined, 10);
    expect(older.nextCursor).toBeNull();
    expect(older.items).toHaveLength(1);
    expect(older.items[0]).toMatchObject({ id: first.id, state: 'confirmed', sends: 2, gatewayId: gateway, frame: '000000ff00', fPort: 15 });
    expect(older.items[0].steps.map((s) => s.outcome)).toEqual(['queued', 'sent', 'failed', 'sent', 'txack', 'echo']);

    const airtime = Math.round(first.airtime_ms * 2 * 10) / 10;
    expect(await stats.displayStats(t.principal, light, 24)).toMatchObject({ displayId: light, queued: 2, sent: 2, confirmed: 1, failed: 1, dead: 0, airtimeMs: airtime });
    const gateways = await stats.gatewayStats(t.principal, 24);
    expect(gateways.items).toEqual([
      {
        gatewayId: gateway,
        displays: 1,
        // Commands count under the gateway that carried them.
        queued: 1,
        sent: 2,
        confirmed: 1,
        failed: 1,
        dead: 0,
        airtimeMs: airtime,
        // 10 % of an hour less 20 % headroom.
        airtime: [{ subBand: 'h1.6 869.4–869.65 MHz', dutyCyclePercent: 10, budgetMsPerHour: 288_000, usedMsLastHour: 1318.9 }],
        slowUntil: null,
      },
    ]);
    // Another tenant sees no gateway of it, and not its display.
    const stranger = await tenant();
    expect((await stats.gatewayStats(stranger.principal, 24)).items).toEqual([]);
    await expectProblem(stats.commands(stranger.principal, light, undefined, 10), 'NOT_FOUND', /Display/);
  });

  it("counts each frame's airtime at the tenant's own RX2 data rate once it sets one, and at the platform's otherwise", async () => {
    const t = await tenant();
    const light = (await displays.bind(t.principal, { devEui: await t.device('display', 'kuando-busylight'), name: 'Bay', target: 'space', targetId: t.spaceId })).id;
    const airtime = async () => (await f.sql<{ airtime_ms: number }>(`SELECT airtime_ms FROM downlink.commands WHERE display_id = $1 AND state = 'pending'`, [light]))[0].airtime_ms;
    expect(await settings.get(t.principal)).toEqual({ rx2DataRate: 0, source: 'platform', version: 0 });
    expect(await airtime()).toBeCloseTo(timeOnAirMs(5, eu868Modulation(0)), 2);

    expect(await settings.put(t.principal, { rx2DataRate: 5 })).toEqual({ rx2DataRate: 5, source: 'tenant', version: 1 });
    await t.setState(t.spaceId, 'occupied', 1);
    expect(await airtime()).toBeCloseTo(timeOnAirMs(5, eu868Modulation(5)), 2);
    expect(timeOnAirMs(5, eu868Modulation(5))).toBeLessThan(timeOnAirMs(5, eu868Modulation(0)) / 10);

    await expectProblem(settings.put(t.principal, { rx2DataRate: 3, version: 4 }), 'CONFLICT', /at version 1, not 4/);
    expect(await settings.put(t.principal, { rx2DataRate: null, version: 1 })).toEqual({ rx2DataRate: 0, source: 'platform', version: 2 });
    // Another tenant keeps the platform's.
    const other = await tenant();
    expect(await settings.get(other.principal)).toEqual({ rx2DataRate: 0, source: 'platform', version: 0 });
  });
});
