// How fast can clients book, and what does the gateway's booking path cost against the
// bare constraint? The compiled gateway, identity, occupancy and reservations, one tenant with
// 10 spaces; bookings race for the same spaces and windows. Measures the sustainable create
// rate (open loop, as bench:e2e searches it), the same search for a bare INSERT against the
// same EXCLUDE constraint in the same run, latency at a fixed rate, and a closed-loop step
// with 50 requests always in flight; then checks that nothing was booked twice.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { NatsConnection } from '@nats-io/nats-core';
import { Namespace } from '@parking/contracts';
import { connectNats } from '@parking/messaging';
import { createRpcClient } from '@parking/messaging-nest';
import { removeNamespaceStreams, TEST_RPC_KEYS } from '@parking/testing';
import { Client, Pool as PgPool } from 'pg';
import { drainConsumers } from '../ingest/drain';
import { endpointPool } from '../ingest/open-loop';
import { ownerPrincipal, PlatformUnavailable } from '../ingest/platform';
import { searchSustainableRate, type RateSearchOptions, type RateSearchResult } from '../ingest/rate-search';
import { machineOf } from '../ingest/report';
import { Cleanup, createBenchDatabase, withClient, type BenchDatabase } from '../ingest/resources';
import { stepSize } from '../ingest/schedule';
import { describeLoad, runClosedLoop, runOpenLoop, stepPassed, type LoadOutcome, type Send } from './booking-load';
import { ContentionSchedule, seededRandom, startOfDayAhead, type BookingRequest } from './contention';
import { BackendSampler, CpuMeter } from './observe';
import { raisedLimits, startReservationsPlatform, type ReservationsPlatform } from './platform';
import { bottleneckLines, renderReport, summaryTable, type BareRun, type Integrity, type Measured, type ReservationsReport } from './report';
import { BARE_TABLE, BARE_TABLE_DDL, bareInsertSender, gatewaySender, rpcSender } from './senders';
import { readReservationsSettings, type ReservationsSettings } from './settings';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const NATS_URL = process.env.NATS_URL || 'nats://127.0.0.1:4222';
const SCHEMAS = ['identity', 'occupancy', 'reservations'];
const DRAIN_TIMEOUT_MS = 60_000;
const IDLE_SECONDS = 5;
const WARM_UP_SECONDS = 2;
// Bookings lie in the future, far enough that no check-in window opens during the run.
const DAYS_AHEAD = 2;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What one load step is measured against, and how it books. */
interface Target {
  label: string;
  schedule: ContentionSchedule;
  send: Send<BookingRequest>;
  /** Waits for work the last step left behind before the next one. */
  drain?: () => Promise<void>;
}

function scheduleFor(settings: ReservationsSettings, spaceIds: readonly string[], seed: number): ContentionSchedule {
  return new ContentionSchedule({ spaceIds, contenders: settings.contenders, firstStart: startOfDayAhead(new Date(), DAYS_AHEAD), random: seededRandom(seed) });
}

function searchOptions(settings: ReservationsSettings): RateSearchOptions {
  return { startRate: settings.startRate, maxRate: settings.maxRate, minRate: 5, bisectSteps: settings.bisectSteps, precision: 0.1, confirmFailures: settings.confirmFailures };
}

async function openLoopStep(target: Target, rate: number, seconds: number): Promise<LoadOutcome> {
  await target.drain?.();
  await pause(200);
  return runOpenLoop(target.schedule.take(stepSize(rate, seconds)), rate, target.send);
}

/** The rate search of bench:e2e: doubling, then bisecting; a step passes on p99 and answers alone. */
async function searchRate(target: Target, settings: ReservationsSettings): Promise<RateSearchResult> {
  // A short step at the start rate opens connections and warms the JIT (and the gateway's key cache).
  await openLoopStep(target, settings.startRate, WARM_UP_SECONDS);
  return searchSustainableRate(async (rate) => {
    const outcome = await openLoopStep(target, rate, settings.stepSeconds);
    const passed = stepPassed(outcome, settings.p99LimitMs);
    const note = describeLoad(outcome);
    console.log(`  ${target.label} ${passed ? 'pass' : 'FAIL'} ${note}`);
    return { rate, passed, note };
  }, searchOptions(settings));
}

/** A step with the CPU of every process and, when given, the service's database connections sampled. */
async function observed(work: () => Promise<LoadOutcome>, meter: CpuMeter | undefined, sampler: BackendSampler | undefined, drain?: () => Promise<void>): Promise<Measured> {
  const loadAverage = loadavg()[0];
  const before = meter?.read();
  sampler?.start();
  const outcome = await work();
  const backends = await sampler?.stop();
  // Work the step caused but finished later (outbox relays, consumers) belongs to it too.
  await drain?.();
  const after = meter?.read();
  return { outcome, loadAverage, cpu: before && after ? CpuMeter.between(before, after) : undefined, backends };
}

async function fixedStep(target: Target, rate: number, seconds: number, meter?: CpuMeter, sampler?: BackendSampler): Promise<Measured> {
  await target.drain?.();
  await pause(200);
  const requests = target.schedule.take(stepSize(rate, seconds));
  const measured = await observed(() => runOpenLoop(requests, rate, target.send), meter, sampler, target.drain);
  console.log(`  ${target.label} fixed ${describeLoad(measured.outcome)}`);
  return measured;
}

async function benchBare(database: BenchDatabase, settings: ReservationsSettings, when: BareRun['when'], ids: BareIds, withFixed: boolean): Promise<{ run: BareRun; fixed?: Measured; created: number }> {
  console.log(`bare insert ${when}:`);
  const loadAverage = loadavg()[0];
  const pool = new PgPool({ connectionString: database.adminUrl, max: settings.barePool, application_name: 'bench-bare-insert' });
  let created = 0;
  const send = bareInsertSender(pool, ids.tenantId, ids.siteId);
  const counting: Send<BookingRequest> = async (request) => {
    const answer = await send(request);
    if (answer.kind === 'created') created++;
    return answer;
  };
  const target: Target = { label: 'bare', schedule: ids.schedule, send: counting };
  try {
    const search = await searchRate(target, settings);
    const fixed = withFixed ? await fixedStep(target, settings.fixedRate, settings.fixedSeconds, new CpuMeter({})) : undefined;
    return { run: { when, loadAverage, search }, fixed, created };
  } catch (error) {
    return { run: { when, loadAverage, failure: `failed: ${(error as Error).message}` }, created };
  } finally {
    await pool.end();
  }
}

interface BareIds {
  tenantId: string;
  siteId: string;
  schedule: ContentionSchedule;
}

/** CPU the services use per second with no traffic at all (relays polling, lifecycle jobs, metrics). */
async function idleCpu(meter: CpuMeter, services: readonly string[]): Promise<Record<string, number>> {
  const before = meter.read();
  await pause(IDLE_SECONDS * 1000);
  const use = CpuMeter.between(before, meter.read());
  return Object.fromEntries(services.map((name) => [name, use.ms[name] / use.seconds]));
}

/** Active bookings, and pairs of them on one space that overlap (the EXCLUDE constraint allows none). */
async function countBookings(adminUrl: string, table: string, tenantId: string): Promise<{ rows: number; overlaps: number }> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const active = `state IN ('confirmed', 'checked_in') AND tenant_id = $1`;
    const rows = (await client.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${active}`, [tenantId])).rows[0].n as number;
    const overlaps = (
      await client.query(
        `SELECT count(*)::int AS n FROM ${table} a JOIN ${table} b ON a.space_id = b.space_id AND a.id < b.id AND a.period && b.period
          WHERE a.state IN ('confirmed', 'checked_in') AND b.state IN ('confirmed', 'checked_in') AND a.tenant_id = $1 AND b.tenant_id = $1`,
        [tenantId],
      )
    ).rows[0].n as number;
    return { rows, overlaps };
  } finally {
    await client.end();
  }
}

interface StackOutcome {
  stack: ReservationsReport['stack'];
  created: number;
}

async function benchStack(platform: ReservationsPlatform, database: BenchDatabase, nc: NatsConnection, namespace: Namespace, settings: ReservationsSettings): Promise<StackOutcome> {
  console.log('through the gateway:');
  const pool = endpointPool(platform.baseUrl, Math.max(settings.connections, settings.contenders));
  const rpc = createRpcClient({ natsUrl: NATS_URL, name: 'bench-reservations', namespace: namespace.prefix, timeoutMs: 10_000, proof: TEST_RPC_KEYS.gatewayProof });
  const meter = new CpuMeter(platform.processes);
  const role = new URL(database.urlFor('reservations')).username;
  const sampler = () => new BackendSampler(database.adminUrl, database.name, role, 'reservations');
  let drainWorks = true;
  const drain = async () => {
    if (drainWorks && !(await drainConsumers(nc, namespace, DRAIN_TIMEOUT_MS))) {
      drainWorks = false;
      console.warn(`  consumers did not catch up within ${DRAIN_TIMEOUT_MS / 1000} s; later steps do not wait for them`);
    }
  };
  let created = 0;
  const counted = (send: Send<BookingRequest>): Send<BookingRequest> => async (request) => {
    const answer = await send(request);
    if (answer.kind === 'created') created++;
    return answer;
  };
  const gateway: Target = { label: 'gateway', schedule: scheduleFor(settings, platform.spaceIds, settings.seed), send: counted(gatewaySender(pool, platform.baseUrl, platform.apiKey)), drain };
  const stack: ReservationsReport['stack'] = {};
  try {
    // Warm first, so the contention step measures bookings and not the first key check or the JIT.
    await openLoopStep(gateway, settings.startRate, WARM_UP_SECONDS);
    await drain();
    const contention = await observed(
      () => runClosedLoop(() => gateway.schedule.next(), settings.contenders, settings.contentionSeconds, gateway.send),
      meter,
      sampler(),
      drain,
    );
    console.log(`  ${settings.contenders}-way contention ${describeLoad(contention.outcome)}`);
    stack.contention = contention;

    stack.loadAverage = loadavg()[0];
    stack.search = await searchRate(gateway, settings);
    await drain();
    stack.idleCpuMsPerSecond = await idleCpu(meter, Object.keys(platform.processes));
    console.log(`  idle: ${Object.entries(stack.idleCpuMsPerSecond).map(([name, ms]) => `${name} ${ms.toFixed(0)}`).join(', ')} CPU ms/s`);
    const direct: Target = { label: 'rpc', schedule: gateway.schedule, send: counted(rpcSender(rpc, ownerPrincipal({ tenantId: platform.tenantId, userId: platform.owner.userId }))), drain };
    // Well below the ceiling first: what a booking costs and how long it takes when nothing queues.
    stack.light = { rate: settings.lightRate, gateway: await fixedStep(gateway, settings.lightRate, settings.lightSeconds, meter, sampler()) };
    if (settings.rpcStep) {
      // The RPC client's own connection warms up first, like the HTTP pool did.
      await openLoopStep(direct, settings.lightRate, WARM_UP_SECONDS);
      stack.light.rpc = await fixedStep(direct, settings.lightRate, settings.lightSeconds, meter, sampler());
    }
    // The e2e bench's preload: the first SIGUSR2 starts each service's profiler, the second writes the profile.
    const profile = () => settings.cpuProfileDir && Object.values(platform.processes).forEach((pid) => process.kill(pid, 'SIGUSR2'));
    profile();
    stack.fixed = await fixedStep(gateway, settings.fixedRate, settings.fixedSeconds, meter, sampler());
    profile();
    if (settings.rpcStep) stack.rpc = await fixedStep(direct, settings.fixedRate, settings.fixedSeconds, meter, sampler());
    if (!drainWorks) stack.failure = 'consumers fell behind';
  } catch (error) {
    stack.failure = `failed: ${(error as Error).message}`;
    console.error(`  ${stack.failure}`);
  } finally {
    await rpc.close();
    await pool.close();
  }
  return { stack, created };
}

async function main(): Promise<void> {
  const began = performance.now();
  const loadAverage = loadavg()[0];
  const settings = readReservationsSettings();
  const cleanup = new Cleanup();
  cleanup.onSignals();
  const namespace = new Namespace(`benchresv${randomBytes(4).toString('hex')}`);
  const limits = raisedLimits();
  console.log(`limits raised for the bench:\n${limits.map((line) => `  - ${line}`).join('\n')}`);

  try {
    const database = await createBenchDatabase('reservations');
    cleanup.add(`drop database ${database.name}`, () => database.drop());
    const nc: NatsConnection = await connectNats({ url: NATS_URL, name: 'bench-reservations' });
    cleanup.add('close NATS', () => nc.close());
    cleanup.add(`remove streams of ${namespace.prefix}`, () => removeNamespaceStreams(namespace.prefix, NATS_URL));
    await database.migratePlatform(REPO_ROOT, SCHEMAS);
    await withClient(database.adminUrl, (client) => client.query(BARE_TABLE_DDL));

    // The bare insert books the same pattern on spaces of its own table; first on a quiet machine.
    const bareIds = { tenantId: randomUUID(), siteId: randomUUID() };
    const bareSpaces = Array.from({ length: settings.spaces }, () => randomUUID());
    const bareSchedule = scheduleFor(settings, bareSpaces, settings.seed);
    const bare: BareRun[] = [];
    let bareFixed: Measured | undefined;
    let bareCreated = 0;
    if (settings.bare) {
      const first = await benchBare(database, settings, 'before the stack', { ...bareIds, schedule: bareSchedule }, true);
      bare.push(first.run);
      bareFixed = first.fixed;
      bareCreated += first.created;
    }

    let stack: ReservationsReport['stack'];
    let platformSetup = 'not started';
    let integrity: Integrity | undefined;
    let created = 0;
    let tenantId: string | undefined;
    try {
      const platform = await startReservationsPlatform({
        repoRoot: REPO_ROOT,
        database,
        namespace: namespace.prefix,
        logLevel: settings.serviceLogLevel,
        spaces: settings.spaces,
        env: settings.cpuProfileDir
          ? { NODE_OPTIONS: `--require ${path.join(__dirname, '..', 'e2e', 'cpu-profile-preload.js')}`, BENCH_CPU_PROFILE_DIR: path.resolve(settings.cpuProfileDir) }
          : {},
      });
      cleanup.add('stop the stack', () => platform.stop());
      platformSetup = platform.setup;
      tenantId = platform.tenantId;
      console.log(`  ${platform.setup}`);
      const outcome = await benchStack(platform, database, nc, namespace, settings);
      stack = outcome.stack;
      created = outcome.created;
      await platform.stop();
    } catch (error) {
      const reason = error instanceof PlatformUnavailable ? error.message : `could not start: ${(error as Error).message}`;
      console.error(`  ${reason}`);
      stack = { failure: reason };
    }

    if (settings.bare) {
      const second = await benchBare(database, settings, 'after the stack', { ...bareIds, schedule: bareSchedule }, false);
      bare.push(second.run);
      bareCreated += second.created;
    }
    if (tenantId) {
      const booked = await countBookings(database.adminUrl, 'reservations.reservations', tenantId);
      const bareBooked = await countBookings(database.adminUrl, BARE_TABLE, bareIds.tenantId);
      integrity = { created, rows: booked.rows, overlaps: booked.overlaps, bareCreated, bareRows: bareBooked.rows, bareOverlaps: bareBooked.overlaps };
      console.log(`no double booking: ${created} × 201, ${booked.rows} active rows, ${booked.overlaps} overlapping pairs; bare ${bareCreated} inserted, ${bareBooked.rows} rows, ${bareBooked.overlaps} overlapping pairs`);
    }

    const date = new Date().toISOString().slice(0, 10);
    const report: ReservationsReport = {
      date,
      machine: machineOf(database.postgresVersion, nc.info?.version ?? 'unknown', loadAverage),
      setup: {
        spaces: settings.spaces,
        contenders: settings.contenders,
        pattern:
          `${settings.spaces} spaces of one site; requests in rounds of ${settings.contenders}, each picking one of the ${settings.spaces} spaces and a window of 30, 60 or 90 minutes ` +
          `starting at one of 4 half-hour marks of the round's 3-hour stretch (seeded, ${settings.seed}), so the ${settings.contenders} requests of a round race for overlapping windows on the same spaces; ` +
          `rounds follow one another in time from ${DAYS_AHEAD} days ahead, so the pattern stays the same all run long.`,
        contentionSeconds: settings.contentionSeconds,
        stepSeconds: settings.stepSeconds,
        fixedSeconds: settings.fixedSeconds,
        fixedRate: settings.fixedRate,
        p99LimitMs: settings.p99LimitMs,
        connections: settings.connections,
        barePool: settings.barePool,
        platformConfig: `compiled gateway, identity, occupancy and reservations, one process each with its outbox relay, LOG_LEVEL=${settings.serviceLogLevel}, rate-limit counters ${process.env.REDIS_URL ? 'in Redis' : 'in memory (no REDIS_URL)'}`,
        platformSetup,
        limits,
        targets: settings.targets,
      },
      bare,
      bareFixed,
      stack,
      integrity,
      runSeconds: (performance.now() - began) / 1000,
    };
    const target = path.join(REPO_ROOT, 'bench', 'results', `reservations-${date}.md`);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, renderReport(report));
    console.log(`\n${summaryTable(report).join('\n')}\n\n${bottleneckLines(report).join('\n')}\n\nwritten to ${path.relative(REPO_ROOT, target)}`);
  } finally {
    await cleanup.run();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
