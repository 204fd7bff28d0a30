import { Inject, Injectable } from '@nestjs/common';
import type { ListReconciliationRunsRequest, Page, Principal, ReconcileAnswer, ReconciliationRunView } from '@parking/contracts';
import type { TemplateSqlClient, TenantDatabase } from '@parking/database';
import { NotFoundError } from '@parking/problem-details';
import { beforeCursor, keysetColumns, RAW_TENANT_DATABASE, toPage, whereAll } from '@parking/service-runtime';
import { Prisma } from '@parking/chirpstack-sync/data-access';
import { ConnectionsUseCase } from '../connections/connections.use-case';
import { Reconciler } from './reconciler';
import { RUN_COLUMNS, runView, type RunRow } from './run-rows';

/** Reconciliation on demand, and the kept runs. */
@Injectable()
export class ReconciliationUseCase {
  constructor(
    @Inject(RAW_TENANT_DATABASE) private readonly db: TenantDatabase<TemplateSqlClient>,
    private readonly connections: ConnectionsUseCase,
    private readonly reconciler: Reconciler,
  ) {}

  /** Runs now, one connection after the other, and answers each run. */
  async reconcile(principal: Principal, connectionId?: string): Promise<ReconcileAnswer> {
    const ids = connectionId
      ? [(await this.connections.get(principal, connectionId)).id]
      : (await this.db.withTenant(principal.tenantId, (tx) => tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM chirpstack.connections ORDER BY created_at, id`)).map((row) => row.id);
    const runs: ReconciliationRunView[] = [];
    for (const id of ids) runs.push(await this.reconciler.run(principal.tenantId, id, 'request'));
    return { runs };
  }

  /** Newest first. */
  list(principal: Principal, query: ListReconciliationRunsRequest, limit: number): Promise<Page<ReconciliationRunView>> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      const conditions = [...beforeCursor('r', query.cursor), ...(query.connectionId ? [Prisma.sql`r.connection_id = ${query.connectionId}::uuid`] : [])];
      const rows = await tx.$queryRaw<Array<RunRow & { key_id: string; key_micros: string }>>`
        SELECT ${RUN_COLUMNS}, ${keysetColumns('r')} FROM chirpstack.reconciliation_runs r ${whereAll(conditions)}
         ORDER BY r.created_at DESC, r.id DESC LIMIT ${limit + 1}`;
      return toPage(rows, limit, runView);
    });
  }

  get(principal: Principal, runId: string): Promise<ReconciliationRunView> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      const [row] = await tx.$queryRaw<RunRow[]>`SELECT ${RUN_COLUMNS} FROM chirpstack.reconciliation_runs WHERE id = ${runId}::uuid`;
      if (!row) throw new NotFoundError('Reconciliation run', runId);
      return runView(row);
    });
  }
}
