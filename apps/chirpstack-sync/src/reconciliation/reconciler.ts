import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ChirpStackDeviceListItem } from '@parking/chirpstack-records';
import {
  ChirpstackEvents,
  type DriftedField,
  type ReconciliationRunView,
} from '@parking/contracts';
import { afterCommit, type TemplateSqlClient, type TenantDatabase } from '@parking/database';
import { OutboxWriter } from '@parking/messaging';
import { DomainError } from '@parking/problem-details';
import { RAW_TENANT_DATABASE } from '@parking/service-runtime';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChirpStackClient } from '../chirpstack/chirpstack-client';
import { ChirpStackClients } from '../chirpstack/chirpstack-clients';
import { callErrorOf } from '../chirpstack/chirpstack-errors';
import { callTargetOf, type OpenedConnection } from '../connections/connection-rows';
import { ConnectionsUseCase } from '../connections/connections.use-case';
import { ProvisioningRefused, wantedDevice } from '../devices/device-provisioning';
import { DEVICE_SYNC_COLUMNS, type DeviceSyncRow } from '../devices/device-sync-rows';
import { DeviceSyncWorker } from '../devices/device-sync.worker';
import { GatewayReconciler } from './gateway-reconciler';
import { note, noCounts, runView, RUN_COLUMNS, type RunRow, type Tally } from './run-rows';
import { heldDrift, listedDrift } from './drift';

export const RECONCILIATION_OPTIONS = Symbol('RECONCILIATION_OPTIONS');
export interface ReconciliationOptions {
  /** How often every connection is reconciled (RECONCILE_INTERVAL_SECONDS). */
  intervalMs: number;
  /** Devices a run reads whole (Get) at most, the least recently read first ... */
  inspectMax: number;
  /** ... and the pause between two of those reads, so ChirpStack is not rushed. */
  inspectPaceMs: number;
  /** ChirpStack list page size. */
  pageSize: number;
  /** A run still `running` after this long died with its replica; another may start. */
  abandonedAfterMs: number;
  /** Off in tests that run reconciliations themselves. */
  autoStart?: boolean;
}

export const DEFAULT_RECONCILIATION_OPTIONS: ReconciliationOptions = Object.freeze({
  intervalMs: 300_000,
  inspectMax: 100,
  inspectPaceMs: 20,
  pageSize: 100,
  abandonedAfterMs: 15 * 60_000,
});

type Listed = ChirpStackDeviceListItem & { applicationId: string };

/** ChirpStack lists no more than this many devices of one application in a run. */
const LIST_MAX = 100_000;


/**
 * One reconciliation of one connection: pages through ChirpStack's devices in the connection's
 * applications and compares them with the devices of the registry in the connection.
 * - Ours and missing there: due for the sync worker again, which creates it.
 * - There and unknown here: an orphan, published once (chirpstack.device.orphan_found.v1).
 * - Ours in both: the list's fields are compared for every device, the rest (disabled, our id
 *   in its variables) by a paced, bounded number of Gets, least recently read first. Drift is
 *   set back in ChirpStack under platform-wins; under chirpstack-wins ChirpStack's name,
 *   description, tags and profile go to ingest (chirpstack.device.drift_adopted.v1), which owns
 *   the registry; otherwise it is reported.
 * The run is kept with its counts and findings, and published as
 * chirpstack.reconciliation.completed.v1.
 */
@Injectable()
export class Reconciler {
  private readonly logger = new Logger('Reconciler');

  constructor(
    @Inject(RAW_TENANT_DATABASE) private readonly db: TenantDatabase<TemplateSqlClient>,
    private readonly connections: ConnectionsUseCase,
    private readonly clients: ChirpStackClients,
    private readonly outbox: OutboxWriter,
    private readonly worker: DeviceSyncWorker,
    private readonly gateways: GatewayReconciler,
    @Inject(RECONCILIATION_OPTIONS) private readonly options: ReconciliationOptions,
  ) {}

  async run(tenantId: string, connectionId: string, trigger: 'schedule' | 'request'): Promise<ReconciliationRunView> {
    const { connection, runId } = await this.start(tenantId, connectionId, trigger);
    const tally: Tally = { counts: noCounts(), findings: [] };
    let error: string | null = null;
    try {
      await this.compare(connection, tally, runId);
    } catch (caught) {
      error = caught instanceof ProvisioningRefused ? caught.message : callErrorOf('reconciliation', caught).message;
      this.logger.warn(`reconciliation of connection ${connection.id} failed: ${error}`);
    }
    return this.finish(connection, runId, trigger, tally, error);
  }

  private start(tenantId: string, connectionId: string, trigger: 'schedule' | 'request'): Promise<{ connection: OpenedConnection; runId: string }> {
    return this.db.withTenant(tenantId, async (tx) => {
      const connection = await this.connections.open(tx, connectionId);
      await tx.$executeRaw`
        UPDATE chirpstack.reconciliation_runs SET status = 'failed', error = 'abandoned: the replica running it stopped', finished_at = now()
         WHERE connection_id = ${connectionId}::uuid AND status = 'running' AND created_at < now() - make_interval(secs => ${this.options.abandonedAfterMs / 1000}::double precision)`;
      const runId = randomUUID();
      const inserted = await tx.$queryRaw<Array<{ id: string }>>`
        INSERT INTO chirpstack.reconciliation_runs (id, tenant_id, connection_id, trigger, policy, status)
        VALUES (${runId}::uuid, ${tenantId}::uuid, ${connectionId}::uuid, ${trigger}, ${connection.drift_policy}, 'running')
        ON CONFLICT DO NOTHING RETURNING id`;
      if (inserted.length === 0) throw new DomainError('CONFLICT', `A reconciliation of connection ${connectionId} is running; its run will be in GET /api/v1/chirpstack/reconciliation-runs.`);
      return { connection, runId };
    });
  }

  private async compare(connection: OpenedConnection, tally: Tally, runId: string): Promise<void> {
    const client = this.clients.for(callTargetOf(connection));
    // The tenant's devices in any state: a devEUI of theirs is no orphan; those in this connection are compared.
    const devices = await this.db.withTenant(connection.tenant_id, (tx) =>
      tx.$queryRaw<Array<DeviceSyncRow & { inspected_at: Date | null }>>`SELECT ${DEVICE_SYNC_COLUMNS}, inspected_at FROM chirpstack.devices WHERE NOT removed`,
    );
    const ours = devices.filter((row) => row.connection_id === connection.id);
    const known = new Set(devices.map((row) => row.dev_eui));
    const applications = [...new Set([connection.application_id, ...ours.map((row) => row.application_id ?? connection.application_id)])];
    const listed = new Map<string, Listed>();
    for (const application of applications) for (const item of await this.listAll(client, application)) listed.set(item.devEui, item);
    tally.counts.inChirpstack = listed.size;
    tally.counts.inRegistry = ours.length;

    const toInspect: Array<{ row: DeviceSyncRow & { inspected_at: Date | null }; fields: DriftedField[] }> = [];
    for (const row of ours) {
      const item = listed.get(row.dev_eui);
      if (!item) {
        // Not yet created (pending, failed) is the worker's business; a synced device ChirpStack lost is made again.
        if (row.status === 'synced') {
          tally.counts.missing += 1;
          note(tally, { devEui: row.dev_eui, kind: 'missing', action: 'recreated' });
          await this.recreate(row);
        }
        continue;
      }
      if (row.status !== 'synced') continue;
      let wanted;
      try {
        wanted = wantedDevice(row, connection);
      } catch {
        continue;
      }
      toInspect.push({ row, fields: listedDrift(wanted, item) });
    }
    // Drift the list shows first, then the least recently read, within the budget.
    toInspect.sort((a, b) => Number(b.fields.length > 0) - Number(a.fields.length > 0) || time(a.row.inspected_at) - time(b.row.inspected_at));
    const inspected: string[] = [];
    for (const [index, { row, fields }] of toInspect.entries()) {
      const wanted = wantedDevice(row, connection);
      if (index < this.options.inspectMax) {
        if (index > 0 && this.options.inspectPaceMs > 0) await sleep(this.options.inspectPaceMs);
        const held = await client.getDevice(row.dev_eui);
        tally.counts.inspected += 1;
        fields.push(...heldDrift(wanted, held));
        inspected.push(row.dev_eui);
        if (fields.length > 0) await this.settleDrift(client, connection, tally, row, fields, { ...wanted, variables: { ...held.variables, ...wanted.variables } }, runId);
      } else if (fields.length > 0) {
        await this.settleDrift(client, connection, tally, row, fields, wanted, runId);
      }
    }
    await this.db.withTenant(connection.tenant_id, (tx) => tx.$executeRaw`UPDATE chirpstack.devices SET inspected_at = now() WHERE dev_eui = ANY (${inspected}::text[])`);

    for (const [devEui, item] of listed) {
      if (known.has(devEui)) continue;
      tally.counts.orphans += 1;
      note(tally, { devEui, kind: 'orphan', action: 'reported' });
      await this.reportOrphan(connection, item);
    }
    await this.forgetOrphansGone(connection, [...listed.keys()].filter((devEui) => !known.has(devEui)));
    await this.gateways.compare(client, connection, tally);
  }

  private async listAll(client: ChirpStackClient, applicationId: string): Promise<Listed[]> {
    const all: Listed[] = [];
    for (let offset = 0; offset < LIST_MAX; offset += this.options.pageSize) {
      const page = await client.listDevices(applicationId, { limit: this.options.pageSize, offset });
      all.push(...page.devices.map((device) => ({ ...device, applicationId })));
      if (page.devices.length < this.options.pageSize || all.length >= page.total) break;
    }
    return all;
  }

  private async settleDrift(client: ChirpStackClient, connection: OpenedConnection, tally: Tally, row: DeviceSyncRow, fields: DriftedField[], wanted: ReturnType<typeof wantedDevice>, runId: string): Promise<void> {
    tally.counts.drifted += 1;
    const devEui = row.dev_eui;
    if (connection.drift_policy === 'platform-wins') {
      await client.updateDevice(wanted);
      tally.counts.fixed += 1;
      note(tally, { devEui, kind: 'drift', action: 'fixed', fields });
      return;
    }
    const changes = connection.drift_policy === 'chirpstack-wins' ? adoptable(fields) : {};
    if (Object.keys(changes).length === 0) {
      note(tally, { devEui, kind: 'drift', action: 'reported', fields });
      return;
    }
    // Ingest owns the registry: it takes ChirpStack's values unless the device changed since this version.
    await this.db.withTenant(connection.tenant_id, (tx) =>
      this.outbox.append(tx, ChirpstackEvents.DeviceDriftAdoptedV1, {
        tenantId: connection.tenant_id,
        aggregateId: row.device_id,
        data: { tenantId: connection.tenant_id, deviceId: row.device_id, devEui, connectionId: connection.id, runId, deviceVersion: row.device_version, changes },
      }),
    );
    tally.counts.fixed += 1;
    note(tally, { devEui, kind: 'drift', action: 'adopted', fields });
  }

  /** The worker creates it again: the row goes due, as never synced. */
  private async recreate(row: DeviceSyncRow): Promise<void> {
    await this.db.withTenant(row.tenant_id, async (tx) => {
      await tx.$executeRaw`
        UPDATE chirpstack.devices
           SET status = 'pending', reason = 'missing in ChirpStack (found by reconciliation)', synced_version = NULL, attempts = 0,
               next_attempt_at = now(), generation = generation + 1, keys_pending = keys_sealed IS NOT NULL, updated_at = now()
         WHERE dev_eui = ${row.dev_eui} AND status = 'synced'`;
      afterCommit(tx, () => this.worker.wake());
    });
  }

  private async reportOrphan(connection: OpenedConnection, item: Listed): Promise<void> {
    await this.db.withTenant(connection.tenant_id, async (tx) => {
      const fresh = await tx.$queryRaw<Array<{ dev_eui: string }>>`
        INSERT INTO chirpstack.reported_orphans (tenant_id, connection_id, dev_eui) VALUES (${connection.tenant_id}::uuid, ${connection.id}::uuid, ${item.devEui})
        ON CONFLICT DO NOTHING RETURNING dev_eui`;
      if (fresh.length === 0) return;
      await this.outbox.append(tx, ChirpstackEvents.DeviceOrphanFoundV1, {
        tenantId: connection.tenant_id,
        aggregateId: item.devEui,
        data: {
          suggestedTenantId: connection.tenant_id,
          connectionId: connection.id,
          devEui: item.devEui,
          name: item.name,
          applicationId: item.applicationId,
          deviceProfileId: item.deviceProfileId,
          lastSeenAt: item.lastSeenAt ? item.lastSeenAt.toISOString() : null,
          foundAt: new Date().toISOString(),
        },
      });
    });
  }

  /** An orphan registered since, or gone from ChirpStack, may be reported again if it comes back. */
  private async forgetOrphansGone(connection: OpenedConnection, stillOrphans: string[]): Promise<void> {
    await this.db.withTenant(connection.tenant_id, (tx) => tx.$executeRaw`
      DELETE FROM chirpstack.reported_orphans WHERE connection_id = ${connection.id}::uuid AND NOT (dev_eui = ANY (${stillOrphans}::text[]))`);
  }


  private finish(connection: OpenedConnection, runId: string, trigger: 'schedule' | 'request', tally: Tally, error: string | null): Promise<ReconciliationRunView> {
    return this.db.withTenant(connection.tenant_id, async (tx) => {
      const [row] = await tx.$queryRaw<RunRow[]>`
        UPDATE chirpstack.reconciliation_runs
           SET status = ${error ? 'failed' : 'completed'}, counts = ${JSON.stringify(tally.counts)}::jsonb, findings = ${JSON.stringify(tally.findings)}::jsonb,
               error = ${error}, finished_at = now()
         WHERE id = ${runId}::uuid
        RETURNING ${RUN_COLUMNS}`;
      const view = runView(row);
      await this.outbox.append(tx, ChirpstackEvents.ReconciliationCompletedV1, {
        tenantId: connection.tenant_id,
        aggregateId: runId,
        data: {
          tenantId: connection.tenant_id,
          runId,
          connectionId: connection.id,
          trigger,
          policy: view.policy,
          outcome: error ? 'failed' : 'completed',
          error: error ? error.slice(0, 1000) : null,
          counts: tally.counts,
          startedAt: view.startedAt,
          finishedAt: view.finishedAt ?? new Date().toISOString(),
        },
      });
      return view;
    });
  }
}

const time = (at: Date | null): number => (at ? at.getTime() : 0);

/** ChirpStack's values of the drifted fields the registry has (the disabled flag and our id stay reports). */
function adoptable(fields: DriftedField[]): ChirpstackEvents.AdoptedDeviceFieldsV1 {
  const changes: ChirpstackEvents.AdoptedDeviceFieldsV1 = {};
  for (const { field, chirpstack } of fields) {
    if (field === 'name' && typeof chirpstack === 'string' && chirpstack.length > 0) changes.name = chirpstack.slice(0, 200);
    if (field === 'description' && typeof chirpstack === 'string') changes.description = chirpstack === '' ? null : chirpstack.slice(0, 500);
    if (field === 'tags' && typeof chirpstack === 'object' && chirpstack !== null) changes.tags = chirpstack as Record<string, string>;
    if (field === 'deviceProfileId' && typeof chirpstack === 'string' && chirpstack.length > 0) changes.chirpstackProfileId = chirpstack;
  }
  return changes;
}
