import { Inject, Injectable, Optional } from '@nestjs/common';
import { DownlinkEvents, type DisplayWish } from '@parking/contracts';
import { afterCommit } from '@parking/database';
import type { DownlinkTransaction } from '@parking/downlink/data-access';
import { displayCodecById, eu868Modulation, timeOnAirMs } from '@parking/downlink/signage';
import { OutboxWriter } from '@parking/messaging';
import { WakeSignal } from '@parking/service-runtime';
import { randomUUID } from 'node:crypto';
import { record } from './command-history';

/** A display gets at most one frame per this interval by default: a burst of changes within it sends the first and then the newest. */
export const MIN_FRAME_INTERVAL_MS = 2_000;

/** How the queue tells the sender, in this process, that a command falls due (once its transaction has committed). */
export class SendWakeup extends WakeSignal {
  due(at: Date): void {
    this.wake(at.getTime() - Date.now());
  }
}

/** The lower goes first: an operator's override, then a state change, then a periodic refresh. */
export const PRIORITY: Record<DownlinkEvents.CommandPriority, number> = { override: 0, state: 1, refresh: 2 };

export const QUEUE_OPTIONS = Symbol('QUEUE_OPTIONS');
export interface QueueOptions {
  /** The data rate class C frames go out at (the region's RX2 rate, EU868 DR0 unless the network sets another), for tenants that set none. */
  rx2DataRate: number;
  /** At most one frame per display per this interval (MIN_FRAME_INTERVAL_MS when absent). */
  minFrameIntervalMs?: number;
}

/** What enqueue did with a wish. */
export type EnqueueOutcome = 'queued' | 'coalesced' | 'unchanged';

interface DisplayRow {
  id: string;
  tenant_id: string;
  dev_eui: string;
  codec: string;
  shows_port: number | null;
  shows_frame: Uint8Array | null;
  /** The tenant's own RX2 data rate, if it set one. */
  rx2_data_rate: number | null;
}

interface OpenCommand {
  id: string;
  state: 'pending' | 'sent';
  f_port: number;
  /** Hex (read as JSON). */
  frame: string;
  priority: number;
}

/**
 * The downlink queue's front door: a display's newest wish, as a frame. Only the newest wish
 * per display is kept (one open command each): a frame still waiting is replaced in place, so
 * five changes while it waits send one frame; a frame already sent but not confirmed is
 * superseded by a new command (sent with flushQueue, so ChirpStack drops the stale one too). A
 * frame the sign is known to show, or one already on its way, is not queued again, except as a
 * refresh. A display
 * gets one frame per minimum interval at most (2 s by default), so a burst sends its first and
 * its newest.
 */
@Injectable()
export class CommandQueue {
  constructor(
    private readonly outbox: OutboxWriter,
    @Inject(QUEUE_OPTIONS) private readonly options: QueueOptions,
    @Optional() private readonly wakeup?: SendWakeup,
  ) {}

  async enqueue(tx: DownlinkTransaction, displayId: string, wish: DisplayWish, priority: DownlinkEvents.CommandPriority, now = new Date()): Promise<EnqueueOutcome> {
    // The display's row lock orders everything that plans for it.
    const [display] = await tx.$queryRaw<DisplayRow[]>`
      SELECT d.id, d.tenant_id, d.dev_eui, d.codec, d.shows_port, d.shows_frame, s.rx2_data_rate
        FROM downlink.displays d LEFT JOIN downlink.tenant_settings s ON s.tenant_id = d.tenant_id
       WHERE d.id = ${displayId}::uuid FOR UPDATE OF d`;
    if (!display) return 'unchanged';
    const codec = displayCodecById(display.codec);
    if (!codec) throw new Error(`display ${displayId} names codec ${display.codec}, which this service does not have`);
    const frame = codec.encode(wish);
    const bytes = Buffer.from(frame.bytes);
    // The open command (if any) and the display's last send, in one read.
    const [{ open, last }] = await tx.$queryRaw<Array<{ open: OpenCommand | null; last: Date | null }>>`
      SELECT (SELECT row_to_json(c) FROM (SELECT id, state, f_port, encode(frame, 'hex') AS frame, priority FROM downlink.commands
                                           WHERE display_id = ${displayId}::uuid AND state IN ('pending', 'sent')) c) AS open,
             (SELECT max(sent_at) FROM downlink.commands WHERE display_id = ${displayId}::uuid) AS last`;
    // bytea comes back as a Uint8Array.
    const same = (port: number | null, current: Uint8Array | null) => port === frame.fPort && current !== null && Buffer.from(current).equals(bytes);

    if (open && same(open.f_port, Buffer.from(open.frame, 'hex'))) return 'unchanged';
    // A refresh sends what the sign is known to show: the point is to repeat it (a sign power-cycled or its echo lost).
    if (!open && priority !== 'refresh' && same(display.shows_port, display.shows_frame)) return 'unchanged';
    const airtimeMs = timeOnAirMs(bytes.length, eu868Modulation(display.rx2_data_rate ?? this.options.rx2DataRate));
    let lastSent = last;
    if (open?.state === 'pending') {
      // Only while it still waits: the sender locks the command, not the display, and may have sent it since the read.
      const coalesced = await tx.$executeRaw`
        UPDATE downlink.commands SET wish = ${JSON.stringify(wish)}::jsonb, f_port = ${frame.fPort}::int, frame = ${bytes}, airtime_ms = ${airtimeMs}::real,
               priority = LEAST(priority, ${PRIORITY[priority]}::smallint), updated_at = ${now}::timestamptz
         WHERE id = ${open.id}::uuid AND state = 'pending'`;
      if (coalesced > 0) {
        await record(tx, display.tenant_id, open.id, 'coalesced', { frame: bytes.toString('hex'), priority }, now);
        return 'coalesced';
      }
      // It went out meanwhile: a new command supersedes it, paced from that send.
      [{ last: lastSent }] = await tx.$queryRaw<Array<{ last: Date | null }>>`SELECT max(sent_at) AS last FROM downlink.commands WHERE display_id = ${displayId}::uuid`;
    }
    if (open) {
      const superseded = await tx.$executeRaw`
        UPDATE downlink.commands SET state = 'superseded', updated_at = ${now}::timestamptz WHERE id = ${open.id}::uuid AND state IN ('pending', 'sent')`;
      if (superseded > 0) await record(tx, display.tenant_id, open.id, 'superseded', {}, now);
    }
    const interval = this.options.minFrameIntervalMs ?? MIN_FRAME_INTERVAL_MS;
    const due = new Date(Math.max(now.getTime(), lastSent ? new Date(lastSent).getTime() + interval : 0));
    const id = randomUUID();
    await tx.$executeRaw`
      INSERT INTO downlink.commands (id, tenant_id, display_id, priority, wish, f_port, frame, airtime_ms, state, due_at, created_at, updated_at)
      VALUES (${id}::uuid, ${display.tenant_id}::uuid, ${displayId}::uuid, ${PRIORITY[priority]}::smallint, ${JSON.stringify(wish)}::jsonb, ${frame.fPort}::int,
              ${bytes}, ${airtimeMs}::real, 'pending', ${due}::timestamptz, ${now}::timestamptz, ${now}::timestamptz)`;
    await record(tx, display.tenant_id, id, 'queued', { frame: bytes.toString('hex'), priority }, now);
    // The sender goes at once (or when pacing allows) instead of at its next poll.
    afterCommit(tx, () => this.wakeup?.due(due));
    await this.outbox.append(tx, DownlinkEvents.CommandQueuedV1, {
      tenantId: display.tenant_id,
      aggregateId: displayId,
      data: {
        tenantId: display.tenant_id,
        commandId: id,
        displayId,
        devEui: display.dev_eui,
        wish,
        priority,
        fPort: frame.fPort,
        frame: bytes.toString('base64'),
        airtimeMs,
        supersedes: open?.id ?? null,
        queuedAt: now.toISOString(),
      },
    });
    return 'queued';
  }
}
