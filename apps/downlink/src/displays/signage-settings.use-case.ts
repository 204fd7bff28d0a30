import { Inject, Injectable } from '@nestjs/common';
import type { Principal, SignageSettingsBody, SignageSettingsView } from '@parking/contracts';
import type { DownlinkDatabase } from '@parking/downlink/data-access';
import { DomainError } from '@parking/problem-details';
import { TENANT_DATABASE } from '@parking/service-runtime';
import { QUEUE_OPTIONS, type QueueOptions } from '../queue/command-queue';

/** A tenant's signage settings: the RX2 data rate its network sends class C frames at (frames queued from then on count their airtime at it). */
@Injectable()
export class SignageSettingsUseCase {
  constructor(
    @Inject(TENANT_DATABASE) private readonly db: DownlinkDatabase,
    @Inject(QUEUE_OPTIONS) private readonly queue: QueueOptions,
  ) {}

  get(principal: Principal): Promise<SignageSettingsView> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      const [row] = await tx.$queryRaw<Array<{ rx2_data_rate: number | null; version: number }>>`SELECT rx2_data_rate, version FROM downlink.tenant_settings`;
      return this.view(row);
    });
  }

  put(principal: Principal, body: SignageSettingsBody): Promise<SignageSettingsView> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      const [current] = await tx.$queryRaw<Array<{ version: number }>>`SELECT version FROM downlink.tenant_settings FOR UPDATE`;
      const version = current?.version ?? 0;
      if (body.version !== undefined && body.version !== version) {
        throw new DomainError('CONFLICT', `The settings are at version ${version}, not ${body.version}; read them again and retry.`, { version });
      }
      const [row] = await tx.$queryRaw<Array<{ rx2_data_rate: number | null; version: number }>>`
        INSERT INTO downlink.tenant_settings AS s (tenant_id, rx2_data_rate) VALUES (${principal.tenantId}::uuid, ${body.rx2DataRate ?? null}::int)
        ON CONFLICT (tenant_id) DO UPDATE SET rx2_data_rate = EXCLUDED.rx2_data_rate, version = s.version + 1, updated_at = now()
        RETURNING rx2_data_rate, version`;
      return this.view(row);
    });
  }

  private view(row: { rx2_data_rate: number | null; version: number } | undefined): SignageSettingsView {
    const own = row?.rx2_data_rate ?? null;
    return { rx2DataRate: own ?? this.queue.rx2DataRate, source: own === null ? 'platform' : 'tenant', version: row?.version ?? 0 };
  }
}
