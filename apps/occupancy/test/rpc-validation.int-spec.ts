import { OCCUPANCY_RPC, SiteView } from '@parking/contracts';
import { randomUUID } from 'node:crypto';
import { claimNamespace, OccupancyHarness, principalFor, startOccupancy } from './occupancy-harness';

const namespace = claimNamespace();

describe('occupancy: an RPC payload its contract refuses (real PostgreSQL and NATS)', () => {
  let h: OccupancyHarness;
  const tenantId = randomUUID();
  const principal = principalFor(tenantId);

  /** What a create-space handler would have written for the tenant: spaces, their states and counts, events. */
  async function writtenFor(tenant: string): Promise<Record<string, number>> {
    const [row] = await h.sql<Record<string, number>>(
      `SELECT (SELECT count(*)::int FROM occupancy.spaces WHERE tenant_id = $1) AS spaces,
              (SELECT count(*)::int FROM occupancy.space_state WHERE tenant_id = $1) AS states,
              (SELECT coalesce(sum(total), 0)::int FROM occupancy.site_availability WHERE tenant_id = $1) AS counted,
              (SELECT count(*)::int FROM occupancy.outbox WHERE tenant_id = $1) AS events`,
      [tenant],
    );
    return row;
  }

  beforeAll(async () => {
    h = await startOccupancy({ namespace, rpc: true });
  });
  afterAll(() => h?.stop());

  it('answers VALIDATION_FAILED naming each field before any handler runs, and writes nothing', async () => {
    const site = await h.send<SiteView>(OCCUPANCY_RPC.createSite, { principal, name: 'Validation', category: 'off_street' });
    const before = await writtenFor(tenantId);
    // The site's own occupancy.site.upserted.v1 only.
    expect(before).toEqual({ spaces: 0, states: 0, counted: 0, events: 1 });

    const refused = await h.failure(OCCUPANCY_RPC.createSpace, { principal, siteId: 'site-17', code: 'A-1', colour: 'red' });
    expect(refused.code).toBe('VALIDATION_FAILED');
    expect(refused.errors).toEqual(
      expect.arrayContaining([
        { field: 'siteId', message: 'siteId must be a UUID' },
        { field: 'colour', message: 'property colour should not exist' },
      ]),
    );
    expect(refused.errors).toHaveLength(2);

    // The same request but for the unknown field would create the space: the class alone stopped it.
    const unknownOnly = await h.failure(OCCUPANCY_RPC.createSpace, { principal, siteId: site.id, code: 'A-1', colour: 'red' });
    expect(unknownOnly).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'colour', message: 'property colour should not exist' }] });
    expect(await writtenFor(tenantId)).toEqual(before);

    expect((await h.send<{ code: string }>(OCCUPANCY_RPC.createSpace, { principal, siteId: site.id, code: 'A-1' })).code).toBe('A-1');
    expect(await writtenFor(tenantId)).toMatchObject({ spaces: 1, states: 1, counted: 1 });
  });
});
