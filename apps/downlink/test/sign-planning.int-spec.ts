// What each display is told to show, and how the queue keeps only the newest wish: real
// PostgreSQL as the downlink service's runtime role, displays arranged directly.
import { COLOURS, createEnvelope, DownlinkEvents, OccupancyEvents, type EventEnvelope, PERMISSIONS, type Principal, type SignagePolicyLayer, type SpaceState } from '@parking/contracts';
import { batchOf, expectEventually } from '@parking/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { AvailabilityEventsConsumer } from '../src/inventory/availability-events.consumer';
import { SpaceEventsConsumer } from '../src/inventory/space-events.consumer';
import { CommandQueue } from '../src/queue/command-queue';
import { OverridesUseCase } from '../src/displays/overrides.use-case';
import { OverrideExpiry } from '../src/queue/override-expiry';
import { SignPlanner } from '../src/queue/sign-planner';
import { downlinkFixture, type DownlinkFixture } from './downlink-fixture';

describe('sign planning and the queue', () => {
  let f: DownlinkFixture;
  let planner: SignPlanner;
  let spaces: SpaceEventsConsumer;
  let availability: AvailabilityEventsConsumer;

  beforeAll(async () => {
    f = await downlinkFixture();
    planner = new SignPlanner(new CommandQueue(f.outbox, { rx2DataRate: 0 }));
    spaces = new SpaceEventsConsumer(planner, f.db, undefined as never, undefined as never, undefined as never);
    // Batches are handed to it directly here; NATS is not needed.
    availability = new AvailabilityEventsConsumer(planner, f.db, undefined as never, undefined as never, undefined as never);
  });
  afterAll(() => f.close());

  const sql = <T = Record<string, unknown>>(text: string, values: unknown[] = []) => f.sql<T>(text, values);

  /** A tenant with a site, a space and a bay light over it (and whatever count signs a test adds). */
  async function scene(options: { type?: string; codec?: string } = {}) {
    const tenantId = randomUUID();
    const siteId = randomUUID();
    const zoneId = randomUUID();
    const spaceId = randomUUID();
    await sql(`INSERT INTO downlink.spaces (id, tenant_id, site_id, zone_id, type, version) VALUES ($1, $2, $3, $4, $5, 1)`, [spaceId, tenantId, siteId, zoneId, options.type ?? 'standard']);
    const displayId = await display(tenantId, siteId, 'space', spaceId, options.codec ?? 'kuando-busylight');
    let version = 0;
    const nextState = (to: SpaceState) => {
      version += 1;
      const data: OccupancyEvents.SpaceStateChangedV1Data = { tenantId, spaceId, siteId, zoneId, from: 'unknown', to, cause: 'sensor', reading: null, changedAt: new Date().toISOString(), version };
      return data;
    };
    const setState = async (to: SpaceState) => expect(await spaces.handle(batchOf([stateEnvelope(nextState(to))]))).toEqual([{ kind: 'ack' }]);
    return { tenantId, siteId, zoneId, spaceId, displayId, setState, nextState };
  }

  const stateEnvelope = (data: OccupancyEvents.SpaceStateChangedV1Data) =>
    createEnvelope(OccupancyEvents.SpaceStateChangedV1, { tenantId: data.tenantId, aggregateId: data.spaceId, source: '/parking/occupancy', data }) as EventEnvelope;

  async function display(tenantId: string, siteId: string, kind: 'space' | 'zone' | 'site', targetId: string, codec: string, arrow = 'none'): Promise<string> {
    const id = randomUUID();
    await sql(
      `INSERT INTO downlink.displays (id, tenant_id, device_id, dev_eui, codec, name, target_kind, target_id, site_id, arrow) VALUES ($1, $2, $3, $4, $5, 'sign', $6, $7, $8, $9)`,
      [id, tenantId, randomUUID(), randomBytes(8).toString('hex'), codec, kind, targetId, siteId, arrow],
    );
    return id;
  }

  const open = (displayId: string) => sql<{ id: string; state: string; frame: Buffer; priority: number }>(`SELECT id, state, frame, priority FROM downlink.commands WHERE display_id = $1 AND state IN ('pending', 'sent')`, [displayId]);
  const hex = (b: Buffer) => b.toString('hex');
  const queuedEvents = (displayId: string) => sql<{ envelope: { data: DownlinkEvents.CommandQueuedV1Data } }>(`SELECT envelope FROM downlink.outbox WHERE aggregate_id = $1 AND subject LIKE 'downlink.command.queued.v1.%' ORDER BY seq`, [displayId]);

  it("queues the bay light's frame for its space's new state, and announces it", async () => {
    const s = await scene();
    await s.setState('occupied');
    const [command] = await open(s.displayId);
    expect(command).toMatchObject({ state: 'pending', priority: 1 });
    expect(hex(command.frame)).toBe('ff0000ff00');
    const [event] = await queuedEvents(s.displayId);
    expect(event.envelope.data).toMatchObject({ commandId: command.id, displayId: s.displayId, wish: { kind: 'light', colour: COLOURS.red }, priority: 'state', fPort: 15, frame: '/wAA/wA=', supersedes: null });
    expect(event.envelope.data.airtimeMs).toBeCloseTo(1318.912, 2);
  });

  it('keeps only the newest wish: 100 changes while the frame waits leave one command, showing the last state', async () => {
    const s = await scene();
    const states: SpaceState[] = ['free', 'occupied', 'reserved', 'maintenance'];
    for (let i = 0; i < 100; i++) await s.setState(states[i % 4]);
    await s.setState('free');
    const commands = await open(s.displayId);
    expect(commands).toHaveLength(1);
    expect(hex(commands[0].frame)).toBe('0000ffff00');
    expect(await queuedEvents(s.displayId)).toHaveLength(1);
    const [{ n }] = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM downlink.commands WHERE display_id = $1`, [s.displayId]);
    expect(n).toBe(1);
  });

  it("plans each bay light once for a batch, with its space's last state, and leaves lights of other spaces alone", async () => {
    const [a, b, untouched] = [await scene(), await scene(), await scene()];
    const batch = batchOf([a.nextState('occupied'), b.nextState('free'), a.nextState('reserved'), b.nextState('occupied'), a.nextState('free')].map(stateEnvelope));
    expect(await spaces.handle(batch)).toEqual(batch.map(() => ({ kind: 'ack' })));
    expect((await open(a.displayId)).map((c) => hex(c.frame))).toEqual(['0000ffff00']);
    expect(await queuedEvents(a.displayId)).toHaveLength(1);
    expect((await open(b.displayId)).map((c) => hex(c.frame))).toEqual(['ff0000ff00']);
    expect(await open(untouched.displayId)).toEqual([]);
  });

  it('does not queue a frame the sign already shows, nor one already on its way', async () => {
    const s = await scene();
    // The sign is known to show green (its echo confirmed it).
    await sql(`UPDATE downlink.displays SET shows_port = 15, shows_frame = '\\x0000ffff00'::bytea WHERE id = $1`, [s.displayId]);
    await s.setState('free');
    expect(await open(s.displayId)).toEqual([]);
    await s.setState('occupied');
    const [sent] = await open(s.displayId);
    await sql(`UPDATE downlink.commands SET state = 'sent' WHERE id = $1`, [sent.id]);
    // Occupied again (a repeat) while the red frame is on its way: nothing new.
    await s.setState('occupied');
    expect((await open(s.displayId)).map((c) => c.id)).toEqual([sent.id]);
  });

  it('supersedes a frame sent but not confirmed with the newer wish', async () => {
    const s = await scene();
    await s.setState('occupied');
    const [first] = await open(s.displayId);
    await sql(`UPDATE downlink.commands SET state = 'sent' WHERE id = $1`, [first.id]);
    await s.setState('free');
    const [next] = await open(s.displayId);
    expect(next.id).not.toBe(first.id);
    expect(hex(next.frame)).toBe('0000ffff00');
    const [{ state }] = await sql<{ state: string }>(`SELECT state FROM downlink.commands WHERE id = $1`, [first.id]);
    expect(state).toBe('superseded');
    const events = await queuedEvents(s.displayId);
    expect(events.map((e) => e.envelope.data.supersedes)).toEqual([null, first.id]);
  });

  it('shows an override until it expires, first in the queue; then, on time, the policy again', async () => {
    const s = await scene();
    const override = { kind: 'light', colour: COLOURS.white, blink: 'fast' };
    const t0 = new Date();
    await sql(`UPDATE downlink.displays SET override_wish = $2::jsonb, override_reason = 'event', override_expires_at = $3 WHERE id = $1`, [s.displayId, JSON.stringify(override), new Date(t0.getTime() + 60_000)]);
    await s.setState('occupied');
    const [command] = await open(s.displayId);
    expect(command).toMatchObject({ priority: 0 });
    expect(hex(command.frame)).toBe('ffffff0303');
    const expiry = new OverrideExpiry(f.db, planner, { autoStart: false } as never);
    expect(await expiry.pass(new Date(t0.getTime() + 59_000))).toBe(0);
    expect(await expiry.pass(new Date(t0.getTime() + 60_000))).toBeGreaterThanOrEqual(1);
    // The waiting frame now shows the space's state (it keeps the more urgent place in the queue).
    const [after] = await open(s.displayId);
    expect(after.id).toBe(command.id);
    expect(hex(after.frame)).toBe('ff0000ff00');
    const [display] = await sql<{ override_wish: unknown }>(`SELECT override_wish FROM downlink.displays WHERE id = $1`, [s.displayId]);
    expect(display.override_wish).toBeNull();
  });

  it('ends an override set through the API on time, though the expiry loop was asleep (no polling in between)', async () => {
    const s = await scene();
    const expiry = new OverrideExpiry(f.db, planner, { autoStart: true } as never);
    const overrides = new OverridesUseCase(f.db, planner, expiry);
    expiry.onApplicationBootstrap();
    try {
      // The loop's first pass (after 1 s) finds nothing to end and nothing due: it sleeps its 60-s safety interval.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const principal: Principal = { kind: 'user', tenantId: s.tenantId, actor: `user:${randomUUID()}`, permissions: [...PERMISSIONS], isPlatformAdmin: false };
      const expiresAt = new Date(Date.now() + 1_000);
      await overrides.set(principal, s.displayId, { colour: COLOURS.white, blink: 'fast', reason: 'event', expiresAt: expiresAt.toISOString() });
      const ended = await expectEventually(
        async () => {
          const [row] = await sql<{ override_wish: unknown }>(`SELECT override_wish FROM downlink.displays WHERE id = $1`, [s.displayId]);
          expect(row.override_wish).toBeNull();
          return Date.now();
        },
        { timeoutMs: 10_000, intervalMs: 50 },
      );
      expect(ended - expiresAt.getTime()).toBeLessThan(1_500);
    } finally {
      await expiry.onApplicationShutdown();
    }
  });

  it("maps each state as the tenant's and the site's policies say, a space type's colour first", async () => {
    const s = await scene({ type: 'ev' });
    const tenantLayer: SignagePolicyLayer = { states: { occupied: { colour: COLOURS.amber, blink: 'slow' } }, types: { ev: { free: { colour: COLOURS.white, blink: 'steady' } } } };
    const siteLayer: SignagePolicyLayer = { states: { reserved: { colour: COLOURS.green, blink: 'fast' } } };
    await sql(`INSERT INTO downlink.policies (id, tenant_id, site_id, rules) VALUES ($1, $2, NULL, $3), ($4, $2, $5, $6)`, [randomUUID(), s.tenantId, JSON.stringify(tenantLayer), randomUUID(), s.siteId, JSON.stringify(siteLayer)]);
    const frameFor = async (state: SpaceState) => {
      await s.setState(state);
      return hex((await open(s.displayId))[0].frame);
    };
    expect(await frameFor('occupied')).toBe('ff00a00a0a'); // amber (255, 160, 0) in R B G order, slow
    expect(await frameFor('free')).toBe('ffffffff00'); // an EV bay's free colour
    expect(await frameFor('reserved')).toBe('0000ff0303'); // the site's reserved colour, fast
    expect(await frameFor('maintenance')).toBe('ff00a0ff00'); // the default amber
    expect(await frameFor('unknown')).toBe('000000ff00'); // off
  });

  it("shows a zone's free count on its count sign, with the offset and FULL at the threshold", async () => {
    const s = await scene();
    const signId = await display(s.tenantId, s.siteId, 'zone', s.zoneId, 'count-display', 'left');
    await sql(`INSERT INTO downlink.policies (id, tenant_id, site_id, rules) VALUES ($1, $2, NULL, $3)`, [randomUUID(), s.tenantId, JSON.stringify({ count: { offset: -1, fullAt: 1 } })]);
    const counts = (free: number, version: number) => {
      const data: OccupancyEvents.ZoneAvailabilityChangedV1Data = { tenantId: s.tenantId, siteId: s.siteId, zoneId: s.zoneId, counts: { free, occupied: 20 - free, reserved: 0, maintenance: 0, unknown: 0, total: 20 }, version, changedAt: new Date().toISOString() };
      return availability.handle(batchOf([createEnvelope(OccupancyEvents.ZoneAvailabilityChangedV1, { tenantId: s.tenantId, aggregateId: s.zoneId, source: '/parking/occupancy', data })]));
    };
    await counts(8, 1);
    // 8 free less 1 = 7, an arrow to the left, green.
    expect(hex((await open(signId))[0].frame)).toBe('01' + '0007' + '01' + '00ff00' + '00');
    await counts(2, 2);
    // 1 after the offset: FULL, red.
    expect(hex((await open(signId))[0].frame)).toBe('01' + '0001' + '00' + 'ff0000' + '00' + Buffer.from('FULL').toString('hex'));
    // The bay light over the zone's space is not a count sign: untouched.
    expect(await open(s.displayId)).toEqual([]);
  });
});
