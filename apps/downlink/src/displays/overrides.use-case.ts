import { Inject, Injectable, Optional } from '@nestjs/common';
import { OVERRIDE_MAX_DAYS, type BulkOverrideAnswer, type DisplayView, type DisplayWish, type OverrideBody, type Principal } from '@parking/contracts';
import { Prisma, type DownlinkDatabase, type DownlinkTransaction } from '@parking/downlink/data-access';
import { DisplayCodecError, displayCodecById } from '@parking/downlink/signage';
import { ValidationFailedError } from '@parking/problem-details';
import { TENANT_DATABASE } from '@parking/service-runtime';
import { OverrideExpiry } from '../queue/override-expiry';
import { SignPlanner } from '../queue/sign-planner';
import { displayView, findDisplay, siteOfPlace, type DisplayRow } from './display-rows';

type Scope = 'zone' | 'site';

/**
 * Manual overrides: a display shows what the operator set, with a reason, until it expires
 * (OverrideExpiry then hands it back to the policy, woken for that moment once the override commits). Set on one display, or on every display of
 * a zone (its count signs and its spaces' bay lights, nested zones included) or of a site.
 */
@Injectable()
export class OverridesUseCase {
  constructor(
    @Inject(TENANT_DATABASE) private readonly db: DownlinkDatabase,
    private readonly planner: SignPlanner,
    @Optional() private readonly expiry?: OverrideExpiry,
  ) {}

  async set(principal: Principal, displayId: string, body: OverrideBody, now = new Date()): Promise<DisplayView> {
    const expiresAt = expiryOf(body, now);
    const view = await this.db.withTenant(principal.tenantId, async (tx) => {
      const display = await findDisplay(tx, displayId, true);
      await this.apply(tx, principal, display, body, expiresAt, now);
      return displayView(await findDisplay(tx, displayId));
    });
    this.expiry?.expireBy(expiresAt);
    return view;
  }

  clear(principal: Principal, displayId: string, now = new Date()): Promise<DisplayView> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      await findDisplay(tx, displayId, true);
      await this.release(tx, displayId, now);
      return displayView(await findDisplay(tx, displayId));
    });
  }

  async setAll(principal: Principal, scope: Scope, scopeId: string, body: OverrideBody, now = new Date()): Promise<BulkOverrideAnswer> {
    const expiresAt = expiryOf(body, now);
    const answer = await this.db.withTenant(principal.tenantId, async (tx) => {
      const displays = await this.displaysOf(tx, scope, scopeId);
      for (const display of displays) await this.apply(tx, principal, display, body, expiresAt, now);
      return { displays: displays.length };
    });
    this.expiry?.expireBy(expiresAt);
    return answer;
  }

  clearAll(principal: Principal, scope: Scope, scopeId: string, now = new Date()): Promise<BulkOverrideAnswer> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      const displays = (await this.displaysOf(tx, scope, scopeId)).filter((display) => display.override_wish !== null);
      for (const display of displays) await this.release(tx, display.id, now);
      return { displays: displays.length };
    });
  }

  private async apply(tx: DownlinkTransaction, principal: Principal, display: DisplayRow, body: OverrideBody, expiresAt: Date, now: Date): Promise<void> {
    const wish = wishOf(display, body);
    try {
      displayCodecById(display.codec)?.encode(wish);
    } catch (error) {
      if (error instanceof DisplayCodecError) throw new ValidationFailedError([{ field: fieldOf(error), message: `display ${display.id} cannot show it: ${error.message}` }]);
      throw error;
    }
    await tx.$executeRaw`
      UPDATE downlink.displays
         SET override_wish = ${JSON.stringify(wish)}::jsonb, override_reason = ${body.reason}, override_expires_at = ${expiresAt}::timestamptz,
             override_by = ${principal.actor}, version = version + 1, updated_at = ${now}::timestamptz
       WHERE id = ${display.id}::uuid`;
    await this.planner.planDisplay(tx, display.id, 'state', now);
  }

  private async release(tx: DownlinkTransaction, displayId: string, now: Date): Promise<void> {
    const cleared = await tx.$executeRaw`
      UPDATE downlink.displays SET override_wish = NULL, override_reason = NULL, override_expires_at = NULL, override_by = NULL,
             version = version + 1, updated_at = ${now}::timestamptz
       WHERE id = ${displayId}::uuid AND override_wish IS NOT NULL`;
    if (cleared > 0) await this.planner.planDisplay(tx, displayId, 'state', now);
  }

  /** The displays of a zone (with its nested zones) or a site, locked in id order; 404 for a scope this tenant does not have. */
  private async displaysOf(tx: DownlinkTransaction, scope: Scope, scopeId: string): Promise<DisplayRow[]> {
    await siteOfPlace(tx, scope, scopeId);
    if (scope === 'site') {
      return tx.$queryRaw<DisplayRow[]>`SELECT d.id, d.codec, d.target_kind, d.arrow, d.override_wish FROM downlink.displays d WHERE d.site_id = ${scopeId}::uuid ORDER BY d.id FOR UPDATE`;
    }
    const zones = Prisma.sql`SELECT z.id FROM downlink.zones z WHERE z.path @> ARRAY[${scopeId}::uuid] AND NOT z.removed`;
    return tx.$queryRaw<DisplayRow[]>`
      SELECT d.id, d.codec, d.target_kind, d.arrow, d.override_wish FROM downlink.displays d
       WHERE (d.target_kind = 'zone' AND d.target_id IN (${zones}))
          OR (d.target_kind = 'space' AND d.target_id IN (SELECT s.id FROM downlink.spaces s WHERE s.zone_id IN (${zones})))
       ORDER BY d.id FOR UPDATE`;
  }
}

/** The override's end, or 400 when it is past or too far ahead. */
function expiryOf(body: OverrideBody, now: Date): Date {
  const expiresAt = new Date(body.expiresAt);
  if (expiresAt <= now) throw new ValidationFailedError([{ field: 'expiresAt', message: `expiresAt must be in the future (it is now ${now.toISOString()})` }]);
  if (expiresAt.getTime() - now.getTime() > OVERRIDE_MAX_DAYS * 86_400_000) {
    throw new ValidationFailedError([{ field: 'expiresAt', message: `expiresAt must be at most ${OVERRIDE_MAX_DAYS} days ahead` }]);
  }
  return expiresAt;
}

/** A bay light shows the colour as it blinks; a count sign also the count and text. */
function wishOf(display: Pick<DisplayRow, 'target_kind' | 'arrow'>, body: OverrideBody): DisplayWish {
  const colour = { red: body.colour.red, green: body.colour.green, blue: body.colour.blue };
  const blink = body.blink ?? 'steady';
  if (display.target_kind === 'space') return { kind: 'light', colour, blink };
  return { kind: 'count', count: body.count ?? null, text: body.text ?? '', arrow: display.arrow, colour, blink };
}

/** The field a codec's refusal is about. */
function fieldOf(error: DisplayCodecError): keyof OverrideBody {
  const detail = error.message.slice(error.codecId.length + 2);
  return detail.startsWith('text') ? 'text' : detail.startsWith('count') ? 'count' : 'colour';
}
