// `npm run chaos` (in CI): the whole platform, a process per service, on a PostgreSQL and a
// nats-server of its own (private ports, thrown away after), with ChirpStack faked in this
// process. A steady load of sensor and count-sign webhooks and bookings runs throughout, and a
// ledger records every request answered 2xx. Then, one at a time: each service killed with
// SIGKILL and started again; nats-server killed and restarted; PostgreSQL's postmaster killed
// and restarted; a relay killed between commit and publish, and between publish and marking;
// a consumer killed after its commit, before its ack; the gateway's spool filled to its limit
// while NATS is down. After each, the time until the platform has caught up; at the end, the
// ledger against the database. The report goes to bench/results/chaos-<date>.md; the run
// fails (exit 1) on any loss, duplicate, double booking, unpublished event or 5xx other than 503.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ALL_SERVICES, startPrivateNatsServer, startPrivatePostgres, type PlatformService } from '@parking/testing';
import { v4 } from '../../libs/shared/chirpstack-events/src/test/docs-examples';
import { levelOf, seedSite, waitFor } from '../e2e/seed';
import { connectSigns, countSigns, signGateway, startFakeNetworkServer } from '../e2e/signage-setup';
import { signageEnv } from '../e2e/zone-guidance-phase';
import { ZoneTraffic } from '../e2e/zone-traffic';
import { startPlatform } from '../ingest/platform';
import { machineOf } from '../ingest/report';
import { Cleanup, createBenchDatabase, withClient } from '../ingest/resources';
import { benchDevices } from '../ingest/traffic';
import type { ChaosFault } from './faults';
import { BookingLoad, ChaosLedger, WebhookLoad, type LoadTarget } from './load';
import { caughtUp, countSuperseded, signsShowTheirZones, verify, type Check, type ScenarioResult } from './database-checks';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const FAULT_PRELOAD = path.join(__dirname, 'fault-injection.js');
const ZONES = 4;
const SENSORS_PER_ZONE = 6;
const WEBHOOKS_PER_SECOND = 20;
const WEBHOOK_CONCURRENCY = 16;
const SIGN_REPORT_EVERY_MS = 5_000;
const BOOKING_EVERY_MS = 400;
const BOOKABLE_SPACES = 6;
/** How long a killed piece stays down before it is started again. */
const DOWN_MS = 3_000;
/** Steady load between two faults. */
const BETWEEN_MS = 3_000;
const CATCH_UP_LIMIT_MS = 180_000;
/** When a fault armed in a service fires: after its start, with load flowing. */
const FAULT_DELAY_MS = 3_000;
/** The smallest the gateway takes, so the load fills it in seconds: about a thousand webhooks. */
const SPOOL_MAX_BYTES = 1024 * 1024;

interface Scenario {
  name: string;
  hurt(): Promise<void>;
  /** Brings back what was hurt; resolves once it is ready again. */
  heal(): Promise<void>;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms: number | undefined) => (ms === undefined ? 'did not' : `${(ms / 1000).toFixed(1)} s`);

async function main(): Promise<void> {
  const began = performance.now();
  const cleanup = new Cleanup();
  cleanup.onSignals();
  const loadAverage = loadavg()[0];
  const namespace = `chaos${randomBytes(4).toString('hex')}`;
  let failed = true;
  try {
    const postgres = await startPrivatePostgres();
    cleanup.add('stop the private PostgreSQL', () => postgres.stop());
    const nats = await startPrivateNatsServer({ namespace });
    cleanup.add('stop the private nats-server', () => nats.stop());
    const database = await createBenchDatabase('chaos', postgres.adminUrl);
    const lns = await startFakeNetworkServer(cleanup, v4.up.deviceInfo.tenantId);
    const sensors = benchDevices(ZONES * SENSORS_PER_ZONE);
    const platform = await startPlatform({
      repoRoot: REPO_ROOT,
      database,
      namespace,
      devices: sensors,
      logLevel: 'warn',
      services: ALL_SERVICES,
      label: 'chaos',
      reportExits: false,
      envOf: (service) => nats.envFor(service),
      env: {
        CHIRPSTACK_SYNC_SECRETS_KEY: randomBytes(32).toString('base64'),
        ...signageEnv(1_000),
        SPOOL_MAX_BYTES: String(SPOOL_MAX_BYTES),
        // One tenant: its share is the whole spool, so the spool's own limit is what fills.
        SPOOL_TENANT_SHARE_PERCENT: '100',
        RATE_LIMIT_PER_USER: '100000',
        RATE_LIMIT_KEY_PREFIX: `parking:rate-limit:${namespace}:`,
      },
      // A device nobody registers: the probe stays an orphan and changes no space.
      probe: () => new ZoneTraffic([benchDevices(1).map((d) => ({ ...d, devEui: `0000${randomBytes(6).toString('hex')}` }))], lns.chirpstack).freeAll()[0],
    });
    cleanup.add('stop the platform', () => platform.stop());
    if (!platform.devicesRegistered) throw new Error(`devices not registered: ${platform.devices}`);
    const owner = { tenantId: platform.tenantId, userId: platform.owner.userId };
    const seeded = await seedSite({ baseUrl: platform.baseUrl, accessToken: platform.owner.accessToken, owner, namespace, natsUrl: nats.url, adminUrl: database.adminUrl, devices: sensors, zones: ZONES, concurrency: 4 });
    const sensorsByZone = Array.from({ length: ZONES }, (_, zone) => sensors.filter((_, i) => levelOf(i, sensors.length, ZONES) === zone));
    const traffic = new ZoneTraffic(sensorsByZone, lns.chirpstack);
    const signs = countSigns(ZONES);
    const signage = await connectSigns({ platform, lns, signs, zoneIds: seeded.zoneIds, sensors, signReport: (sign, gatewayId) => traffic.signReport(sign, gatewayId) });
    await waitFor('the reservations service learning every space', database.adminUrl, 'SELECT count(*)::int AS n FROM reservations.spaces WHERE site_id = $1 AND removed_at IS NULL', [seeded.siteId], (rows) => rows[0].n === sensors.length);
    const bookable = await withClient(database.adminUrl, (sql) =>
      sql.query<{ id: string }>('SELECT id::text FROM reservations.spaces WHERE site_id = $1 ORDER BY code LIMIT $2', [seeded.siteId, BOOKABLE_SPACES]),
    );

    const target: LoadTarget = { origin: platform.baseUrl, webhookHeaders: platform.endpoint.headers, accessToken: platform.owner.accessToken };
    const ledger = new ChaosLedger();
    const webhooks = new WebhookLoad(target, traffic, signs.map((sign, zone) => ({ sign, gatewayId: signGateway(zone) })), ledger, {
      rate: WEBHOOKS_PER_SECOND,
      concurrency: WEBHOOK_CONCURRENCY,
      signEveryMs: SIGN_REPORT_EVERY_MS,
    });
    const bookings = new BookingLoad(target, bookable.rows.map((row) => row.id), ledger, { everyMs: BOOKING_EVERY_MS, concurrency: 4 });
    // Every sensor reports free first, through the ledger like the rest: the load turns known spaces.
    await webhooks.sendEach(traffic.freeAll().map((uplink) => uplink.body));
    const setupSeconds = (performance.now() - began) / 1000;
    console.log(`chaos: platform up and seeded in ${setupSeconds.toFixed(0)} s (${signage.join('; ')}); load starts`);
    webhooks.start();
    bookings.start();
    await pause(BETWEEN_MS);

    const stack = platform.stack;
    const killService = (name: PlatformService): Scenario => ({
      name: `SIGKILL ${name}`,
      async hurt() {
        stack.services[name].process.kill('SIGKILL');
        await stack.services[name].exited;
        await pause(DOWN_MS);
      },
      heal: () => stack.restart(name).then(() => undefined),
    });
    const killAt = (name: PlatformService, fault: ChaosFault, where: string, subject = ''): Scenario => ({
      name: `${name} killed ${where}`,
      async hurt() {
        const armed = await stack.restart(
          name,
          { NODE_OPTIONS: `--require ${FAULT_PRELOAD}`, CHAOS_FAULT: fault, CHAOS_FAULT_DELAY_MS: String(FAULT_DELAY_MS), CHAOS_FAULT_SUBJECT: subject },
          { waitReady: false },
        );
        const ended = await Promise.race([armed.exited, pause(90_000).then(() => undefined)]);
        if (ended?.signal !== 'SIGKILL' || !armed.output().includes('chaos: SIGKILL')) {
          throw new Error(`${name} did not reach the fault point ${fault} within 90 s (${JSON.stringify(ended)}):\n${armed.output().slice(-3000)}`);
        }
      },
      heal: () => stack.restart(name).then(() => undefined),
    });
    const scenarios: Scenario[] = [
      ...ALL_SERVICES.map(killService),
      {
        name: 'SIGKILL nats-server',
        async hurt() {
          await nats.kill();
          await pause(DOWN_MS);
        },
        heal: () => nats.restart(),
      },
      {
        name: "SIGKILL PostgreSQL's postmaster",
        async hurt() {
          await postgres.kill();
          await pause(DOWN_MS);
        },
        heal: () => postgres.restart(),
      },
      killAt('ingest', 'relay-before-publish', "in its outbox relay after the uplinks' commit, before their events are published", 'uplink.received'),
      killAt('occupancy', 'relay-after-publish', 'in its outbox relay after JetStream acked an event, before the row is marked published'),
      killAt('occupancy', 'consumer-before-ack', "after its uplink consumer's commit, before the ack", 'uplink.received'),
      {
        name: "gateway's spool filled to its limit while NATS is down",
        async hurt() {
          await nats.kill();
          const until = Date.now() + 60_000;
          let full = 0;
          while (full === 0) {
            if (Date.now() > until) throw new Error('the spool did not fill within 60 s');
            webhooks.addBurst(64);
            await pause(250);
            full = ledger.peek().spoolFull;
          }
        },
        heal: () => nats.restart(),
      },
    ];

    const results: ScenarioResult[] = [];
    for (const scenario of scenarios) {
      ledger.nextWindow(scenario.name);
      const hurtAt = performance.now();
      await scenario.hurt();
      await scenario.heal();
      const healedAt = performance.now();
      const catchUpMs = await caughtUp(database.adminUrl, platform, ledger.webhooks.slice(), new Date(), CATCH_UP_LIMIT_MS);
      const result = { name: scenario.name, outMs: healedAt - hurtAt, answers: ledger.nextWindow(), catchUpMs };
      results.push(result);
      console.log(
        `chaos: ${scenario.name}: out ${seconds(result.outMs)}, caught up ${seconds(result.catchUpMs)} after; ` +
          `${result.answers.accepted} webhooks accepted meanwhile, ${result.answers.unavailable} answered 503 and ${result.answers.unreachable} not answered (sent again)`,
      );
      if (catchUpMs === undefined) break;
      await pause(BETWEEN_MS);
    }

    await Promise.all([webhooks.stop(), bookings.stop()]);
    const finalCatchUpMs = await caughtUp(database.adminUrl, platform, ledger.webhooks.slice(), new Date(), CATCH_UP_LIMIT_MS);
    const signsShowMs = await signsShowTheirZones(database.adminUrl, lns, signs, seeded.zoneIds);
    const checks = await verify(database.adminUrl, platform, ledger, sensors.map((s) => s.devEui), results, scenarios.length);
    checks.push({ name: 'every count sign shows its zone’s free count', problems: signsShowMs === undefined ? ['a sign still shows another count than its zone’s free spaces after 60 s'] : [] });
    failed = checks.some((check) => check.problems.length > 0) || finalCatchUpMs === undefined;
    const nsVersion = execFileSync(process.env.NATS_SERVER_BIN || 'nats-server', ['--version'], { encoding: 'utf8' }).trim();
    const report = renderReport({
      machine: machineOf(database.postgresVersion, nsVersion, loadAverage),
      setupSeconds,
      results,
      checks,
      ledger,
      finalCatchUpMs,
      signsShowMs,
      superseded: await countSuperseded(database.adminUrl, ledger),
      totalSeconds: (performance.now() - began) / 1000,
    });
    const date = new Date().toISOString().slice(0, 10);
    mkdirSync(path.join(REPO_ROOT, 'bench', 'results'), { recursive: true });
    const file = path.join(REPO_ROOT, 'bench', 'results', `chaos-${date}.md`);
    writeFileSync(file, report);
    console.log(`\n${report}\nchaos: report written to ${path.relative(REPO_ROOT, file)}`);
    for (const check of checks) for (const problem of check.problems.slice(0, 20)) console.error(`chaos: ${check.name}: ${problem}`);
  } catch (error) {
    console.error(`chaos: FAILED: ${(error as Error).stack ?? error}`);
  } finally {
    await cleanup.run();
  }
  console.log(failed ? 'chaos: FAILED' : 'chaos: passed');
  process.exit(failed ? 1 : 0);
}

function renderReport(run: {
  machine: ReturnType<typeof machineOf>;
  setupSeconds: number;
  results: ScenarioResult[];
  checks: Check[];
  ledger: ChaosLedger;
  finalCatchUpMs: number | undefined;
  signsShowMs: number | undefined;
  superseded: number;
  totalSeconds: number;
}): string {
  const { machine, ledger } = run;
  const passed = run.checks.every((check) => check.problems.length === 0) && run.finalCatchUpMs !== undefined;
  const refused = [...ledger.bookingsRefused].map(([status, n]) => `${n} × ${status}`).join(', ') || 'none';
  return [
    `# Chaos run, ${new Date().toISOString().slice(0, 10)}: ${passed ? 'passed' : '**FAILED**'}`,
    '',
    '`npm run chaos` (bench/chaos): the seven services, a process each (compiled, LOG_LEVEL=warn), on a PostgreSQL cluster and a nats-server of the run’s own (private ports,',
    'thrown away after), ChirpStack faked in the driver’s process. Each fault is made under load, one at a time; “out” runs from the fault until what it hurt is ready again,',
    '“caught up” from then until every webhook accepted so far is stored and has reached occupancy and every outbox row committed so far is published.',
    '',
    `Machine: ${machine.cores} cores (${machine.cpu}), Node ${machine.node}, PostgreSQL ${machine.postgres}, ${machine.nats}; load average when the run began ${machine.loadAverage.toFixed(2)}.`,
    `Load: ${ZONES * SENSORS_PER_ZONE} NPS405 sensors in ${ZONES} zones at ${WEBHOOKS_PER_SECOND} webhooks/s (at most ${WEBHOOK_CONCURRENCY} awaiting an answer), ${ZONES} count signs reporting every ${SIGN_REPORT_EVERY_MS / 1000} s and driven by the downlink service,`,
    `a booking every ${BOOKING_EVERY_MS} ms on ${BOOKABLE_SPACES} spaces over the next two days (so bookings collide). Every request is sent again as it was (same deduplicationId or Idempotency-Key) until answered 2xx or 4xx.`,
    `Gateway spool: SPOOL_MAX_BYTES=${SPOOL_MAX_BYTES}. A killed piece stays down ${DOWN_MS / 1000} s; ${BETWEEN_MS / 1000} s of steady load between faults.`,
    '',
    '| # | Fault | Out | Caught up after | Webhooks 2xx meanwhile | 503 meanwhile (spool full) | No answer meanwhile |',
    '|---|---|---|---|---|---|---|',
    ...run.results.map((r, i) => `| ${i + 1} | ${r.name} | ${seconds(r.outMs)} | ${seconds(r.catchUpMs)} | ${r.answers.accepted} | ${r.answers.unavailable} (${r.answers.spoolFull}) | ${r.answers.unreachable} |`),
    '',
    `After the last fault the load stopped; the platform caught up with everything in ${seconds(run.finalCatchUpMs)}, and every count sign showed its zone’s free count ${seconds(run.signsShowMs)} later.`,
    '',
    '| Check | Result |',
    '|---|---|',
    ...run.checks.map((check) => `| ${check.name} | ${check.problems.length === 0 ? 'passed' : `**${check.problems.length} problems**: ${check.problems.slice(0, 3).join('; ').replace(/\|/g, '/')}` } |`),
    '',
    `Ledger: ${ledger.webhooks.length} webhooks answered 2xx (${ledger.frames.length} sensor frames, the rest count-sign reports); ${ledger.bookings.length} bookings answered 201, refused: ${refused}; never answered: ${ledger.unansweredWebhooks} webhooks, ${ledger.unansweredBookings} bookings.`,
    `${run.superseded} accepted sensor frames changed nothing because a newer frame of their sensor was applied first (a webhook replayed from the spool after newer ones went straight to JetStream, or one redelivered after the ack wait of a killed consumer): a space follows its newest reading.`,
    '',
    `Set-up ${run.setupSeconds.toFixed(0)} s; the whole run ${run.totalSeconds.toFixed(0)} s.`,
    '',
  ].join('\n');
}

void main();
