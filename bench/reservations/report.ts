import type { RateSearchResult } from '../ingest/rate-search';
import { latencyCells, ms, rateCell, verdict, type Machine } from '../ingest/report';
import { conflictShare, otherCount, othersText, type LoadOutcome } from './booking-load';
import { poolsOf, type BackendProfile, type CpuUse } from './observe';

/** A rate search of the bare insert, before or after the stack. */
export interface BareRun {
  when: 'before the stack' | 'after the stack';
  /** 1-minute load average as the search began. */
  loadAverage: number;
  search?: RateSearchResult;
  failure?: string;
}

/** One measured step with what the machine did meanwhile. */
export interface Measured {
  outcome: LoadOutcome;
  loadAverage: number;
  cpu?: CpuUse;
  backends?: BackendProfile;
}

export interface ReservationsSetup {
  spaces: number;
  contenders: number;
  pattern: string;
  contentionSeconds: number;
  stepSeconds: number;
  fixedSeconds: number;
  fixedRate: number;
  p99LimitMs: number;
  connections: number;
  barePool: number;
  platformConfig: string;
  platformSetup: string;
  /** The limits raised for the bench, in words. */
  limits: string[];
  targets: { p99Ms: number; ratio: number };
}

export interface Integrity {
  /** 201 answers over the whole run (every phase against the stack). */
  created: number;
  /** Active bookings of the tenant in reservations.reservations afterwards. */
  rows: number;
  /** Pairs of active bookings of one space whose windows overlap (the constraint allows none). */
  overlaps: number;
  bareCreated: number;
  bareRows: number;
  bareOverlaps: number;
}

export interface ReservationsReport {
  date: string;
  machine: Machine;
  setup: ReservationsSetup;
  bare: BareRun[];
  bareFixed?: Measured;
  stack: {
    search?: RateSearchResult;
    loadAverage?: number;
    failure?: string;
    contention?: Measured;
    fixed?: Measured;
    rpc?: Measured;
    /** Through the gateway and by RPC at a rate well below the ceiling: latency without queues. */
    light?: { rate: number; gateway?: Measured; rpc?: Measured };
    /** CPU ms per second of each service with no traffic. */
    idleCpuMsPerSecond?: Record<string, number>;
  };
  integrity?: Integrity;
  runSeconds: number;
}

const cell = (text: string) => text.replace(/\s+/g, ' ').replace(/\|/g, '/').trim();
const pct = (share: number) => `${(share * 100).toFixed(0)} %`;

/** The higher of the bare insert's sustainable rates, if any. */
export function bestBare(report: Pick<ReservationsReport, 'bare'>): number | undefined {
  const rates = report.bare.flatMap((run) => (run.search?.sustainable ? [run.search.sustainable] : []));
  return rates.length ? Math.max(...rates) : undefined;
}

/** The stack's sustainable rate over the bare insert's (the higher one, so noise cannot flatter the stack). */
export function stackOverBare(report: Pick<ReservationsReport, 'bare' | 'stack'>): number | undefined {
  const stack = report.stack.search?.sustainable;
  const bare = bestBare(report);
  return stack && bare ? stack / bare : undefined;
}

/** A latency target holds only when nothing but 201 and 409 came back. */
export function p99Met(fixed: Measured | undefined, p99Ms: number): boolean | undefined {
  if (!fixed) return undefined;
  return otherCount(fixed.outcome) === 0 && fixed.outcome.latency.p99 <= p99Ms;
}

function bareCell(runs: readonly BareRun[]): string {
  if (runs.length === 0) return 'not run';
  return runs.map((run) => `${run.failure && !run.search ? cell(run.failure) : rateCell(run.search)} (${run.when}, load ${run.loadAverage.toFixed(1)})`).join('; ');
}

const conflictCell = (outcome: LoadOutcome | undefined) => (outcome ? pct(conflictShare(outcome)) : '—');
const othersCell = (outcome: LoadOutcome | undefined) => (outcome ? String(otherCount(outcome)) : '—');

function measuredRow(label: string, rate: string, measured: Measured | undefined): string {
  const outcome = measured?.outcome;
  return `| ${label} | ${rate} | ${latencyCells(outcome?.latency)} | ${conflictCell(outcome)} | ${othersCell(outcome)} |`;
}

/** The summary table with the targets, also pasted into README.md. */
export function summaryTable(report: ReservationsReport): string[] {
  const { setup, stack } = report;
  const ratio = stackOverBare(report);
  const contention = stack.contention?.outcome;
  const fixed = stack.fixed?.outcome;
  const others = [stack.contention, stack.fixed].reduce((n, m) => n + (m ? otherCount(m.outcome) : 0), 0);
  return [
    `| measure | sustainable rate (p99 < ${setup.p99LimitMs} ms, only 201/409) | p50 at ${setup.fixedRate}/s | p99 | p99.9 | conflicts (409) | other answers |`,
    '| --- | --- | --- | --- | --- | --- | --- |',
    measuredRow(
      `bare \`INSERT … ON CONFLICT DO NOTHING\`, same EXCLUDE constraint (pg Pool of ${setup.barePool})`,
      bareCell(report.bare),
      report.bareFixed,
    ),
    measuredRow('`POST /api/v1/reservations` through the gateway (API key, Idempotency-Key)', stack.failure && !stack.search ? cell(stack.failure) : rateCell(stack.search), stack.fixed),
    measuredRow('the same booking by RPC straight to the reservations service (no gateway)', '—', stack.rpc),
    contention
      ? `| ${setup.contenders}-way contention through the gateway: ${setup.contenders} requests always in flight, ${setup.contentionSeconds} s | ${Math.round(contention.rate)}/s achieved | ${latencyCells(contention.latency)} | ${conflictCell(contention)} (${contention.created} × 201, ${contention.conflicts} × 409) | ${othersCell(contention)} |`
      : `| ${setup.contenders}-way contention through the gateway | not run | — | — | — | — | — |`,
    '',
    '| target | measured | |',
    '| --- | --- | --- |',
    `| p99 ≤ ${setup.targets.p99Ms} ms at ${setup.fixedRate}/s (open loop) | ${fixed ? `${ms(fixed.latency.p99)} (p50 ${ms(fixed.latency.p50)})` : '—'} | ${verdict(p99Met(stack.fixed, setup.targets.p99Ms))} |`,
    `| sustainable rate ≥ ${setup.targets.ratio} × the bare insert's | ${ratio === undefined ? '—' : `${ratio.toFixed(2)} × (${stack.search?.sustainable}/s against ${bestBare(report)}/s, the higher bare run)`} | ${verdict(ratio === undefined ? undefined : ratio >= setup.targets.ratio)} |`,
    `| answers other than 201 and 409 (contention and fixed-rate steps) | ${stack.contention || stack.fixed ? String(others) : '—'} | ${verdict(stack.contention || stack.fixed ? others === 0 : undefined)} |`,
  ];
}

function searchLines(label: string, search: RateSearchResult | undefined, failure: string | undefined): string[] {
  if (!search) return [`- ${label}: ${failure ?? 'not run'}`];
  return [`- ${label}:${failure ? ` (${failure})` : ''}`, ...search.steps.map((s) => `  - ${s.passed ? 'pass' : 'FAIL'} ${s.note}`)];
}

/** CPU ms per booking by process, highest first. */
export function cpuPerBooking(measured: Measured): Array<{ name: string; ms: number }> {
  const cpu = measured.cpu;
  if (!cpu || measured.outcome.sent === 0) return [];
  return Object.entries(cpu.ms)
    .map(([name, total]) => ({ name, ms: total / measured.outcome.sent }))
    .sort((a, b) => b.ms - a.ms);
}

const cpuText = (measured: Measured) =>
  cpuPerBooking(measured)
    .map(({ name, ms: value }) => `${name} ${value.toFixed(2)}`)
    .join(', ');

const backendsText = (profile: BackendProfile) =>
  `${profile.connections.toFixed(1)} connections on average over ${profile.samples} samples every ${profile.intervalMs} ms: ` +
  profile.meanByActivity
    .filter((a) => a.mean >= 0.005)
    .map((a) => `${a.activity} ${a.mean.toFixed(2)}`)
    .join('; ');

function measuredLines(label: string, measured: Measured | undefined): string[] {
  if (!measured) return [`- ${label}: not run`];
  const { outcome } = measured;
  const lines = [
    `- ${label}: ${outcome.sent} requests in ${outcome.seconds.toFixed(1)} s (${Math.round(outcome.sent / Math.max(outcome.seconds, 1e-9))}/s answered), ${outcome.created} booked, ${outcome.conflicts} conflicts (${pct(conflictShare(outcome))}), other answers: ${othersText(outcome.others)}.`,
    `  Latency p50 / p99 / p99.9 / max ${ms(outcome.latency.p50)} / ${ms(outcome.latency.p99)} / ${ms(outcome.latency.p999)} / ${ms(outcome.latency.max)}` +
      `${outcome.createdLatency ? `; booked p50 ${ms(outcome.createdLatency.p50)} p99 ${ms(outcome.createdLatency.p99)}` : ''}` +
      `${outcome.conflictLatency ? `; conflicts p50 ${ms(outcome.conflictLatency.p50)} p99 ${ms(outcome.conflictLatency.p99)}` : ''}` +
      `; ${outcome.meanInFlight.toFixed(1)} requests in flight on average${outcome.dispatchLag ? `; generator dispatch lag p99 ${ms(outcome.dispatchLag.p99)}` : ''}; load average ${measured.loadAverage.toFixed(2)} as it began.`,
  ];
  if (measured.cpu) lines.push(`  CPU ms per request: ${cpuText(measured)}; machine busy ${pct(measured.cpu.machineBusy)}.`);
  if (measured.backends) lines.push(`  The reservations service's database connections: ${backendsText(measured.backends)}.`);
  return lines;
}

const SERVICES = ['gateway', 'identity', 'occupancy', 'reservations'];

/** Requests answered per second over a step. */
const answeredRate = (outcome: LoadOutcome) => outcome.sent / Math.max(outcome.seconds, 1e-9);

/**
 * CPU ms per booking by process with the CPU the services burn anyway (idle, per second)
 * taken off: at a light rate that share would otherwise dominate.
 */
export function netCpuPerBooking(measured: Measured, idle: Record<string, number> | undefined): Array<{ name: string; ms: number }> {
  const cpu = measured.cpu;
  if (!cpu || measured.outcome.sent === 0) return [];
  return Object.entries(cpu.ms)
    .map(([name, total]) => ({ name, ms: Math.max(0, total - (idle?.[name] ?? 0) * cpu.seconds) / measured.outcome.sent }))
    .sort((a, b) => b.ms - a.ms);
}

function cpuLine(label: string, perBooking: Array<{ name: string; ms: number }>, cores: number, tail: string): string {
  const services = perBooking.filter((p) => SERVICES.includes(p.name));
  const total = services.reduce((n, p) => n + p.ms, 0);
  const postgres = perBooking.find((p) => p.name === 'postgres')?.ms ?? 0;
  const nats = perBooking.find((p) => p.name === 'nats-server')?.ms ?? 0;
  const path = total + postgres + nats;
  return (
    `- CPU ${label}: the services spend ${total.toFixed(2)} ms per booking (${services.map((p) => `${p.name} ${p.ms.toFixed(2)}`).join(', ')}), PostgreSQL ${postgres.toFixed(2)} ms, nats-server ${nats.toFixed(2)} ms: ` +
    `${path.toFixed(1)} CPU ms per booking, so ${cores} cores could not book more than about ${path > 0 ? Math.round((cores * 1000) / path) : '—'}/s even with nothing else running${tail}.`
  );
}

/** How long a booking holds a connection of the service's busiest pool, and doing what. */
function poolLine(label: string, measured: Measured): string | undefined {
  if (!measured.backends) return undefined;
  const [busiest] = poolsOf(measured.backends);
  if (!busiest) return undefined;
  const rate = answeredRate(measured.outcome);
  const per = (mean: number) => ms((mean * 1000) / rate);
  const locks = measured.backends.meanByActivity
    .filter((a) => a.activity.startsWith(`${busiest.pool}: waiting for a lock`))
    .map((a) => `${a.activity.slice(`${busiest.pool}: waiting for a lock `.length)} ${per(a.mean)}`);
  return (
    `- Database ${label}: the service's \`${busiest.pool}\` pool had ${busiest.connections.toFixed(1)} connections, ${busiest.inTransaction.toFixed(2)} of them in a transaction on average; ` +
    `at ${Math.round(rate)} answers/s each request held one for ${per(busiest.inTransaction)}: ${per(busiest.running)} running statements, ${per(busiest.locks)} waiting for locks${locks.length ? ` (${locks.join(', ')})` : ''}, ` +
    `${per(busiest.otherWaits)} on WAL and other waits, and ${per(busiest.waitingForService)} idle in the transaction, waiting for the service's next statement.`
  );
}

/** What the numbers say about where a booking's time and CPU go. */
export function bottleneckLines(report: ReservationsReport): string[] {
  const lines: string[] = [];
  const { fixed, rpc, contention, light, idleCpuMsPerSecond } = report.stack;
  const cores = report.machine.cores;
  if (light?.gateway?.cpu) {
    lines.push(cpuLine(`at a light ${light.rate}/s, the services' idle CPU taken off`, netCpuPerBooking(light.gateway, idleCpuMsPerSecond), cores, ' (the load generator not counted)'));
  }
  if (fixed?.cpu) {
    lines.push(cpuLine(`at ${fixed.outcome.rate}/s`, cpuPerBooking(fixed), cores, `; the machine was ${pct(fixed.cpu.machineBusy)} busy and answered ${Math.round(answeredRate(fixed.outcome))}/s`));
  }
  if (idleCpuMsPerSecond) {
    const idle = Object.values(idleCpuMsPerSecond).reduce((a, b) => a + b, 0);
    lines.push(`- With no traffic the services use ${idle.toFixed(0)} CPU ms per second (${Object.entries(idleCpuMsPerSecond).map(([n, v]) => `${n} ${v.toFixed(0)}`).join(', ')}).`);
  }
  const split = light?.gateway && light.rpc ? { rate: light.rate, g: light.gateway, r: light.rpc } : fixed && rpc ? { rate: fixed.outcome.rate, g: fixed, r: rpc } : undefined;
  if (split) {
    const g = split.g.outcome.latency;
    const r = split.r.outcome.latency;
    const bare = report.bareFixed?.outcome.latency;
    lines.push(
      `- Latency at ${split.rate}/s: p50 ${ms(g.p50)} through the gateway against ${ms(r.p50)} by RPC straight to reservations, so ${ms(g.p50 - r.p50)} is the gateway's (HTTP, API key, rate limits, validation, signing the RPC); ` +
        `p99 ${ms(g.p99)} against ${ms(r.p99)}${bare ? `. The bare insert takes p50 ${ms(bare.p50)}, p99 ${ms(bare.p99)}` : ''}.`,
    );
  }
  for (const [label, measured] of [
    [`at a light ${light?.rate ?? '?'}/s`, light?.gateway],
    [`at ${fixed?.outcome.rate ?? '?'}/s`, fixed],
    [`under ${report.setup.contenders}-way contention`, contention],
  ] as const) {
    const line = measured && poolLine(label, measured);
    if (line) lines.push(line);
  }
  if (rpc && otherCount(rpc.outcome) > 0) {
    lines.push(`- Straight over RPC at ${rpc.outcome.rate}/s the service answered ${othersText(rpc.outcome.others)} once requests had queued ${ms(rpc.outcome.latency.p50)} (p50) for a connection.`);
  }
  return lines;
}

function integrityLines(integrity: Integrity | undefined): string[] {
  if (!integrity) return ['- not checked'];
  return [
    `- Stack: ${integrity.created} answers 201 over the run, ${integrity.rows} active bookings of the tenant in \`reservations.reservations\`, ${integrity.overlaps} overlapping pairs.`,
    `- Bare insert: ${integrity.bareCreated} rows inserted, ${integrity.bareRows} in the table, ${integrity.bareOverlaps} overlapping pairs.`,
  ];
}

export function renderReport(report: ReservationsReport): string {
  const { machine, setup } = report;
  return [
    `# Reservations: booking under contention through the gateway (${report.date})`,
    '',
    `Machine: ${machine.cores} cores (${machine.cpu}), Node ${machine.node}, PostgreSQL ${machine.postgres}, nats-server ${machine.nats}.`,
    `The load generator runs on the same machine and shares its ${machine.cores} cores with the services, PostgreSQL and NATS.`,
    `Load average when the run began: ${machine.loadAverage.toFixed(2)} (anything else running shows up as noise here; the later load averages count the bench's own processes too).`,
    '',
    `Stack: ${setup.platformConfig} (${setup.platformSetup}).`,
    'Limits raised for the bench:',
    ...setup.limits.map((line) => `- ${line}`),
    '',
    `Load: ${setup.pattern}`,
    `Each booking \`POST /api/v1/reservations\` with \`X-API-Key\` and a fresh \`Idempotency-Key\`; 201 is a booking, 409 RESERVATION_OVERLAP a conflict, anything else is counted apart (and fails a step).`,
    `Open loop: requests leave on a fixed schedule, latency counts from the scheduled send time; undici pool, ${setup.connections} connections.`,
    `Sustainable rate: the highest rate whose ${setup.stepSeconds}-s step had p99 < ${setup.p99LimitMs} ms and only 201 or 409 answers (doubling from ${report.stack.search?.steps[0]?.rate ?? '—'}/s, then bisecting, a failed step repeated once).`,
    `The bare insert runs the same search with the same pattern: one \`INSERT … ON CONFLICT DO NOTHING RETURNING id\` per request (autocommit) into a copy of \`reservations.reservations\` (\`LIKE … INCLUDING ALL\`: the same columns, CHECKs, indexes and EXCLUDE constraint), over a pg Pool of ${setup.barePool} (the services' DATABASE_POOL_MAX default; the booking path itself runs on the reservations service's \`raw\` pool, below); before and after the stack, the ratio against the higher.`,
    `Latency columns: a ${setup.fixedSeconds}-s open-loop step at ${setup.fixedRate}/s.`,
    '',
    ...summaryTable(report),
    '',
    '## Where the time goes',
    '',
    ...bottleneckLines(report),
    '',
    '## Contention, fixed-rate and RPC steps',
    '',
    ...measuredLines(`${setup.contenders}-way contention through the gateway (closed loop, ${setup.contentionSeconds} s)`, report.stack.contention),
    ...(report.stack.light ? measuredLines(`through the gateway at a light ${report.stack.light.rate}/s`, report.stack.light.gateway) : []),
    ...(report.stack.light ? measuredLines(`by RPC straight to reservations at a light ${report.stack.light.rate}/s`, report.stack.light.rpc) : []),
    ...measuredLines(`through the gateway at ${setup.fixedRate}/s`, report.stack.fixed),
    ...measuredLines(`by RPC straight to reservations at ${setup.fixedRate}/s`, report.stack.rpc),
    ...measuredLines(`bare insert at ${setup.fixedRate}/s`, report.bareFixed),
    '',
    '## Rate search steps',
    '',
    ...report.bare.flatMap((run) => searchLines(`bare insert ${run.when} (load ${run.loadAverage.toFixed(1)})`, run.search, run.failure)),
    ...searchLines(`through the gateway${report.stack.loadAverage === undefined ? '' : ` (load ${report.stack.loadAverage.toFixed(1)})`}`, report.stack.search, report.stack.failure),
    '',
    '## No double booking',
    '',
    ...integrityLines(report.integrity),
    '',
    `Whole run: ${report.runSeconds.toFixed(0)} s. Reproduce: \`npm run bench:reservations\` (PostgreSQL at DATABASE_URL, NATS with JetStream at NATS_URL; knobs in bench/reservations/settings.ts).`,
    '',
  ].join('\n');
}
