import { Inject, Injectable } from '@nestjs/common';
import { ImportDevicesResponse, ImportRowProblem, IngestEvents, Principal } from '@parking/contracts';
import { IngestDatabase } from '@parking/ingest/data-access';
import { OutboxWriter } from '@parking/messaging';
import { DomainError } from '@parking/problem-details';
import { TENANT_DATABASE } from '@parking/service-runtime';
import { assertWithinDeviceLimit, lockTenantDevices } from '../tenant-limits/device-limit';
import { requirePermission } from '@parking/service-runtime';
import { announceMany } from './device-events';
import { checkNewDevice, DeviceFields } from './device-fields';
import { insertDevices } from './device-store';
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

function rowsRejected(problems: ImportRowProblem[], rows: number): DomainError {
  const badRows = new Set(problems.map((p) => p.line ?? p.index)).size;
  return rejected(problems, `${badRows} of ${rows} rows cannot be imported, so none was: fix the rows listed in "rows" and send the whole file again.`);
}

function rejected(problems: ImportRowProblem[], detail: string): DomainError {
  const listed = problems.slice(0, PROBLEMS_LISTED);
  return new DomainError(
    'IMPORT_REJECTED',
    detail,
    { rows: listed, ...(problems.length > listed.length ? { moreProblems: problems.length - listed.length } : {}) },
    {
      errors: listed.map((p) => ({
        field: `${p.line !== undefined ? `line ${p.line}` : `devices[${p.index}]`}${p.field ? `.${p.field}` : ''}`,
        message: p.message,
      })),
    },
  );
}

/**
 * Imports many devices all or nothing: every row is checked (fields, duplicates within the
 * file, devEUIs registered anywhere), and one bad row rejects the whole file with each
 * problem by line (CSV) or index (JSON). Otherwise every row is registered in one
 * transaction, within the tenant's device limit, each with its registered event.
 */
@Injectable()
export class DeviceImportUseCase {
  constructor(
    @Inject(TENANT_DATABASE) private readonly db: IngestDatabase,
    private readonly outbox: OutboxWriter,
  ) {}

  async execute(principal: Principal, source: ImportSource): Promise<ImportDevicesResponse> {
    requirePermission(principal, 'devices:write');
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
      for (const { row, fields } of checked) {
        if (!inserted.has(fields.devEui)) report(row, 'devEui', 'is already registered', fields.devEui);
      }
      if (problems.length > 0) {
        problems.sort((a, b) => (a.line ?? a.index ?? 0) - (b.line ?? b.index ?? 0));
        throw rowsRejected(problems, rows.length);
      }
      await assertWithinDeviceLimit(tx, tenantId, inserted.size);
      // Announced from what was inserted: reading thousands of rows back would cost seconds.
      const registered = checked.map(({ fields }) => ({ ...fields, id: inserted.get(fields.devEui) as string, tenantId, version: 1 }));
      await announceMany(this.outbox, tx, IngestEvents.DeviceRegisteredV1, registered, now);
      const devEuis = checked.map((c) => c.fields.devEui);
      return { imported: devEuis.length, devEuis };
    });
  }
}
