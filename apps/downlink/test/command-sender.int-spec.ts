// The queue's sender and ChirpStack's confirmations, under an injected clock: real PostgreSQL as
// the downlink service's runtime role; the door to chirpstack-sync records what it is handed.
import { COLOURS, createEnvelope, IngestEvents, type Colour, type EnqueueDownlinkAnswer, type EnqueueDownlinkRequest } from '@parking/contracts';
import type { DownlinkDatabase } from '@parking/downlink/data-access';
import { OutboxWriter } from '@parking/messaging';
import { expectEventually } from '@parking/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { CommandQueue, SendWakeup } from '../src/queue/command-queue';
import { CommandSender, type SenderOptions } from '../src/queue/command-sender';
import { ConfirmationsConsumer } from '../src/queue/confirmations.consumer';
import { DisplayReportsConsumer } from '../src/queue/display-reports.consumer';
import { SignPlanner } from '../src/queue/sign-planner';
import { downlinkFixture, type DownlinkFixture } from './downlink-fixture';
import { DownlinkDoor } from '../src/queue/downlink-door';

/** Records the frames of one tenant (the sender also sends what other suites' tenants left due). */
class RecordingDoor extends DownlinkDoor {
  readonly calls: EnqueueDownlinkRequest[] = [];
  failNext = 0;

  constructor(private readonly tenantId: string) {
    super();
  }

  async enqueue(request: EnqueueDownlinkRequest): Promise<EnqueueDownlinkAnswer> {
    if (request.tenantId !== this.tenantId) return { queueItemId: randomUUID(), replayed: false };
    this.calls.push(request);
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('UNAVAILABLE: chirpstack-sync did not answer');
    }
    return { queueItemId: randomUUID(), replayed: false };
  }
}

/** Holds every call to one device until released; answers the rest at once. */
class HoldingDoor extends RecordingDoor {
  private release?: () => void;
  private readonly released = new Promise<void>((resolve) => (this.release = resolve));

  constructor(
    tenantId: string,
    private readonly heldDevEui: string,
  ) {
    super(tenantId);
  }

  override async enqueue(request: EnqueueDownlinkRequest): Promise<EnqueueDownlinkAnswer> {
    const answer = await super.enqueue(request);
    if (request.devEui === this.heldDevEui) await this.released;
    return answer;
  }

  letGo(): void {
    this.release?.();
  }
}

const OPTIONS: SenderOptions = {
  retry: { maxSends: 6, baseSeconds: 2, jitter: 0 },
  headroom: 0.2,
  tenantAirtimeMsPerHour: 3_600_000,
  frameTtlMs: 60_000,
  pollMs: 1_000,
  batch: 50,
  autoStart: false,
};
const GATEWAY = '0016c001f153a14c';

describe('the downlink sender', () => {
  let f: DownlinkFixture;
  let db: DownlinkDatabase;
  // The writer holds no connection: the consumers below are built before the database is.
  const outbox = new OutboxWriter({ schema: 'downlink', source: '/parking/downlink', wake: 'poll' });
  const confirmations = new ConfirmationsConsumer(outbox);

  beforeAll(async () => {
    f = await downlinkFixture();
    db = f.db;
  });
  afterAll(() => f.close());

  const sql = <T = Record<string, unknown>>(text: string, values: unknown[] = []) => f.sql<T>(text, values);
  const at = (t0: Date, seconds: number) => new Date(t0.getTime() + seconds * 1000);

  const displays = (tenantId: string, count: number, gatewayId: string | null = GATEWAY) => f.displays(tenantId, count, gatewayId);

  function setup(tenantId: string, options: Partial<SenderOptions> = {}, rx2DataRate = 0) {
    const door = new RecordingDoor(tenantId);
    const sender = new CommandSender(db, door, outbox, { ...OPTIONS, ...options });
    const queue = new CommandQueue(outbox, { rx2DataRate });
    const wish = (displayId: string, tenantId: string, colour: Colour = COLOURS.red, now = new Date()) =>
      db.withTenant(tenantId, (tx) => queue.enqueue(tx, displayId, { kind: 'light', colour, blink: 'steady' }, 'state', now));
    return { door, sender, wish };
  }

  const confirm = (tenantId: string, devEui: string, queueItemId: string | null, confirmation: 'txack' | 'ack' = 'txack', acknowledged = true, when = new Date()) => {
    const data: IngestEvents.DownlinkConfirmedV1Data = {
      tenantId,
      deviceId: randomUUID(),
      devEui,
      confirmation,
      queueItemId,
      acknowledged,
      fCntDown: 1,
      gatewayId: confirmation === 'txack' ? GATEWAY : null,
      confirmedAt: when.toISOString(),
      receivedAt: when.toISOString(),
    };
    return db.withTenant(tenantId, (tx) => confirmations.handle(createEnvelope(IngestEvents.DownlinkConfirmedV1, { tenantId, aggregateId: data.deviceId, source: '/parking/ingest', data }), tx));
  };
  const command = async (displayId: string) => (await sql<{ id: string; state: string; sends: number; queue_item_id: string | null }>(`SELECT id, state, sends, queue_item_id FROM downlink.commands WHERE display_id = $1 ORDER BY created_at DESC LIMIT 1`, [displayId]))[0];

  it('hands the frame to chirpstack-sync with flushQueue and a short expiry, and books its airtime', async () => {
    const tenantId = randomUUID();
    const [light] = await displays(tenantId, 1);
    const { door, sender, wish } = setup(tenantId);
    const t0 = new Date();
    await wish(light.id, tenantId, COLOURS.red, t0);
    expect(await sender.pass(t0)).toBe(1);
    const sent = await command(light.id);
    expect(door.calls).toEqual([
      { tenantId, devEui: light.devEui, fPort: 15, data: Buffer.from('ff0000ff00', 'hex').toString('base64'), confirmed: false, flushQueue: true, expiresAt: at(t0, 60).toISOString(), commandId: `${sent.id}:1` },
    ]);
    expect(sent).toMatchObject({ state: 'sent', sends: 1, queue_item_id: expect.any(String) });
    const [use] = await sql<{ gateway_id: string; airtime_ms: number }>(`SELECT gateway_id, airtime_ms FROM downlink.airtime_uses WHERE at = $1`, [t0]);
    expect(use.gateway_id).toBe(GATEWAY);
    expect(use.airtime_ms).toBeCloseTo(1318.9, 0);
    // The tenant's own ledger books it too, for its hourly cap.
    expect(await sql(`SELECT airtime_ms FROM downlink.tenant_airtime WHERE tenant_id = $1`, [tenantId])).toEqual([{ airtime_ms: use.airtime_ms }]);
  });

  it('drops airtime older than the budgets look back at, keeping the last hour', async () => {
    const tenantId = randomUUID();
    const gateway = randomBytes(8).toString('hex');
    const t0 = new Date();
    const ago = (minutes: number) => new Date(t0.getTime() - minutes * 60_000);
    await sql(`INSERT INTO downlink.airtime_uses (gateway_id, sub_band, at, airtime_ms) VALUES ($1, 'b', $2, 1), ($1, 'b', $3, 2)`, [gateway, ago(61), ago(59)]);
    await sql(`INSERT INTO downlink.tenant_airtime (tenant_id, at, airtime_ms) VALUES ($1, $2, 1), ($1, $3, 2)`, [tenantId, ago(61), ago(59)]);
    await setup(tenantId).sender.pass(t0);
    expect(await sql(`SELECT airtime_ms FROM downlink.airtime_uses WHERE gateway_id = $1`, [gateway])).toEqual([{ airtime_ms: 2 }]);
    expect(await sql(`SELECT airtime_ms FROM downlink.tenant_airtime WHERE tenant_id = $1`, [tenantId])).toEqual([{ airtime_ms: 2 }]);
  });

  it('retries unconfirmed frames after 2, 4, 8, 16 and 32 s, then dead-letters them and marks the display faulty', async () => {
    const tenantId = randomUUID();
    const [light] = await displays(tenantId, 1);
    const { door, sender, wish } = setup(tenantId);
    const t0 = new Date();
    await wish(light.id, tenantId, COLOURS.red, t0);
    const sendTimes: number[] = [];
    for (let s = 0; s <= 130; s++) {
      const before = door.calls.length;
      await sender.pass(at(t0, s));
      if (door.calls.length > before) sendTimes.push(s);
    }
    expect(sendTimes).toEqual([0, 2, 6, 14, 30, 62]);
    expect((await command(light.id)).state).toBe('dead');
    const [display] = await sql<{ faulty_at: Date | null; faulty_reason: string }>(`SELECT faulty_at, faulty_reason FROM downlink.displays WHERE id = $1`, [light.id]);
    expect(display.faulty_at).toEqual(at(t0, 126));
    expect(display.faulty_reason).toMatch(/unconfirmed after 6 sends/);
    const subjects = (await sql<{ subject: string }>(`SELECT subject FROM downlink.outbox WHERE aggregate_id = $1 ORDER BY seq`, [light.id])).map((r) => r.subject.split('.').slice(0, 4).join('.'));
    expect(subjects).toEqual(['downlink.command.queued.v1', ...Array(6).fill('downlink.command.sent.v1'), 'downlink.command.failed.v1', 'downlink.display.faulty.v1']);
  });

  it('stops retrying once a txack confirms the frame; the display then shows it', async () => {
    const tenantId = randomUUID();
    const [light] = await displays(tenantId, 1, null);
    const { door, sender, wish } = setup(tenantId);
    const t0 = new Date();
    await wish(light.id, tenantId, COLOURS.green, t0);
    await sender.pass(t0);
    await confirm(tenantId, light.devEui, (await command(light.id)).queue_item_id, 'txack', true, at(t0, 1));
    for (let s = 1; s <= 70; s += 3) await sender.pass(at(t0, s));
    expect(door.calls).toHaveLength(1);
    expect((await command(light.id)).state).toBe('confirmed');
    const [display] = await sql<{ shows_frame: Buffer; gateway_id: string }>(`SELECT shows_frame, gateway_id FROM downlink.displays WHERE id = $1`, [light.id]);
    expect(display.shows_frame.toString('hex')).toBe('0000ffff00');
    // The txack named the gateway that transmitted it.
    expect(display.gateway_id).toBe(GATEWAY);
    // The next wish for the same colour is not sent again.
    expect(await wish(light.id, tenantId, COLOURS.green)).toBe('unchanged');
  });

  it('keeps retrying a frame whose confirmation was lost or negative, and after a send ChirpStack refused', async () => {
    const tenantId = randomUUID();
    const [light] = await displays(tenantId, 1);
    const { door, sender, wish } = setup(tenantId);
    const t0 = new Date();
    await wish(light.id, tenantId, COLOURS.blue, t0);
    door.failNext = 1;
    await sender.pass(t0);
    expect((await command(light.id)).queue_item_id).toBeNull();
    await sender.pass(at(t0, 2));
    await confirm(tenantId, light.devEui, (await command(light.id)).queue_item_id, 'ack', false, at(t0, 3));
    await sender.pass(at(t0, 6));
    expect(door.calls).toHaveLength(3);
    const outcomes = (await sql<{ outcome: string }>(`SELECT e.outcome FROM downlink.command_events e JOIN downlink.commands c ON c.id = e.command_id WHERE c.display_id = $1 ORDER BY e.id`, [light.id])).map((r) => r.outcome);
    expect(outcomes).toEqual(['queued', 'failed', 'sent', 'nack', 'sent']);
  });

  it('slows a gateway down after it refused a frame (DUTY_CYCLE_OVERFLOW)', async () => {
    const tenantId = randomUUID();
    const [first, second] = await displays(tenantId, 2, 'a840410000000101');
    const { door, sender, wish } = setup(tenantId);
    const t0 = new Date();
    await wish(first.id, tenantId, COLOURS.red, t0);
    await sender.pass(t0);
    const failed: IngestEvents.DownlinkFailedV1Data = {
      tenantId,
      deviceId: randomUUID(),
      devEui: first.devEui,
      code: 'DOWNLINK_GATEWAY',
      txStatus: 'DUTY_CYCLE_OVERFLOW',
      queueItemId: (await command(first.id)).queue_item_id,
      gatewayId: null,
      description: 'DUTY_CYCLE_OVERFLOW',
      failedAt: at(t0, 1).toISOString(),
      receivedAt: at(t0, 1).toISOString(),
    };
    await db.withTenant(tenantId, (tx) => confirmations.handle(createEnvelope(IngestEvents.DownlinkFailedV1, { tenantId, aggregateId: failed.deviceId, source: '/parking/ingest', data: failed }), tx));
    const [backoff] = await sql<{ rejections: number; slow_until: Date; last_status: string }>(`SELECT rejections, slow_until, last_status FROM downlink.gateway_backoff WHERE gateway_id = 'a840410000000101'`);
    expect(backoff).toMatchObject({ rejections: 1, last_status: 'DUTY_CYCLE_OVERFLOW' });
    expect(backoff.slow_until).toEqual(at(t0, 16));
    await wish(second.id, tenantId, COLOURS.red, at(t0, 2));
    await sender.pass(at(t0, 2));
    await sender.pass(at(t0, 10));
    expect(door.calls.map((c) => c.devEui)).toEqual([first.devEui]);
    // Once the backoff is over, the second display's frame goes, and the first one's retry.
    await sender.pass(at(t0, 16));
    expect(door.calls.slice(1).map((c) => c.devEui).sort()).toEqual([first.devEui, second.devEui].sort());
  });

  it('sends at most 2 frames for a burst of 100 state changes in 2 s, the last one showing the final state', async () => {
    const tenantId = randomUUID();
    const [light] = await displays(tenantId, 1);
    const { door, sender, wish } = setup(tenantId);
    const t0 = new Date();
    // The sender runs every 500 ms, as the service's loop does, and ChirpStack confirms each frame at once.
    const passAndConfirm = async (now: Date) => {
      const before = door.calls.length;
      await sender.pass(now);
      for (const _call of door.calls.slice(before)) await confirm(tenantId, light.devEui, (await command(light.id)).queue_item_id, 'txack', true, now);
    };
    const colours: Colour[] = [COLOURS.red, COLOURS.green, COLOURS.blue, COLOURS.amber];
    for (let i = 0; i < 100; i++) {
      const now = new Date(t0.getTime() + i * 20);
      await wish(light.id, tenantId, colours[i % 4], now);
      if (i % 25 === 0) await passAndConfirm(now);
    }
    for (let ms = 2_000; ms <= 6_000; ms += 500) await passAndConfirm(new Date(t0.getTime() + ms));
    expect(door.calls).toHaveLength(2);
    // The first change went at once; the 100th (amber: 255, 160, 0 in the light's R, B, G order) once the interval was over.
    expect(door.calls.map((c) => Buffer.from(c.data, 'base64').toString('hex'))).toEqual(['ff0000ff00', 'ff00a0ff00']);
  });

  it('keeps a gateway within its duty-cycle budget through a burst to 1,000 displays at DR2 (SF10), and every display ends showing its newest wish', async () => {
    const tenantId = randomUUID();
    const lights = await displays(tenantId, 1_000, 'b827ebfffe000001');
    const { door, sender, wish } = setup(tenantId, { batch: 200 }, 2);
    const t0 = new Date();
    for (const light of lights) await wish(light.id, tenantId, COLOURS.red, t0);
    // Half of them change again while the burst waits: only the newest wish goes out.
    for (const light of lights.slice(0, 500)) await wish(light.id, tenantId, COLOURS.green, at(t0, 1));
    const sends: Array<{ at: number; bytes: number }> = [];
    for (let s = 0; s < 3 * 3600; s += 60) {
      const before = door.calls.length;
      await sender.pass(at(t0, s));
      for (const call of door.calls.slice(before)) {
        sends.push({ at: s * 1000, bytes: Buffer.from(call.data, 'base64').length });
        const [row] = await sql<{ queue_item_id: string }>(`SELECT queue_item_id FROM downlink.commands WHERE id = $1`, [call.commandId.split(':')[0]]);
        await confirm(tenantId, call.devEui, row.queue_item_id, 'txack', true, at(t0, s));
      }
      const [{ open }] = await sql<{ open: number }>(`SELECT count(*)::int AS open FROM downlink.commands WHERE tenant_id = $1 AND state IN ('pending', 'sent')`, [tenantId]);
      if (open === 0) break;
    }
    // Airtime computed here (Semtech AN1200.13: SF10, 125 kHz, CR 4/5, 8-symbol preamble, no CRC on downlinks).
    const symbolMs = 1024 / 125;
    const airtime = (bytes: number) => (8 + 4.25) * symbolMs + (8 + Math.ceil((8 * (bytes + 13) - 40 + 28) / 40) * 5) * symbolMs;
    const budgetMs = 0.1 * 3_600_000 * (1 - OPTIONS.headroom);
    for (const send of sends) {
      const used = sends.filter((other) => other.at > send.at - 3_600_000 && other.at <= send.at).reduce((sum, other) => sum + airtime(other.bytes), 0);
      expect(used).toBeLessThanOrEqual(budgetMs);
    }
    // The budget bound: not every frame fitted in the first hour, and none was dropped.
    expect(sends.length).toBe(1_000);
    expect(Math.max(...sends.map((s) => s.at))).toBeGreaterThanOrEqual(3_600_000);
    const shown = await sql<{ id: string; frame: string }>(`SELECT id, encode(shows_frame, 'hex') AS frame FROM downlink.displays WHERE tenant_id = $1`, [tenantId]);
    const expected = new Map(lights.map((l, i) => [l.id, i < 500 ? '0000ffff00' : 'ff0000ff00']));
    expect(shown.filter((d) => d.frame !== expected.get(d.id))).toEqual([]);
  }, 180_000);

  describe("a display's own reports", () => {
    const reports = new DisplayReportsConsumer(outbox, new SignPlanner(new CommandQueue(outbox, { rx2DataRate: 0 })));
    const report = (tenantId: string, light: { devEui: string; deviceId: string }, shows: Record<string, number> | null, gateways: IngestEvents.DisplayReportedV1Data['gateways'], when: Date) => {
      const data: IngestEvents.DisplayReportedV1Data = { tenantId, deviceId: light.deviceId, devEui: light.devEui, codecId: 'kuando-busylight', fields: shows ? { shows } : {}, gateways, receivedAt: when.toISOString() };
      return db.withTenant(tenantId, (tx) => reports.handle(createEnvelope(IngestEvents.DisplayReportedV1, { tenantId, aggregateId: light.deviceId, source: '/parking/ingest', data }), tx));
    };

    it('confirm the frame on its way when they echo it, and name the gateway that heard them best', async () => {
      const tenantId = randomUUID();
      const [light] = await displays(tenantId, 1, null);
      const { door, sender, wish } = setup(tenantId);
      const t0 = new Date();
      await report(tenantId, light, null, [{ gatewayId: 'aa00000000000001', rssi: -97, snr: 2 }, { gatewayId: 'aa00000000000002', rssi: -64, snr: 9 }], t0);
      await wish(light.id, tenantId, COLOURS.red, t0);
      await sender.pass(t0);
      expect(await sql(`SELECT gateway_id FROM downlink.airtime_uses WHERE at = $1`, [t0])).toEqual([{ gateway_id: 'aa00000000000002' }]);
      await report(tenantId, light, { red: 255, green: 0, blue: 0, onTime: 255, offTime: 0 }, [{ gatewayId: 'aa00000000000002', rssi: -66, snr: 8 }], at(t0, 1));
      expect((await command(light.id)).state).toBe('confirmed');
      for (let s = 2; s < 40; s += 2) await sender.pass(at(t0, s));
      expect(door.calls).toHaveLength(1);
    });

    it('queue the right frame again when they echo something else and nothing is on its way', async () => {
      const tenantId = randomUUID();
      const [light] = await displays(tenantId, 1);
      // Its space is reserved: blue, as the default policy has it.
      await sql(`INSERT INTO downlink.spaces (id, tenant_id, site_id, state, state_version) SELECT target_id, tenant_id, site_id, 'reserved', 1 FROM downlink.displays WHERE id = $1`, [light.id]);
      const { sender, wish } = setup(tenantId);
      const t0 = new Date();
      await wish(light.id, tenantId, COLOURS.blue, t0);
      await sender.pass(t0);
      await confirm(tenantId, light.devEui, (await command(light.id)).queue_item_id, 'txack', true, at(t0, 1));
      // A power cycle: the light came back green, not the blue it was told.
      await report(tenantId, light, { red: 0, green: 255, blue: 0, onTime: 255, offTime: 0 }, [], at(t0, 60));
      const next = await command(light.id);
      expect(next.state).toBe('pending');
      const [{ frame }] = await sql<{ frame: string }>(`SELECT encode(frame, 'hex') AS frame FROM downlink.commands WHERE id = $1`, [next.id]);
      expect(frame).toBe('00ff00ff00');
    });
  });

  // A running sender claims the due commands of every tenant in this database; the test looks at its own display's only.
  it('sleeps between passes until the next command falls due: an unconfirmed frame is sent again after its wait, with no poll in between', async () => {
    const tenantId = randomUUID();
    const [light] = await displays(tenantId, 1);
    const { door, sender, wish } = setup(tenantId, { pollMs: 30_000, autoStart: true });
    await wish(light.id, tenantId);
    sender.onApplicationBootstrap();
    try {
      await expectEventually(async () => expect(await command(light.id)).toMatchObject({ sends: 1 }), { timeoutMs: 5_000, intervalMs: 50 });
      const firstSent = Date.now();
      // The retry waits 2 s (jitter 0); the 30-s safety pass would come far later.
      await expectEventually(async () => expect(await command(light.id)).toMatchObject({ sends: 2 }), { timeoutMs: 8_000, intervalMs: 50 });
      expect(Date.now() - firstSent).toBeLessThan(4_000);
      expect(door.calls.filter((call) => call.devEui === light.devEui)).toHaveLength(2);
    } finally {
      await sender.onApplicationShutdown();
    }
  });

  it('sends a frame that falls due while another send hangs at once, not after that send ends', async () => {
    const tenantId = randomUUID();
    const [stuck, light] = await displays(tenantId, 2);
    const door = new HoldingDoor(tenantId, stuck.devEui);
    const wakeup = new SendWakeup();
    const sender = new CommandSender(db, door, outbox, { ...OPTIONS, pollMs: 30_000, autoStart: true }, wakeup);
    const queue = new CommandQueue(outbox, { rx2DataRate: 0 }, wakeup);
    const wish = (displayId: string) => db.withTenant(tenantId, (tx) => queue.enqueue(tx, displayId, { kind: 'light', colour: COLOURS.red, blink: 'steady' }, 'state'));
    await wish(stuck.id);
    sender.onApplicationBootstrap();
    try {
      await expectEventually(() => expect(door.calls.map((call) => call.devEui)).toEqual([stuck.devEui]), { timeoutMs: 5_000, intervalMs: 20 });
      await wish(light.id);
      // The first send is still waiting for its answer; the 30-s safety pass is far off.
      await expectEventually(async () => expect(await command(light.id)).toMatchObject({ sends: 1 }), { timeoutMs: 5_000, intervalMs: 20 });
      expect(door.calls.map((call) => call.devEui)).toEqual([stuck.devEui, light.devEui]);
      expect((await command(stuck.id)).queue_item_id).toBeNull();
    } finally {
      door.letGo();
      await sender.onApplicationShutdown();
    }
    // Shutting down waited for the held send to finish its bookkeeping.
    expect((await command(stuck.id)).queue_item_id).not.toBeNull();
  });
});
