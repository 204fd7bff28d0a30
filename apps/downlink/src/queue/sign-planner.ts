import { Injectable } from '@nestjs/common';
import type { DisplayWish, SignagePolicyLayer, SpaceState, SpaceType } from '@parking/contracts';
import type { DownlinkTransaction } from '@parking/downlink/data-access';
import { countWishFor, lightWishFor, policyOf } from '@parking/downlink/signage';
import { CommandQueue, type EnqueueOutcome } from './command-queue';

interface BoundDisplay {
  id: string;
  site_id: string;
  target_kind: 'space' | 'zone' | 'site';
  target_id: string;
  arrow: 'none' | 'left' | 'right' | 'up' | 'down';
  override_wish: DisplayWish | null;
  override_expires_at: Date | null;
  /** The space's state and type (a bay light), or the scope's free count (a count sign); null when not known yet. */
  state: SpaceState | null;
  type: SpaceType | null;
  free: number | null;
}

/**
 * Decides what each display should show and hands it to the queue: an unexpired override as
 * it was set; else, for a bay light, its space's state in the policy's colours (the space
 * type's first); for a count sign, its zone's or site's free count after the offset, FULL at
 * the threshold. The policy is the default under the tenant's under the site's.
 */
@Injectable()
export class SignPlanner {
  constructor(private readonly queue: CommandQueue) {}

  /** The displays over some spaces, after their states or types changed: one query however many (most have none). */
  planSpaces(tx: DownlinkTransaction, spaceIds: readonly string[], now = new Date()): Promise<EnqueueOutcome[]> {
    return this.plan(tx, `d.target_kind = 'space' AND d.target_id = ANY($1::uuid[])`, spaceIds, 'state', now);
  }

  /** The count signs over a zone or a site, after its free count changed. */
  planScope(tx: DownlinkTransaction, scopeId: string, now = new Date()): Promise<EnqueueOutcome[]> {
    return this.plan(tx, `d.target_kind IN ('zone', 'site') AND d.target_id = $1::uuid`, scopeId, 'state', now);
  }

  /** One display, after it was bound, its override set or expired, or for a periodic refresh. */
  planDisplay(tx: DownlinkTransaction, displayId: string, priority: 'state' | 'refresh' = 'state', now = new Date()): Promise<EnqueueOutcome[]> {
    return this.plan(tx, `d.id = $1::uuid`, displayId, priority, now);
  }

  private async plan(tx: DownlinkTransaction, where: string, id: string | readonly string[], priority: 'state' | 'refresh', now: Date): Promise<EnqueueOutcome[]> {
    const displays = await tx.$queryRawUnsafe<BoundDisplay[]>(
      `SELECT d.id, d.site_id, d.target_kind, d.target_id, d.arrow, d.override_wish, d.override_expires_at,
              s.state, s.type, a.free
         FROM downlink.displays d
         LEFT JOIN downlink.spaces s ON d.target_kind = 'space' AND s.id = d.target_id AND NOT s.removed
         LEFT JOIN downlink.availability a ON d.target_kind <> 'space' AND a.tenant_id = d.tenant_id AND a.scope_id = d.target_id
        WHERE ${where}
        ORDER BY d.id`,
      id,
    );
    const outcomes: EnqueueOutcome[] = [];
    const policies = new Map<string, Awaited<ReturnType<SignPlanner['policyFor']>>>();
    for (const display of displays) {
      if (display.override_wish && display.override_expires_at && display.override_expires_at > now) {
        outcomes.push(await this.queue.enqueue(tx, display.id, display.override_wish, priority === 'refresh' ? 'refresh' : 'override', now));
        continue;
      }
      if (!policies.has(display.site_id)) policies.set(display.site_id, await this.policyFor(tx, display.site_id));
      const rules = policies.get(display.site_id) as ReturnType<typeof policyOf>;
      const wish =
        display.target_kind === 'space' ? lightWishFor(rules, display.state ?? 'unknown', display.type ?? undefined) : countWishFor(rules, display.free, display.arrow);
      outcomes.push(await this.queue.enqueue(tx, display.id, wish, priority, now));
    }
    return outcomes;
  }

  private async policyFor(tx: DownlinkTransaction, siteId: string) {
    const layers = await tx.$queryRaw<Array<{ site_id: string | null; rules: SignagePolicyLayer }>>`
      SELECT site_id, rules FROM downlink.policies WHERE site_id IS NULL OR site_id = ${siteId}::uuid`;
    return policyOf(layers.find((l) => l.site_id === null)?.rules, layers.find((l) => l.site_id !== null)?.rules);
  }
}
