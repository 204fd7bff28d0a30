import { Inject, Injectable } from '@nestjs/common';
import type { Principal, SignagePolicyBody, SignagePolicyLayer, SignagePolicyView } from '@parking/contracts';
import type { DownlinkDatabase, DownlinkTransaction } from '@parking/downlink/data-access';
import { policyOf } from '@parking/downlink/signage';
import { DomainError } from '@parking/problem-details';
import { TENANT_DATABASE } from '@parking/service-runtime';
import { randomUUID } from 'node:crypto';
import { SignPlanner } from '../queue/sign-planner';
import { siteOfPlace } from './display-rows';

interface PolicyRow {
  site_id: string | null;
  rules: SignagePolicyLayer;
  version: number;
}

/**
 * Signage policies: the tenant's layer and each site's, over the default. Replacing one plans
 * every display it governs again (the tenant's: all of them; a site's: the site's), so signs
 * follow a new colour within moments; a display already showing the result is not sent to.
 */
@Injectable()
export class PoliciesUseCase {
  constructor(
    @Inject(TENANT_DATABASE) private readonly db: DownlinkDatabase,
    private readonly planner: SignPlanner,
  ) {}

  get(principal: Principal, siteId: string | undefined): Promise<SignagePolicyView> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      if (siteId) await siteOfPlace(tx, 'site', siteId);
      return this.view(tx, siteId ?? null);
    });
  }

  put(principal: Principal, siteId: string | undefined, body: SignagePolicyBody): Promise<SignagePolicyView> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      if (siteId) await siteOfPlace(tx, 'site', siteId);
      const { version: expected, ...layer } = body;
      const rules = plain(layer);
      const current = await this.layer(tx, siteId ?? null, true);
      const version = current?.version ?? 0;
      if (expected !== undefined && expected !== version) {
        throw new DomainError('CONFLICT', `The policy is at version ${version}, not ${expected}; read it again and retry.`, { version });
      }
      if (current) {
        await tx.$executeRaw`UPDATE downlink.policies SET rules = ${JSON.stringify(rules)}::jsonb, version = version + 1, updated_at = now()
                              WHERE site_id IS NOT DISTINCT FROM ${siteId ?? null}::uuid`;
      } else {
        const inserted = await tx.$executeRaw`
          INSERT INTO downlink.policies (id, tenant_id, site_id, rules) VALUES (${randomUUID()}::uuid, ${principal.tenantId}::uuid, ${siteId ?? null}::uuid, ${JSON.stringify(rules)}::jsonb)
          ON CONFLICT DO NOTHING`;
        if (inserted === 0) throw new DomainError('CONFLICT', 'The policy was set by another request meanwhile; read it again and retry.', { version: 1 });
      }
      const governed = await tx.$queryRaw<Array<{ id: string }>>`
        SELECT id FROM downlink.displays WHERE ${siteId ?? null}::uuid IS NULL OR site_id = ${siteId ?? null}::uuid ORDER BY id`;
      for (const display of governed) await this.planner.planDisplay(tx, display.id);
      return this.view(tx, siteId ?? null);
    });
  }

  private async view(tx: DownlinkTransaction, siteId: string | null): Promise<SignagePolicyView> {
    const own = await this.layer(tx, siteId);
    const tenant = siteId ? await this.layer(tx, null) : own;
    return { siteId, rules: own?.rules ?? {}, effective: policyOf(tenant?.rules, siteId ? own?.rules : undefined), version: own?.version ?? 0 };
  }

  private async layer(tx: DownlinkTransaction, siteId: string | null, forUpdate = false): Promise<PolicyRow | undefined> {
    const rows = forUpdate
      ? await tx.$queryRaw<PolicyRow[]>`SELECT site_id, rules, version FROM downlink.policies WHERE site_id IS NOT DISTINCT FROM ${siteId}::uuid FOR UPDATE`
      : await tx.$queryRaw<PolicyRow[]>`SELECT site_id, rules, version FROM downlink.policies WHERE site_id IS NOT DISTINCT FROM ${siteId}::uuid`;
    return rows[0];
  }
}

/** The layer as stored: plain JSON without the absent parts (class instances carry undefined fields). */
function plain(layer: SignagePolicyLayer): SignagePolicyLayer {
  return JSON.parse(JSON.stringify(layer)) as SignagePolicyLayer;
}
