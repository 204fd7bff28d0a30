import { Prisma } from '@parking/chirpstack-sync/data-access';
import { RECONCILIATION_FINDINGS_MAX, type DriftPolicy, type ReconciliationCounts, type ReconciliationFinding, type ReconciliationRunView } from '@parking/contracts';

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

/** Counts of a run that found nothing yet (a run that failed early keeps these). */
export function noCounts(): ReconciliationCounts {
  return { inChirpstack: 0, inRegistry: 0, missing: 0, orphans: 0, drifted: 0, fixed: 0, inspected: 0, gateways: { inChirpstack: 0, inRegistry: 0, missing: 0, unknown: 0, drifted: 0, fixed: 0 } };
}

/** What a run found and did, as it goes. */
export interface Tally {
  counts: ReconciliationCounts;
  findings: ReconciliationFinding[];
}

export function note(tally: Tally, finding: ReconciliationFinding): void {
  if (tally.findings.length < RECONCILIATION_FINDINGS_MAX) tally.findings.push(finding);
}

export function runView(row: RunRow): ReconciliationRunView {
  return {
    id: row.id,
    connectionId: row.connection_id,
    trigger: row.trigger,
    policy: row.policy,
    status: row.status,
    counts: { ...noCounts(), ...row.counts },
    findings: row.findings,
    error: row.error,
    startedAt: row.created_at.toISOString(),
    finishedAt: row.finished_at ? row.finished_at.toISOString() : null,
  };
}
