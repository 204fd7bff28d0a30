import { Inject, Injectable, Logger } from '@nestjs/common';
import type { TemplateSqlClient, TenantDatabase } from '@parking/database';
import { redeliveryDelay, type BackoffPolicy } from '@parking/messaging';
import { RAW_TENANT_DATABASE } from '@parking/service-runtime';
import { ChirpStackClients } from '../chirpstack/chirpstack-clients';
import { callErrorOf } from '../chirpstack/chirpstack-errors';
import { callTargetOf, type OpenedConnection } from '../connections/connection-rows';
import { ConnectionsUseCase, holdConnectionsOfTenant } from '../connections/connections.use-case';
import { DeviceKeysVault } from '../secrets/sealed-secrets';
import { deprovisionDevice, provisionDevice, provisionKeys, ProvisioningRefused, wantedDevice } from './device-provisioning';
import { DEVICE_SYNC_COLUMNS, type DeviceSyncRow } from './device-sync-rows';

export const DEVICE_SYNC_OPTIONS = Symbol('DEVICE_SYNC_OPTIONS');
export interface DeviceSyncOptions {
  /** The longest the worker sleeps when nothing woke it and no device is due sooner (a safety net). */
  pollMs: number;
  /** The wait before the n-th attempt after a failure. */
  backoff: BackoffPolicy;
  /** Devices claimed at a time, and attempted side by side. */
  batch: number;
  concurrency: number;
  /** How long a claim keeps other replicas off a device (longer than an attempt's calls take). */
  claimMs: number;
  /** Off in tests that drive `drain` themselves. */
  autoStart?: boolean;
}

export const DEFAULT_DEVICE_SYNC_OPTIONS: DeviceSyncOptions = Object.freeze({
  pollMs: 30_000,
  backoff: { initialMs: 2_000, factor: 2, maxMs: 300_000 },
  batch: 50,
  concurrency: 4,
  claimMs: 60_000,
});

const NO_CONNECTION = 'Waiting for a ChirpStack connection: add one with POST /api/v1/chirpstack/connections.';

/** What one attempt came to. */
type Attempt =
  | { done: true; connectionId: string; keysSent: boolean }
  // A failed attempt leaves connection_id as it was: it names where the device is, and a device not yet anywhere may still go elsewhere.
  | { done: false; connectionId: string | null; status: 'pending' | 'failed'; reason: string; retry: boolean };

/**
 * One attempt to bring ChirpStack to a device's wanted state. The call happens outside any
 * transaction; the outcome settles the row only if no newer change arrived meanwhile (its
 * generation), else the device is due again at once. ChirpStack out of reach (unavailable,
 * deadline, circuit open) leaves the device pending; anything else is `failed` with the reason.
 * Both are tried again with backoff.
 */
@Injectable()
export class DeviceSync {
  private readonly logger = new Logger('DeviceSync');

  constructor(
    @Inject(RAW_TENANT_DATABASE) private readonly db: TenantDatabase<TemplateSqlClient>,
    private readonly connections: ConnectionsUseCase,
    private readonly clients: ChirpStackClients,
    private readonly vault: DeviceKeysVault,
    @Inject(DEVICE_SYNC_OPTIONS) private readonly options: DeviceSyncOptions,
  ) {}

  async attempt(tenantId: string, devEui: string): Promise<void> {
    const found = await this.db.withTenant(tenantId, async (tx) => {
      const [row] = await tx.$queryRaw<DeviceSyncRow[]>`SELECT ${DEVICE_SYNC_COLUMNS} FROM chirpstack.devices WHERE dev_eui = ${devEui}`;
      if (!row || row.next_attempt_at === null) return null;
      await holdConnectionsOfTenant(tx);
      const connection = await this.connections.openForDevice(tx, row);
      // No connection: the device waits for one, recorded under the same hold (see holdConnectionsOfTenant).
      if (!connection) await this.settleIn(tx, row, { done: false, connectionId: null, status: 'pending', reason: NO_CONNECTION, retry: false });
      return connection ? { row, connection } : null;
    });
    if (!found) return;
    await this.settle(found.row, await this.bring(found.row, found.connection));
  }

  private async bring(row: DeviceSyncRow, connection: OpenedConnection): Promise<Attempt> {
    const client = this.clients.for(callTargetOf(connection));
    try {
      if (row.removed) {
        await deprovisionDevice(client, row);
        return { done: true, connectionId: connection.id, keysSent: false };
      }
      await provisionDevice(client, row, wantedDevice(row, connection));
      const keysSent = row.keys_pending && row.keys_sealed !== null;
      if (keysSent) await provisionKeys(client, row.dev_eui, this.vault.open(row.tenant_id, row.dev_eui, row.keys_sealed as string));
      return { done: true, connectionId: connection.id, keysSent };
    } catch (caught) {
      if (caught instanceof ProvisioningRefused) return { done: false, connectionId: connection.id, status: 'failed', reason: caught.message, retry: true };
      const error = callErrorOf('DeviceService', caught);
      const reachable = !(error.transient || error.failure === 'circuit_open');
      // The connection is named, never its token. An outage would log every device at every retry: the call metrics count those.
      if (reachable) this.logger.warn(`device ${row.dev_eui} (connection ${connection.id}): ${error.message}`);
      else this.logger.debug(`device ${row.dev_eui} (connection ${connection.id}): ${error.message}`);
      return { done: false, connectionId: connection.id, status: reachable ? 'failed' : 'pending', reason: error.message, retry: true };
    }
  }

  private settle(row: DeviceSyncRow, outcome: Attempt): Promise<void> {
    return this.db.withTenant(row.tenant_id, (tx) => this.settleIn(tx, row, outcome));
  }

  private async settleIn(tx: TemplateSqlClient, row: DeviceSyncRow, outcome: Attempt): Promise<void> {
    if (outcome.done) {
      await tx.$executeRaw`
        UPDATE chirpstack.devices
           SET status = CASE WHEN generation = ${row.generation}::int THEN 'synced' ELSE 'pending' END,
               next_attempt_at = CASE WHEN generation = ${row.generation}::int THEN NULL ELSE now() END,
               reason = NULL, attempts = 0, last_attempt_at = now(), claimed_until = NULL, synced_at = now(),
               connection_id = ${outcome.connectionId}::uuid,
               synced_version = CASE WHEN device_id = ${row.device_id}::uuid THEN ${row.device_version}::int ELSE synced_version END,
               keys_pending = keys_pending AND NOT (${outcome.keysSent} AND generation = ${row.generation}::int),
               keys_synced_at = CASE WHEN ${outcome.keysSent} AND generation = ${row.generation}::int THEN now() ELSE keys_synced_at END,
               updated_at = now()
         WHERE dev_eui = ${row.dev_eui}`;
      return;
    }
    const delayMs = outcome.retry ? redeliveryDelay(row.attempts + 1, this.options.backoff) : null;
    await tx.$executeRaw`
      UPDATE chirpstack.devices
         SET status = CASE WHEN generation = ${row.generation}::int THEN ${outcome.status} ELSE 'pending' END,
             reason = CASE WHEN generation = ${row.generation}::int THEN ${outcome.reason} END,
             attempts = CASE WHEN generation = ${row.generation}::int THEN attempts + ${outcome.connectionId ? 1 : 0} ELSE 0 END,
             next_attempt_at = CASE WHEN generation <> ${row.generation}::int THEN now()
                                    WHEN ${delayMs}::int IS NULL THEN NULL
                                    ELSE now() + make_interval(secs => ${delayMs}::int / 1000.0) END,
             last_attempt_at = now(), claimed_until = NULL, updated_at = now()
       WHERE dev_eui = ${row.dev_eui}`;
  }
}
