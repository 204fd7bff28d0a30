// The queue survives a restart mid-burst: one process queues half a burst of wishes and dies
// inside a call to chirpstack-sync; the next, on pools and objects of its own, takes the other
// half and ends with every display showing its newest wish. Real PostgreSQL as the service's
// runtime role, an injected clock.
import { createEnvelope, IngestEvents, type Colour, type EnqueueDownlinkAnswer, type EnqueueDownlinkRequest } from '@parking/contracts';
import type { DownlinkDatabase } from '@parking/downlink/data-access';
import { OutboxWriter } from '@parking/messaging';
import { expectEventually } from '@parking/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { CommandQueue } from '../src/queue/command-queue';
import { CommandSender, type SenderOptions } from '../src/queue/command-sender';
import { ConfirmationsConsumer } from '../src/queue/confirmations.consumer';
import { DownlinkDoor } from '../src/queue/downlink-door';
import { downlinkFixture, type DownlinkFixture } from './downlink-fixture';

/** Holds this tenant's first call until `release()`: a replica whose batch is slow. */
class SlowDoor extends DownlinkDoor {
  readonly calls: EnqueueDownlinkRequest[] = [];
  private gate?: () => void;
  private readonly held = new Promise<void>((resolve) => (this.gate = resolve));

  constructor(private readonly tenantId: string) {
    super();
  }

  release(): void {
    this.gate?.();
  }

  async enqueue(request: EnqueueDownlinkRequest): Promise<EnqueueDownlinkAnswer> {
    if (request.tenantId !== this.tenantId) return { queueItemId: randomUUID(), replayed: false };
    this.calls.push(request);
    if (this.calls.length === 1) await this.held;
    return { queueItemId: `q-${randomUUID()}`, replayed: false };
  }
}

/** Answers this tenant's calls until `hangAfter` of them, then never again: the process died inside the call. */
class DyingDoor extends DownlinkDoor {
  readonly calls: EnqueueDownlinkRequest[] = [];

  constructor(
    private readonly tenantId: string,
    private readonly hangAfter = Infinity,
  ) {
    super();
  }

  enqueue(request: EnqueueDownlinkRequest): Promise<EnqueueDownlinkAnswer> {
    if (request.tenantId !== this.tenantId) return Promise.resolve({ queueItemId: randomUUID(), replayed: false });
    this.calls.push(request);
    if (this.calls.length > this.hangAfter) return new Promise(() => undefined);
    return Promise.resolve({ queueItemId: `q-${randomUUID()}`, replayed: false });
  }
}

const OPTIONS: SenderOptions = {
  retry: { maxSends: 6, baseSeconds: 2, jitter: 0 },
  headroom: 0.2,
  tenantAirtimeMsPerHour: 3_600_000,
  frameTtlMs: 60_000,
  pollMs: 1_000,
  batch: 5,
  autoStart: false,
};
const GATEWAY = '0016c001f153a14c';
const DISPLAYS = 20;
/** Five wishes per display; the colour of the i-th. */
const colourOf = (i: number): Colour => ({ red: 10 * i, green: 255 - 10 * i, blue: i });
const frameOf = (i: number) => Buffer.from([10 * i, i, 255 - 10 * i, 255, 0]).toString('base64');

describe('the downlink queue across restarts, replicas and a send racing a newer wish', () => {
  let f: DownlinkFixture;
  const outbox = new OutboxWriter({ schema: 'downlink', source: '/parking/downlink', wake: 'poll' });

  beforeAll(async () => {
    f = await downlinkFixture();
  });
  afterAll(() => f.close());

  /** One run of the service: its own pool, queue and sender (with its door), as a process has. */
  function processOf(db: DownlinkDatabase, door: DownlinkDoor, options: Partial<SenderOptions> = {}) {
    const queue = new CommandQueue(outbox, { rx2DataRate: 2 });
    const sender = new CommandSender(db, door, outbox, { ...OPTIONS, ...options });
    const confirmations = new ConfirmationsConsumer(outbox);
    const wish = (tenantId: string, displayId: string, i: number, now: Date) =>
      db.withTenant(tenantId, (tx) => queue.enqueue(tx, displayId, { kind: 'light', colour: colourOf(i), blink: 'steady' }, 'state', now));
    const txack = (tenantId: string, request: EnqueueDownlinkRequest, queueItemId: string, when: Date) => {
      const data: IngestEvents.DownlinkConfirmedV1Data = {
        tenantId,
        deviceId: randomUUID(),
        devEui: request.devEui,
        confirmation: 'txack',
        queueItemId,
        acknowledged: true,
        fCntDown: 1,
        gatewayId: GATEWAY,
        confirmedAt: when.toISOString(),
        receivedAt: when.toISOString(),
      };
      return db.withTenant(tenantId, (tx) => confirmations.handle(createEnvelope(IngestEvents.DownlinkConfirmedV1, { tenantId, aggregateId: data.deviceId, source: '/parking/ingest', data }), tx));
    };
    return { sender, wish, txack };
  }

  it('sends every display its newest wish after dying mid-burst inside a call, losing nothing', async () => {
    const tenantId = randomUUID();
    const displays = await f.displays(tenantId, DISPLAYS, GATEWAY);
    const t0 = new Date();
    const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

    // The first run: wishes 1..3 of every display (one command each, coalesced), then a pass that dies with its fourth and fifth calls in flight.
    const firstDb = f.openDatabase();
    const firstDoor = new DyingDoor(tenantId, 3);
    const first = processOf(firstDb, firstDoor);
    for (let i = 1; i <= 3; i++) for (const display of displays) await first.wish(tenantId, display.id, i, t0);
    void first.sender.pass(t0);
    await expectEventually(() => expect(firstDoor.calls).toHaveLength(OPTIONS.batch));

    // The next run, on pools of its own: the rest of the burst for half the displays, then its passes (the dead run's claims
    // expire with their lease). The other half must get what the dead run queued.
    const db = f.openDatabase();
    const door = new DyingDoor(tenantId);
    const next = processOf(db, door);
    try {
      const newestOf = (index: number) => (index % 2 === 0 ? 5 : 3);
      for (let i = 4; i <= 5; i++) for (const [index, display] of displays.entries()) if (newestOf(index) === 5) await next.wish(tenantId, display.id, i, at(1));
      const answered = new Set<string>();
      for (let second = 1; second <= 60; second++) {
        await next.sender.pass(at(second));
        // ChirpStack's gateway takes every frame it is handed.
        for (const request of door.calls) {
          if (answered.has(request.commandId)) continue;
          answered.add(request.commandId);
          const [command] = await f.sql<{ queue_item_id: string }>(`SELECT queue_item_id FROM downlink.commands WHERE id = $1`, [request.commandId.split(':')[0]]);
          await next.txack(tenantId, request, command.queue_item_id, at(second));
        }
      }

      // Every display's newest command is confirmed, with the newest wish; nothing is left open or dead.
      const newest = await f.sql<{ display_id: string; state: string; frame: string }>(
        `SELECT DISTINCT ON (display_id) display_id, state, encode(frame, 'base64') AS frame FROM downlink.commands WHERE tenant_id = $1 ORDER BY display_id, created_at DESC`,
        [tenantId],
      );
      const expected = new Map<string, string>(displays.map((display, index) => [display.id, frameOf(newestOf(index))]));
      expect(newest).toHaveLength(DISPLAYS);
      expect(newest.filter((c) => c.state !== 'confirmed' || c.frame !== expected.get(c.display_id))).toEqual([]);
      expect(await f.sql(`SELECT state, count(*)::int AS n FROM downlink.commands WHERE tenant_id = $1 AND state IN ('pending', 'sent', 'dead') GROUP BY state`, [tenantId])).toEqual([]);
      // Each display was handed its newest frame by the next run, the one the dead run was sending to included.
      for (const [index, display] of displays.entries()) {
        expect({ devEui: display.devEui, last: door.calls.filter((c) => c.devEui === display.devEui).at(-1)?.data }).toEqual({ devEui: display.devEui, last: frameOf(newestOf(index)) });
      }
      const shows = await f.sql<{ id: string; frame: string }>(`SELECT id, encode(shows_frame, 'base64') AS frame FROM downlink.displays WHERE tenant_id = $1`, [tenantId]);
      expect(shows.filter((d) => d.frame !== expected.get(d.id))).toEqual([]);
    } finally {
      await db.close();
      await firstDb.close();
    }
  });

  it('never sends twice what a replica whose lease ran out had claimed, once another has claimed it', async () => {
    const tenantId = randomUUID();
    const displays = await f.displays(tenantId, 2, GATEWAY);
    const t0 = new Date();
    const slowDoor = new SlowDoor(tenantId);
    // One command at a time: the second waits behind the first.
    const slow = processOf(f.db, slowDoor, { concurrency: 1 });
    for (const display of displays) await slow.wish(tenantId, display.id, 1, t0);
    // The slow replica claims both and hangs in its first call, past its 30 s lease.
    const slowPass = slow.sender.pass(t0);
    await expectEventually(() => expect(slowDoor.calls).toHaveLength(1));
    const otherDoor = new DyingDoor(tenantId);
    const other = processOf(f.db, otherDoor);
    await other.sender.pass(new Date(t0.getTime() + 31_000));
    slowDoor.release();
    await slowPass;

    // The frame the slow replica was sending is retried by the other (unconfirmed past its 2 s); the one it had claimed
    // but not reached was the other's by then, and went out once.
    const [inFlight] = slowDoor.calls;
    const claimedOnly = displays.find((d) => d.devEui !== inFlight.devEui)?.devEui;
    const sendsTo = (devEui?: string) => [...slowDoor.calls, ...otherDoor.calls].filter((call) => call.devEui === devEui).map((call) => call.commandId.split(':')[1]);
    expect({ inFlight: sendsTo(inFlight.devEui), claimedOnly: sendsTo(claimedOnly) }).toEqual({ inFlight: ['1', '2'], claimedOnly: ['1'] });
    expect(otherDoor.calls.map((call) => call.devEui).sort()).toEqual(displays.map((d) => d.devEui).sort());
  });

  it('supersedes, rather than rewrites, a waiting frame the sender took while a newer wish was being queued', async () => {
    const tenantId = randomUUID();
    const [display] = await f.displays(tenantId, 1, GATEWAY);
    const queue = processOf(f.db, new DyingDoor(tenantId));
    const t0 = new Date();
    await queue.wish(tenantId, display.id, 1, t0);
    const [first] = await f.sql<{ id: string }>(`SELECT id FROM downlink.commands WHERE display_id = $1`, [display.id]);

    // The sender's transaction: it holds the waiting command and marks it sent ...
    const sender = new Client({ connectionString: f.adminUrl });
    await sender.connect();
    try {
      await sender.query('BEGIN');
      await sender.query(`SELECT id FROM downlink.commands WHERE id = $1 FOR UPDATE`, [first.id]);
      await sender.query(`UPDATE downlink.commands SET state = 'sent', sends = 1, sent_at = $2 WHERE id = $1`, [first.id, t0]);
      // ... while a newer wish reads the command as waiting and must wait for the row ...
      const newer = queue.wish(tenantId, display.id, 2, new Date(t0.getTime() + 100));
      await expectEventually(async () => expect(await f.sql(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)).not.toEqual([]));
      // ... until the send commits.
      await sender.query('COMMIT');
      expect(await newer).toBe('queued');
    } finally {
      await sender.end();
    }
    const commands = await f.sql<{ id: string; state: string; frame: string; due_at: Date }>(
      `SELECT id, state, encode(frame, 'base64') AS frame, due_at FROM downlink.commands WHERE display_id = $1 ORDER BY created_at`,
      [display.id],
    );
    // What went out keeps its bytes; the newer wish is a command of its own, paced from that send.
    expect(commands.map(({ state, frame }) => ({ state, frame }))).toEqual([
      { state: 'superseded', frame: frameOf(1) },
      { state: 'pending', frame: frameOf(2) },
    ]);
    expect(commands[1].due_at.getTime()).toBe(t0.getTime() + 2_000);
  });
});
