import { Inject, Injectable } from '@nestjs/common';
import type { DeviceKeysBody, DeviceSyncView, Principal } from '@parking/contracts';
import { afterCommit, type TemplateSqlClient, type TenantDatabase } from '@parking/database';
import { DomainError } from '@parking/problem-details';
import { RAW_TENANT_DATABASE } from '@parking/service-runtime';
import { DeviceKeysVault } from '../secrets/sealed-secrets';
import { DEVICE_SYNC_COLUMNS, deviceSyncView, type DeviceSyncRow } from './device-sync-rows';
import { DeviceSyncWorker } from './device-sync.worker';

const UNKNOWN_DEVICE = (devEui: string) =>
  new DomainError('NOT_FOUND', `No device ${devEui} is registered in the tenant (a device registered a moment ago shows up here within seconds).`);

/** A device's standing in ChirpStack, and its OTAA keys (taken here, never answered). */
@Injectable()
export class DeviceSyncUseCase {
  constructor(
    @Inject(RAW_TENANT_DATABASE) private readonly db: TenantDatabase<TemplateSqlClient>,
    private readonly vault: DeviceKeysVault,
    private readonly worker: DeviceSyncWorker,
  ) {}

  view(principal: Principal, devEui: string): Promise<DeviceSyncView> {
    return this.db.withTenant(principal.tenantId, async (tx) => deviceSyncView(await this.find(tx, devEui)));
  }

  /** Stores the keys sealed and makes the device due: the worker sends them after the device itself. */
  setKeys(principal: Principal, devEui: string, keys: DeviceKeysBody): Promise<DeviceSyncView> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      const row = await this.find(tx, devEui);
      if (row.removed) throw UNKNOWN_DEVICE(devEui);
      const sealed = this.vault.seal(principal.tenantId, devEui, { nwkKey: keys.nwkKey, appKey: keys.appKey ?? '' });
      const [updated] = await tx.$queryRaw<DeviceSyncRow[]>`
        UPDATE chirpstack.devices
           SET keys_sealed = ${sealed}, keys_pending = true, status = 'pending', reason = NULL, attempts = 0, next_attempt_at = now(),
               generation = generation + 1, updated_at = now()
         WHERE dev_eui = ${devEui}
        RETURNING ${DEVICE_SYNC_COLUMNS}`;
      afterCommit(tx, () => this.worker.wake());
      return deviceSyncView(updated);
    });
  }

  private async find(tx: TemplateSqlClient, devEui: string): Promise<DeviceSyncRow> {
    const [row] = await tx.$queryRaw<DeviceSyncRow[]>`SELECT ${DEVICE_SYNC_COLUMNS} FROM chirpstack.devices WHERE dev_eui = ${devEui}`;
    if (!row) throw UNKNOWN_DEVICE(devEui);
    return row;
  }
}
