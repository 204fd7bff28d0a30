// How fast are the occupancy statistics for a big site? Seeds a site with 5,000 spaces and
// 30 days of history (transitions, and the rollups built from them by the service's own
// recorder), then measures the statistics queries the RPCs run, side by side with a baseline
// in the same run: the same occupancy answer computed by scanning the raw transitions.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { PERMISSIONS, type Principal } from '@parking/contracts';
import { createOccupancyDatabase } from '@parking/occupancy/data-access';
import { Client } from 'pg';
import { hourlyOccupancy } from '../../apps/occupancy/src/stats/hourly-occupancy';
import { OccupancyStats, type StatsWindow } from '../../apps/occupancy/src/stats/occupancy-stats';
import { createBenchDatabase } from '../ingest/resources';
import { latencyHistogram, recordMs, summarise, type LatencySummary } from '../ingest/latency';
import { scanOccupancy } from './scan-baseline';
import { seedHistory, type SeedSettings } from './seed-history';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const DAY = 86_400_000;
const SETTINGS: SeedSettings = {
  spaces: Number(process.env.BENCH_STATS_SPACES ?? 5_000),
  days: Number(process.env.BENCH_STATS_DAYS ?? 30),
  changesPerDay: Number(process.env.BENCH_STATS_CHANGES_PER_DAY ?? 8),
  levels: 5,
  zonesPerLevel: 4,
  timeZone: 'Europe/Berlin',
};
const ITERATIONS = Number(process.env.BENCH_STATS_ITERATIONS ?? 200);
const BASELINE_ITERATIONS = Number(process.env.BENCH_STATS_BASELINE_ITERATIONS ?? 10);
const TARGET_MS = 100;

interface Row {
  query: string;
  latency: LatencySummary;
  baseline?: LatencySummary;
}

async function measure(iterations: number, run: () => Promise<unknown>): Promise<LatencySummary> {
  await run(); // warm: plans, pool, caches
  const histogram = latencyHistogram();
  for (let i = 0; i < iterations; i++) {
    const started = process.hrtime.bigint();
    await run();
    recordMs(histogram, Number(process.hrtime.bigint() - started) / 1e6);
  }
  return summarise(histogram);
}

async function main(): Promise<void> {
  const database = await createBenchDatabase('stats');
  const admin = new Client({ connectionString: database.adminUrl });
  const db = createOccupancyDatabase({ url: database.urlFor('occupancy'), poolMax: 4 });
  try {
    await database.migratePlatform(REPO_ROOT, ['occupancy']);
    await admin.connect();
    const now = new Date();
    console.log(`seeding ${SETTINGS.spaces} spaces × ${SETTINGS.days} days …`);
    const site = await seedHistory(admin, db, SETTINGS, now);
    console.log(`seeded ${site.transitions} transitions in ${site.seedSeconds.toFixed(1)} s, rollups (${site.zoneHourRows} zone-hours, ${site.spaceDayRows} space-days) in ${site.rollupSeconds.toFixed(1)} s`);

    const loadBefore = loadNow();
    const stats = new OccupancyStats(db);
    const principal: Principal = { kind: 'api-key', tenantId: site.tenantId, actor: 'api-key:bench', apiKeyId: site.tenantId, permissions: [...PERMISSIONS], isPlatformAdmin: false };
    const lastDay: StatsWindow = { from: new Date(now.getTime() - DAY), to: now };
    const month: StatsWindow = { from: new Date(now.getTime() - SETTINGS.days * DAY), to: now };

    // The rollups must give the baseline's answer, or the comparison means nothing.
    const viaRollups = await stats.occupancy(principal, site.siteId, null, month, now);
    const start = Date.parse(viaRollups.from);
    const end = Date.parse(viaRollups.to);
    const scanned = await scanOccupancy(admin, site.siteId, new Date(start), new Date(end), now);
    const viaScan = hourlyOccupancy(start, end, now.getTime(), scanned.map((h) => ({ ...h, departures: 0 })), []);
    const mismatches = viaRollups.hours.filter((hour, i) => Math.abs(hour.occupiedSeconds - viaScan.hours[i].occupiedSeconds) > 0.01 || Math.abs(hour.observedSeconds - viaScan.hours[i].observedSeconds) > 0.01 || hour.arrivals !== viaScan.hours[i].arrivals);
    console.log(`answers compared over ${viaRollups.hours.length} hours: ${mismatches.length} differ`);

    const queries: Array<{ query: string; run: () => Promise<unknown>; baseline?: () => Promise<unknown> }> = [
      {
        query: 'site occupancy per hour, last 24 h',
        run: () => stats.occupancy(principal, site.siteId, null, lastDay),
        baseline: () => scanOccupancy(admin, site.siteId, lastDay.from, lastDay.to, new Date()),
      },
      {
        query: `site occupancy per hour, ${SETTINGS.days} days`,
        run: () => stats.occupancy(principal, site.siteId, null, month),
        baseline: () => scanOccupancy(admin, site.siteId, month.from, month.to, new Date()),
      },
      { query: `level occupancy per hour, ${SETTINGS.days} days`, run: () => stats.occupancy(principal, site.siteId, site.zoneId, month) },
      { query: `site dwell per day, ${SETTINGS.days} days`, run: () => stats.dwell(principal, site.siteId, null, month) },
      { query: `site turnover per day, ${SETTINGS.days} days`, run: () => stats.siteTurnover(principal, site.siteId, month) },
      { query: `space turnover per day, ${SETTINGS.days} days`, run: () => stats.spaceTurnover(principal, site.spaceId, month) },
    ];
    // Round-robin, so a burst of load from elsewhere on the machine hits every query alike.
    const histograms = queries.map(() => latencyHistogram());
    for (const q of queries) await q.run(); // warm: plans, pool, caches
    for (let i = 0; i < ITERATIONS; i++) {
      for (const [index, q] of queries.entries()) {
        const started = process.hrtime.bigint();
        await q.run();
        recordMs(histograms[index], Number(process.hrtime.bigint() - started) / 1e6);
      }
    }
    const rows: Row[] = [];
    for (const [index, q] of queries.entries()) {
      const row: Row = { query: q.query, latency: summarise(histograms[index]) };
      if (q.baseline) row.baseline = await measure(BASELINE_ITERATIONS, q.baseline);
      rows.push(row);
      console.log(`${q.query}: p50 ${row.latency.p50.toFixed(2)} ms, p99 ${row.latency.p99.toFixed(2)} ms${row.baseline ? `; baseline p50 ${row.baseline.p50.toFixed(0)} ms` : ''}`);
    }

    const date = new Date().toISOString().slice(0, 10);
    const postgres = (await admin.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version;
    const report = renderReport(rows, { loadBefore, date, postgres, transitions: site.transitions, zoneHourRows: site.zoneHourRows, spaceDayRows: site.spaceDayRows, mismatches: mismatches.length, hours: viaRollups.hours.length });
    const target = path.join(REPO_ROOT, 'bench', 'results', `stats-${date}.md`);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, report);
    console.log(`\n${report}\nwritten to ${path.relative(REPO_ROOT, target)}`);
    if (mismatches.length > 0) process.exitCode = 1;
  } finally {
    await admin.end().catch(() => undefined);
    await db.close();
    // BENCH_STATS_KEEP_DB=1 leaves the database for a look at the query plans.
    if (process.env.BENCH_STATS_KEEP_DB === '1') console.log(`kept database ${database.name}`);
    else await database.drop();
  }
}

function loadNow(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
}

function renderReport(rows: Row[], run: { loadBefore: string; date: string; postgres: string; transitions: number; zoneHourRows: number; spaceDayRows: number; mismatches: number; hours: number }): string {
  const ms = (value: number) => (value >= 100 ? value.toFixed(0) : value.toFixed(1));
  const lines = [
    `# Occupancy statistics (${run.date})`,
    '',
    `Machine: ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown'}), shared with other work: load average (1/5/15 min) ${run.loadBefore} before the`,
    `measurements and ${loadNow()} at the end, Node ${process.version}, PostgreSQL ${run.postgres}.`,
    '',
    `One site (${SETTINGS.timeZone}) with ${SETTINGS.spaces} spaces in ${SETTINGS.levels} levels of ${SETTINGS.zonesPerLevel} zones, ${SETTINGS.days} days of history:`,
    `${run.transitions} transitions (about ${SETTINGS.changesPerDay} changes per space per day), rolled up by the service's StatsRecorder into`,
    `${run.zoneHourRows} zone-hour and ${run.spaceDayRows} space-day rows. Each query is what the RPC runs (OccupancyStats, in one`,
    `tenant transaction under RLS, plus the spells still open in space_state), ${ITERATIONS} times each, round-robin, after a warm-up; the baseline`,
    `computes the same hourly occupancy by scanning the raw transitions, ${BASELINE_ITERATIONS} times. Over ${run.hours} hours the two`,
    `answers ${run.mismatches === 0 ? 'agree' : `differ in ${run.mismatches} hours`}. Target: p99 well under ${TARGET_MS} ms.`,
    '',
    '| query | p50 | p99 | max | baseline (scan) p50 / p99 | speed-up (p50) |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.query} | ${ms(r.latency.p50)} ms | ${ms(r.latency.p99)} ms | ${ms(r.latency.max)} ms | ${r.baseline ? `${ms(r.baseline.p50)} / ${ms(r.baseline.p99)} ms` : '—'} | ${r.baseline ? `${(r.baseline.p50 / r.latency.p50).toFixed(0)}×` : '—'} |`,
    ),
    '',
    `Target p99 < ${TARGET_MS} ms: ${rows.every((r) => r.latency.p99 < TARGET_MS) ? '**met** by every query' : `**not met** by ${rows.filter((r) => r.latency.p99 >= TARGET_MS).map((r) => r.query).join(', ')}`}.`,
    '',
  ];
  return lines.join('\n');
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
