import { Inject, Injectable } from '@nestjs/common';
import type { CommandCounts, CommandPage, DisplayStatsView, GatewaySignagePage, Principal, WishView } from '@parking/contracts';
import { Prisma, type DownlinkDatabase, type DownlinkTransaction } from '@parking/downlink/data-access';
import { DUTY_CYCLE_WINDOW_MS, DutyCycleBudget, EU868_SUB_BANDS } from '@parking/downlink/signage';
import { beforeCursor, keysetColumns, TENANT_DATABASE, toPage, whereAll } from '@parking/service-runtime';
import { SENDER_OPTIONS, type SenderOptions } from '../queue/command-sender';
import { findDisplay } from './display-rows';

const DEFAULT_HOURS = 24;
const PRIORITY_NAMES = ['override', 'state', 'refresh'] as const;

interface CountsRow {
  queued: bigint;
  sent: bigint;
  confirmed: bigint;
  failed: bigint;
  dead: bigint;
  airtime_ms: number | null;
}

interface CommandRow {
  id: string;
  priority: number;
  wish: WishView;
  f_port: number;
  frame: string;
  airtime_ms: number;
  state: string;
  sends: number;
  queue_item_id: string | null;
  gateway_id: string | null;
  last_error: string | null;
  created_at: Date;
  steps: Array<{ outcome: string; detail: Record<string, unknown>; at: string }>;
  key_id: string;
  key_micros: string;
}

/**
 * Each step of a command counts once: sends (retries included) and refusals by their events, a
 * command as confirmed once whatever confirmed it (txack, ack, echo), airtime per send.
 */
const COUNTS = Prisma.raw(`
  count(*) FILTER (WHERE e.outcome = 'queued') AS queued,
  count(*) FILTER (WHERE e.outcome = 'sent') AS sent,
  count(DISTINCT e.command_id) FILTER (WHERE e.outcome IN ('txack', 'ack', 'echo')) AS confirmed,
  count(*) FILTER (WHERE e.outcome IN ('failed', 'nack')) AS failed,
  count(*) FILTER (WHERE e.outcome = 'dead') AS dead,
  sum(c.airtime_ms) FILTER (WHERE e.outcome = 'sent') AS airtime_ms`);

function countsOf(row: CountsRow | undefined): CommandCounts {
  return {
    queued: Number(row?.queued ?? 0),
    sent: Number(row?.sent ?? 0),
    confirmed: Number(row?.confirmed ?? 0),
    failed: Number(row?.failed ?? 0),
    dead: Number(row?.dead ?? 0),
    airtimeMs: Math.round((row?.airtime_ms ?? 0) * 10) / 10,
  };
}

/** Each display's command history, and what signage sent per display and per gateway, with each gateway's airtime against its budget. */
@Injectable()
export class SignageStatsUseCase {
  constructor(
    @Inject(TENANT_DATABASE) private readonly db: DownlinkDatabase,
    @Inject(SENDER_OPTIONS) private readonly sender: SenderOptions,
  ) {}

  /** Newest first, each with every step. */
  commands(principal: Principal, displayId: string, cursor: string | undefined, limit: number): Promise<CommandPage> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      await findDisplay(tx, displayId);
      const where = [Prisma.sql`c.display_id = ${displayId}::uuid`, ...beforeCursor('c', cursor)];
      const rows = await tx.$queryRaw<CommandRow[]>`
        SELECT c.id, c.priority, c.wish, c.f_port, encode(c.frame, 'hex') AS frame, c.airtime_ms, c.state, c.sends, c.queue_item_id, c.gateway_id, c.last_error, c.created_at,
               (SELECT coalesce(json_agg(json_build_object('outcome', e.outcome, 'detail', e.detail, 'at', e.at) ORDER BY e.id), '[]')
                  FROM downlink.command_events e WHERE e.command_id = c.id) AS steps,
               ${keysetColumns('c')}
          FROM downlink.commands c ${whereAll(where)} ORDER BY c.created_at DESC, c.id DESC LIMIT ${limit + 1}`;
      return toPage(rows, limit, (row) => ({
        id: row.id,
        priority: PRIORITY_NAMES[row.priority],
        wish: row.wish,
        fPort: row.f_port,
        frame: row.frame,
        airtimeMs: Math.round(row.airtime_ms * 10) / 10,
        state: row.state,
        sends: row.sends,
        queueItemId: row.queue_item_id,
        gatewayId: row.gateway_id,
        lastError: row.last_error,
        createdAt: row.created_at.toISOString(),
        steps: row.steps.map((step) => ({ outcome: step.outcome, detail: step.detail, at: new Date(step.at).toISOString() })),
      }));
    });
  }

  displayStats(principal: Principal, displayId: string, hours = DEFAULT_HOURS, now = new Date()): Promise<DisplayStatsView> {
    const from = new Date(now.getTime() - hours * 3_600_000);
    return this.db.withTenant(principal.tenantId, async (tx) => {
      await findDisplay(tx, displayId);
      const [row] = await tx.$queryRaw<CountsRow[]>`
        SELECT ${COUNTS} FROM downlink.command_events e JOIN downlink.commands c ON c.id = e.command_id
         WHERE c.display_id = ${displayId}::uuid AND e.at > ${from}::timestamptz AND e.at <= ${now}::timestamptz`;
      return { displayId, from: from.toISOString(), to: now.toISOString(), ...countsOf(row) };
    });
  }

  /**
   * The gateways that serve the tenant's displays or carried their frames in the window: the
   * tenant's counts through each, and each gateway's airtime in the last hour (every tenant's
   * frames: the budget is the gateway's) against its budget per sub-band.
   */
  gatewayStats(principal: Principal, hours = DEFAULT_HOURS, now = new Date()): Promise<GatewaySignagePage> {
    const from = new Date(now.getTime() - hours * 3_600_000);
    return this.db.withTenant(principal.tenantId, async (tx) => {
      const counts = await tx.$queryRaw<Array<CountsRow & { gateway_id: string }>>`
        SELECT coalesce(e.detail->>'gatewayId', c.gateway_id) AS gateway_id, ${COUNTS}
          FROM downlink.command_events e JOIN downlink.commands c ON c.id = e.command_id
         WHERE e.at > ${from}::timestamptz AND e.at <= ${now}::timestamptz AND coalesce(e.detail->>'gatewayId', c.gateway_id) IS NOT NULL
         GROUP BY 1`;
      const served = await tx.$queryRaw<Array<{ gateway_id: string; displays: bigint }>>`
        SELECT gateway_id, count(*) AS displays FROM downlink.displays WHERE gateway_id IS NOT NULL GROUP BY gateway_id`;
      const gateways = [...new Set([...counts.map((row) => row.gateway_id), ...served.map((row) => row.gateway_id)])].sort();
      const airtime = await this.airtime(tx, gateways, now);
      const items = gateways.map((gatewayId) => ({
        gatewayId,
        displays: Number(served.find((row) => row.gateway_id === gatewayId)?.displays ?? 0),
        ...countsOf(counts.find((row) => row.gateway_id === gatewayId)),
        airtime: airtime.uses.filter((use) => use.gateway_id === gatewayId).map((use) => this.subBandView(use.sub_band, use.used_ms)),
        slowUntil: airtime.backoff.find((row) => row.gateway_id === gatewayId && row.slow_until > now)?.slow_until.toISOString() ?? null,
      }));
      return { from: from.toISOString(), to: now.toISOString(), items };
    });
  }

  private async airtime(tx: DownlinkTransaction, gateways: string[], now: Date) {
    if (gateways.length === 0) return { uses: [], backoff: [] };
    const since = new Date(now.getTime() - DUTY_CYCLE_WINDOW_MS);
    const uses = await tx.$queryRaw<Array<{ gateway_id: string; sub_band: string; used_ms: number }>>`
      SELECT gateway_id, sub_band, sum(airtime_ms)::float8 AS used_ms FROM downlink.airtime_uses
       WHERE gateway_id = ANY (${gateways}::text[]) AND at > ${since}::timestamptz AND at <= ${now}::timestamptz
       GROUP BY gateway_id, sub_band ORDER BY gateway_id, sub_band`;
    const backoff = await tx.$queryRaw<Array<{ gateway_id: string; slow_until: Date }>>`
      SELECT gateway_id, slow_until FROM downlink.gateway_backoff WHERE gateway_id = ANY (${gateways}::text[])`;
    return { uses, backoff };
  }

  private subBandView(name: string, usedMs: number) {
    const band = EU868_SUB_BANDS.find((candidate) => candidate.name === name);
    const budget = band ? new DutyCycleBudget({ dutyCycle: band.dutyCycle, headroom: this.sender.headroom }).budgetMs : 0;
    return { subBand: name, dutyCyclePercent: (band?.dutyCycle ?? 0) * 100, budgetMsPerHour: budget, usedMsLastHour: Math.round(usedMs * 10) / 10 };
  }
}
