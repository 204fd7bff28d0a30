import { Prisma } from '@parking/chirpstack-sync/data-access';
import type { DriftPolicy, ReconciliationCounts, ReconciliationFinding, ReconciliationRunView } from '@parking/contracts';

export interface RunRow {
  id: string;
  connection_id: string;
  trigger: 'schedule' | 'request';
  policy: DriftPolicy;
  status: 'running' | 'completed' | 'failed';
  counts: Partial<ReconciliationCounts>;
  findings: ReconciliationFinding[];
  error: string | null;
  created_at: Date;
  finished_at: Date | null;
}

export const RUN_COLUMNS = Prisma.raw('id, connection_id, trigger, policy, status, counts, findings, error, created_at, finished_at');

const NO_COUNTS: ReconciliationCounts = { inChirpstack: 0, inRegistry: 0, missing: 0, orphans: 0, drifted: 0, fixed: 0, inspected: 0 };

export function runView(row: RunRow): ReconciliationRunView {
  return {
    id: row.id,
    connectionId: row.connection_id,
    trigger: row.trigger,
    policy: row.policy,
    status: row.status,
    counts: { ...NO_COUNTS, ...row.counts },
    findings: row.findings,
    error: row.error,
    startedAt: row.created_at.toISOString(),
    finishedAt: row.finished_at ? row.finished_at.toISOString() : null,
  };
}
