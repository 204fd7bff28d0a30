import { TEST_RPC_KEYS } from '@parking/testing';
import { performance } from 'node:perf_hooks';
import { OCCUPANCY_IMPORT_MAX_ROWS, OCCUPANCY_RPC, type ImportInventoryResponse, type SiteAvailabilityResponse } from '@parking/contracts';
import { createRpcClient, type RpcClient } from '@parking/messaging-nest';
import { Client } from 'pg';
import { call, expectStatus, ownerPrincipal, PlatformUnavailable } from '../ingest/platform';
import type { BenchDevice } from '../ingest/traffic';

export interface SeedOptions {
  baseUrl: string;
  accessToken: string;
  owner: { tenantId: string; userId: string };
  namespace: string;
  natsUrl: string;
  /** Superuser URL of the bench database: what the services learnt by event is read there. */
  adminUrl: string;
  devices: readonly BenchDevice[];
  zones: number;
  concurrency: number;
}

export interface SeededSite {
  siteId: string;
  /** The levels' zone ids, level 0 first. */
  zoneIds: string[];
  spaces: number;
  /** How the spaces and assignments were made, for the report. */
  via: string;
  seconds: number;
}

const SLOW_MS = 180_000;

export async function waitFor(what: string, adminUrl: string, query: string, values: unknown[], done: (rows: Array<Record<string, unknown>>) => boolean): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const until = performance.now() + SLOW_MS;
    for (;;) {
      if (done((await client.query(query, values)).rows)) return;
      if (performance.now() > until) throw new PlatformUnavailable(`${what} did not happen within ${SLOW_MS / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    await client.end();
  }
}

/** Runs `work` over `items`, at most `concurrency` at once. */
export async function inParallel<T>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < items.length; index = next++) await work(items[index], index);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

// Short names: every space row repeats them, and one import is at most OCCUPANCY_IMPORT_MAX_BYTES.
const SITE_NAME = 'Bench';
const levelName = (level: number) => `L${level}`;

/** Which level the i-th of `count` spaces lies on: the spaces spread evenly. */
export const levelOf = (i: number, count: number, levels: number) => Math.floor((i * levels) / count);

/**
 * One site with `zones` levels and a space over every device, each device assigned to its
 * space: by the bulk import (`POST /api/v1/sites/import`, one request and one transaction)
 * where the gateway has it, else the site and levels by REST and the spaces and assignments
 * one by one through occupancy's RPC (the gateway's per-user rate limit would stretch 20,000
 * REST calls over half an hour).
 */
export async function seedSite(options: SeedOptions): Promise<SeededSite> {
  const began = performance.now();
  const { owner, adminUrl, devices } = options;
  // The enterprise plan reaches occupancy by event; until then the default plan's limits apply.
  await waitFor('occupancy learning the enterprise plan', adminUrl, 'SELECT spaces FROM occupancy.tenant_limits WHERE tenant_id = $1', [owner.tenantId], (rows) => rows.length === 1 && rows[0].spaces === null);
  // Occupancy knows sensors from ingest's device events; an assignment before that is refused.
  await waitFor(`occupancy learning the ${devices.length} sensors`, adminUrl, 'SELECT count(*)::int AS n FROM occupancy.sensors WHERE tenant_id = $1 AND NOT removed', [owner.tenantId], (rows) => Number(rows[0]?.n) >= devices.length);
  const learnt = performance.now();
  const imported = await importInventory(options);
  const { siteId, zoneIds, via } = 'siteId' in imported ? imported : await createOneByOne(options, imported.refused);
  const timing = `${((learnt - began) / 1000).toFixed(0)} s until occupancy knew the plan and every sensor (from events), ${((performance.now() - learnt) / 1000).toFixed(0)} s to create`;
  const availability = expectStatus('site availability', await call(options.baseUrl, 'GET', `/api/v1/sites/${siteId}/availability`, undefined, options.accessToken), 200) as unknown as SiteAvailabilityResponse;
  if (availability.counts.total !== devices.length) throw new PlatformUnavailable(`the site counts ${availability.counts.total} spaces after seeding ${devices.length}`);
  return { siteId, zoneIds, spaces: devices.length, via: `${via} (${timing})`, seconds: (performance.now() - began) / 1000 };
}

async function importInventory({ baseUrl, accessToken, devices, zones }: SeedOptions): Promise<{ siteId: string; zoneIds: string[]; via: string } | { refused: string }> {
  if (devices.length > OCCUPANCY_IMPORT_MAX_ROWS - zones - 1) return { refused: `${devices.length} spaces are more than one import takes` };
  const body = {
    sites: [{ name: SITE_NAME, category: 'off_street' }],
    zones: Array.from({ length: zones }, (_, level) => ({ site: SITE_NAME, name: levelName(level), kind: 'level' })),
    spaces: devices.map((device, i) => ({ site: SITE_NAME, code: `B-${i + 1}`, zone: levelName(levelOf(i, devices.length, zones)), devEui: device.devEui })),
  };
  const answer = await call(baseUrl, 'POST', '/api/v1/sites/import', body, accessToken);
  if (answer.status !== 201 && answer.status !== 200) return { refused: `POST /api/v1/sites/import answered ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}` };
  const site = (answer.body as unknown as ImportInventoryResponse).sites.find((s) => s.name === SITE_NAME);
  if (!site) throw new PlatformUnavailable(`the import created no site named ${SITE_NAME}: ${JSON.stringify(answer.body).slice(0, 200)}`);
  const imported = answer.body as unknown as ImportInventoryResponse;
  const zoneIds = Array.from({ length: zones }, (_, level) => imported.zones.find((z) => z.siteId === site.id && z.name === levelName(level))?.id);
  if (zoneIds.some((id) => id === undefined)) throw new PlatformUnavailable(`the import did not answer every level's zone: ${JSON.stringify(imported.zones).slice(0, 200)}`);
  return { siteId: site.id, zoneIds: zoneIds as string[], via: `site, ${zones} levels, ${devices.length} spaces and their sensors in one POST /api/v1/sites/import` };
}

async function createOneByOne(options: SeedOptions, importRefused: string): Promise<{ siteId: string; zoneIds: string[]; via: string }> {
  const { baseUrl, accessToken, owner, devices } = options;
  console.warn(`  bulk import not used (${importRefused}); creating spaces one by one`);
  const site = expectStatus('create site', await call(baseUrl, 'POST', '/api/v1/sites', { name: SITE_NAME, category: 'off_street' }, accessToken), 201) as { id: string };
  const zoneIds: string[] = [];
  for (let level = 0; level < options.zones; level++) {
    const zone = expectStatus('create zone', await call(baseUrl, 'POST', `/api/v1/sites/${site.id}/zones`, { name: levelName(level), kind: 'level' }, accessToken), 201) as { id: string };
    zoneIds.push(zone.id);
  }
  // The stack was launched by @parking/testing, whose services trust its gateway key.
  const rpc: RpcClient = createRpcClient({ natsUrl: options.natsUrl, name: 'bench-e2e-seed', namespace: options.namespace, timeoutMs: 30_000, proof: TEST_RPC_KEYS.gatewayProof });
  const principal = ownerPrincipal(owner);
  let done = 0;
  try {
    await inParallel(devices, options.concurrency, async (device, i) => {
      const zoneId = zoneIds[levelOf(i, devices.length, zoneIds.length)] ?? null;
      const space = await rpc.call(OCCUPANCY_RPC.createSpace, { siteId: site.id, zoneId, code: `B-${i + 1}`, name: device.name }, { principal });
      await rpc.call(OCCUPANCY_RPC.assignSensor, { spaceId: space.id, devEui: device.devEui }, { principal });
      if (++done % 2_000 === 0) console.log(`  seeded ${done} of ${devices.length} spaces`);
    });
  } finally {
    await rpc.close();
  }
  return {
    siteId: site.id,
    zoneIds,
    via: `site and ${options.zones} levels by REST, ${devices.length} spaces and sensor assignments by occupancy's RPC, ${options.concurrency} at once (bulk import not used: ${importRefused})`,
  };
}
