import { stopContainer } from './global-setup';
import { TEMPLATE_DATABASE_ENV, TEST_RUN_ENV, cloneNamePrefix, dropDatabase, testAdminUrl, withAdmin } from './test-database';

/** Drops the template and whatever clones of this run a failed or killed test left behind. */
export default async function globalTeardown(): Promise<void> {
  const template = process.env[TEMPLATE_DATABASE_ENV];
  const runId = process.env[TEST_RUN_ENV];
  if (template && runId) {
    const adminUrl = testAdminUrl();
    const leftovers = await withAdmin(adminUrl, async (admin) => {
      const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE starts_with(datname, $1)`, [cloneNamePrefix(runId)]);
      return rows.map((row) => row.datname);
    });
    for (const name of [...leftovers, template]) await dropDatabase(adminUrl, name);
  }
  await stopContainer();
}
