import { InjectConfig } from '@parking/config';
import { Optional, Inject, Injectable } from '@nestjs/common';
import { type PlanId, DEVICE_IMPORTS_PER_MINUTE, ImportDevicesResponse, ImportRowProblem, IngestEvents, Principal } from '@parking/contracts';
import { IngestDatabase } from '@parking/ingest/data-access';
import { OutboxWriter } from '@parking/messaging';
import { DomainError } from '@parking/problem-details';
import { assertWithinDeviceLimit, lockTenantDevices } from '../tenant-limits/device-limit';
import { defaultTenantPlanOf, type DataServiceConfig, TENANT_DATABASE, requirePermission } from '@parking/service-runtime';
import { announceMany } from './device-events';
import { checkNewDevice, DeviceFields } from './device-fields';
import { claimedElsewhere, insertDevices } from './device-store';
import { csvRows, ImportRow, ImportShapeError, jsonRows } from './import-rows';

/** A 422 lists at most this many problems (and says how many there are). */
const PROBLEMS_LISTED = 1_000;

export type ImportSource = { format: 'csv'; text: string } | { format: 'json'; devices: unknown };

interface CheckedRow {
  row: ImportRow;
  fields: DeviceFields;
}

function where(row: ImportRow): string {
  return 'line' in row.position ? `line ${row.position.line}` : `devices[${row.position.index}]`;
}

/**
 * `unavailable`: rows whose devEUI another tenant holds, or another tenant's integration sends
 * (a platform admin must approve those). They are counted, never listed: an import tells no
 * more about other tenants than a registration, which answers one devEUI at a time.
 */
function rowsRejected(problems: ImportRowProblem[], rows: number, unavailable: number): DomainError {
  const badRows = new Set(problems.map((p) => p.line ?? p.index)).size;
  const fix = badRows > 0 ? 'fix the rows listed in "rows"' : 'leave those devices out';
  const hidden =
    unavailable === 0
      ? ''
      : ` ${unavailable} ${unavailable === 1 ? 'row names a devEUI' : 'rows name devEUIs'} this tenant cannot register: registered in another tenant, or sent by another tenant's integration and waiting for a platform admin's approval. ` +
        'Which rows is not said; register those devices one at a time to learn why.';
  return rejected(problems, `${badRows + unavailable} of ${rows} rows cannot be imported, so none was: ${fix} and send the whole file again.${hidden}`, unavailable);
}

function rejected(problems: ImportRowProblem[], detail: string, unavailable = 0): DomainError {
  const listed = problems.slice(0, PROBLEMS_LISTED);
  const errors = listed.map((p) => ({
    field: `${p.line !== undefined ? `line ${p.line}` : `devices[${p.index}]`}${p.field ? `.${p.field}` : ''}`,
    message: p.message,
  }));
  if (unavailable > 0) errors.push({ field: 'devices', message: `${unavailable} ${unavailable === 1 ? 'row names a devEUI' : 'rows name devEUIs'} this tenant cannot register` });
  return new DomainError(
    'IMPORT_REJECTED',
    detail,
    {
      rows: listed,
      ...(unavailable > 0 ? { unavailable } : {}),
      ...(problems.length > listed.length ? { moreProblems: problems.length - listed.length } : {}),
    },
    { errors },
  );
}

/**
 * Imports many devices all or nothing: every row is checked (fields, duplicates within the
 * file, devEUIs registered anywhere or claimed by another tenant's integration), and one bad
 * row rejects the whole file with each problem by line (CSV) or index (JSON), but for rows
 * another tenant holds, which are only counted. Otherwise every row is registered in one
 * transaction, within the tenant's device limit, each with its registered event. A tenant
 * starts at most DEVICE_IMPORTS_PER_MINUTE imports a minute.
 */
@Injectable()
export class DeviceImportUseCase {
  /** DEFAULT_TENANT_PLAN: the limits of a tenant whose own this service has not heard yet. */
  private readonly defaultPlan: PlanId;

  constructor(
    @Inject(TENANT_DATABASE) private readonly db: IngestDatabase,
    private readonly outbox: OutboxWriter,
    @Optional() @InjectConfig() config?: DataServiceConfig,
  ) {
    this.defaultPlan = defaultTenantPlanOf(config);
  }

  async execute(principal: Principal, source: ImportSource): Promise<ImportDevicesResponse> {
    requirePermission(principal, 'devices:write');
    await this.throttle(principal.tenantId);
    let rows: ImportRow[];
    try {
      rows = source.format === 'csv' ? csvRows(source.text) : jsonRows(source.devices);
    } catch (error) {
      if (error instanceof ImportShapeError) throw rejected(error.problems, 'The file cannot be read as a device import, so nothing was imported: fix the problems listed in "rows".');
      throw error;
    }
    const problems: ImportRowProblem[] = [];
    const report = (row: ImportRow, field: string, message: string, devEui?: string) =>
      problems.push({ ...row.position, ...(devEui ? { devEui } : {}), field, message });
    const checked: CheckedRow[] = [];
    const firstSeen = new Map<string, ImportRow>();
    for (const row of rows) {
      if (row.problems.length > 0) {
        row.problems.forEach((p) => report(row, p.field, p.message));
        continue;
      }
      const { fields, devEui, errors } = checkNewDevice(row.body);
      errors.forEach((e) => report(row, e.field, e.message, devEui));
      if (!devEui) continue;
      const earlier = firstSeen.get(devEui);
      if (earlier) {
        report(row, 'devEui', `appears twice in this import (first at ${where(earlier)})`, devEui);
        continue;
      }
      firstSeen.set(devEui, row);
      if (fields) checked.push({ row, fields });
    }

    const tenantId = principal.tenantId;
    return this.db.withTenant(tenantId, async (tx) => {
      await lockTenantDevices(tx, tenantId);
      const now = new Date();
      // Inserted even when other rows are bad, to learn which devEUIs are taken; the throw below rolls it all back.
      const inserted = await insertDevices(tx, tenantId, checked.map((c) => c.fields), now);
      const taken = checked.map((c) => c.fields.devEui).filter((devEui) => !inserted.has(devEui));
      // RLS shows this tenant's own devices only: those rows it may be told about.
      const own = new Set(taken.length === 0 ? [] : (await tx.device.findMany({ where: { devEui: { in: taken } }, select: { devEui: true } })).map((d) => d.devEui));
      const claimed = await claimedElsewhere(tx, tenantId, [...inserted.keys()]);
      let unavailable = 0;
      for (const { row, fields } of checked) {
        if (own.has(fields.devEui)) report(row, 'devEui', 'is registered in this tenant already', fields.devEui);
        else if (!inserted.has(fields.devEui) || claimed.has(fields.devEui)) unavailable++;
      }
      if (problems.length > 0 || unavailable > 0) {
        problems.sort((a, b) => (a.line ?? a.index ?? 0) - (b.line ?? b.index ?? 0));
        throw rowsRejected(problems, rows.length, unavailable);
      }
      await assertWithinDeviceLimit(tx, tenantId, inserted.size, this.defaultPlan);
      // Announced from what was inserted: reading thousands of rows back would cost seconds.
      const registered = checked.map(({ fields }) => ({ ...fields, id: inserted.get(fields.devEui) as string, tenantId, version: 1 }));
      await announceMany(this.outbox, tx, IngestEvents.DeviceRegisteredV1, registered, now);
      const devEuis = checked.map((c) => c.fields.devEui);
      return { imported: devEuis.length, devEuis };
    });
  }

  /**
   * Counts the import in the tenant's window (a minute from its first import) in a transaction
   * of its own, so that an import refused later still counts; refuses past the limit. In
   * ingest's database rather than the gateway's counters: it holds across every gateway
   * replica with or without Redis, and for any caller of the RPC.
   */
  private async throttle(tenantId: string): Promise<void> {
    const [window] = await this.db.withTenant(tenantId, (tx) =>
      tx.$queryRaw<Array<{ imports: number; retry_after: number }>>`
        INSERT INTO ingest.device_import_windows AS w (tenant_id, window_start, imports) VALUES (${tenantId}::uuid, now(), 1)
        ON CONFLICT (tenant_id) DO UPDATE SET
          imports = CASE WHEN w.window_start > now() - interval '1 minute' THEN w.imports + 1 ELSE 1 END,
          window_start = CASE WHEN w.window_start > now() - interval '1 minute' THEN w.window_start ELSE now() END
        RETURNING w.imports, ceil(extract(epoch FROM w.window_start + interval '1 minute' - now()))::int AS retry_after`,
    );
    if (window.imports <= DEVICE_IMPORTS_PER_MINUTE) return;
    const retryAfterSeconds = Math.min(60, Math.max(1, window.retry_after));
    throw new DomainError(
      'RATE_LIMITED',
      `This tenant started ${DEVICE_IMPORTS_PER_MINUTE} device imports within a minute, the most it may; retry in ${retryAfterSeconds} s. Registering single devices is not limited by this.`,
      { limit: DEVICE_IMPORTS_PER_MINUTE, retryAfterSeconds },
    );
  }
}
