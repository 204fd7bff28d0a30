import type { TemplateSqlClient, TenantDatabase } from '@parking/database';

/**
 * Takes or renews the lease of a periodic job for `holder` (chirpstack.take_job_lease): true
 * when this replica runs the job now. It lapses `ttlMs` after the last renewal, so a replica
 * that stopped hands the job over.
 */
export function takeJobLease(db: TenantDatabase<TemplateSqlClient>, job: string, holder: string, ttlMs: number): Promise<boolean> {
  return db.asSystem('timer', async (tx) => {
    const [{ taken }] = await tx.$queryRaw<Array<{ taken: boolean }>>`SELECT chirpstack.take_job_lease(${job}, ${holder}, ${Math.round(ttlMs)}::int) AS taken`;
    return taken;
  });
}

/** Every tenant's connections (system path), for the jobs that visit them all. */
export function allConnections(db: TenantDatabase<TemplateSqlClient>): Promise<Array<{ tenant_id: string; id: string }>> {
  return db.asSystem('timer', (tx) => tx.$queryRaw<Array<{ tenant_id: string; id: string }>>`SELECT * FROM chirpstack.all_connections()`);
}
