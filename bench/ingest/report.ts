import { cpus } from 'node:os';
import type { EndToEndResult } from './e2e-listener';
import type { LatencySummary } from './latency';
import type { FixedRateResult } from './measure-endpoint';
import type { RateSearchResult } from './rate-search';

export type EndpointId = 'B0' | 'B2' | 'B3' | 'PR' | 'P';

export const ENDPOINT_LABELS: Record<EndpointId, string> = {
  B0: 'B0 bare Fastify, answers 200',
  B2: 'B2 Fastify, validate + INSERT … ON CONFLICT DO NOTHING (pg Pool)',
  B3: 'B3 Fastify, validate + JetStream publish, await ack',
  PR: 'P route alone (gateway + identity; ingest paused, raw webhooks wait in JetStream)',
  P: 'P whole platform (gateway + identity + ingest consuming on the same 2 cores)',
};

export interface EndpointResult {
  id: EndpointId;
  search?: RateSearchResult;
  fixed?: FixedRateResult;
  /** Why it was not (fully) measured. */
  failure?: string;
}

export interface Machine {
  cores: number;
  cpu: string;
  node: string;
  postgres: string;
  nats: string;
  /** 1-minute load average when the run began: other work on the machine skews everything. */
  loadAverage: number;
}

/** This machine as a report names it. */
export function machineOf(postgres: string, nats: string, loadAverage: number): Machine {
  return { cores: cpus().length, cpu: cpus()[0]?.model.trim() ?? 'unknown', node: process.version, postgres, nats, loadAverage };
}

export interface BenchSetup {
  devices: number;
  bodyBytes: number;
  duplicateShare: number;
  invalidShare: number;
  connections: number;
  stepSeconds: number;
  fixedSeconds: number;
  fixedRate: number;
  fixedRateOrigin: string;
  p99LimitMs: number;
  targetP99Ms: number;
  targetRatio: number;
  platformDevices: string;
  /** How the platform ran (log level, limits changed for the bench). */
  platformConfig: string;
}

export interface BenchReport {
  date: string;
  machine: Machine;
  setup: BenchSetup;
  endpoints: EndpointResult[];
  /** undefined: P did not run; 'not measured': no event arrived in time. */
  endToEnd?: EndToEndResult | 'not measured';
  runSeconds: number;
}

export const ms = (value: number) => `${value.toFixed(1)} ms`;
const pct = (share: number) => `${(share * 100).toFixed(0)} %`;

export function rateCell(search: RateSearchResult | undefined): string {
  if (!search) return '—';
  if (search.capped) return `≥ ${search.sustainable}/s (search cap)`;
  if (search.sustainable === 0) return `< ${Math.min(...search.steps.map((s) => s.rate))}/s (no step passed)`;
  return `${search.sustainable}/s`;
}

export function latencyCells(latency: LatencySummary | undefined): string {
  return latency ? `${ms(latency.p50)} | ${ms(latency.p99)} | ${ms(latency.p999)}` : '— | — | —';
}

function invalidCell(result: EndpointResult): string {
  const fixed = result.fixed;
  if (!fixed) return '—';
  if (result.id === 'B0') return 'n/a (no validation)';
  const { invalidSent, invalidMisanswered } = fixed.outcome;
  return invalidMisanswered === 0 ? `all ${invalidSent}` : `${invalidSent - invalidMisanswered} of ${invalidSent}`;
}

/** Ratio of two sustainable rates, or undefined when either is missing or zero. */
export function rateRatio(numerator: EndpointResult | undefined, denominator: EndpointResult | undefined): number | undefined {
  const a = numerator?.search?.sustainable;
  const b = denominator?.search?.sustainable;
  return a && b ? a / b : undefined;
}

export const verdict = (met: boolean | undefined) => (met === undefined ? 'not measured' : met ? '**met**' : '**not met**');

export function endpointRow(result: EndpointResult): string {
  const fixed = result.fixed;
  const errors = fixed ? String(fixed.outcome.errors) : '—';
  const cpu = fixed ? fixed.cpuMsPerUplink.toFixed(3) : '—';
  const label = result.failure && !fixed ? `${ENDPOINT_LABELS[result.id]}: ${result.failure}` : ENDPOINT_LABELS[result.id];
  return `| ${label} | ${rateCell(result.search)} | ${latencyCells(fixed?.outcome.latency)} | ${errors} | ${invalidCell(result)} | ${cpu} |`;
}

function endToEndRow(e2e: BenchReport['endToEnd']): string {
  const label = 'P end to end: webhook sent → `ingest.uplink.received.v1` received';
  if (e2e === undefined) return `| ${label} | — | — | — | — | not run | — | — |`;
  if (e2e === 'not measured' || !e2e.latency) return `| ${label} | — | not measured | — | — | — | — | — |`;
  return `| ${label} | — | ${latencyCells(e2e.latency)} | ${e2e.expected - e2e.received} missing of ${e2e.expected} | — | — |`;
}

const TABLE_ORDER: readonly EndpointId[] = ['B0', 'B2', 'B3', 'PR', 'P'];

/** Baselines from the cheapest up, then the platform (they run in another order: B2 sets the fixed rate). */
function inTableOrder(endpoints: readonly EndpointResult[]): EndpointResult[] {
  return [...endpoints].sort((a, b) => TABLE_ORDER.indexOf(a.id) - TABLE_ORDER.indexOf(b.id));
}

/** The summary table, also pasted into README.md. */
export function summaryTable(report: BenchReport): string[] {
  const byId = new Map(report.endpoints.map((e) => [e.id, e]));
  // The targets are about the webhook route: measured alone (PR) when it ran, else with the whole platform.
  const whole = byId.get('P');
  const p = byId.get('PR') ?? whole;
  const pOverB2 = rateRatio(p, byId.get('B2'));
  const pOverB3 = rateRatio(p, byId.get('B3'));
  const wholeOverB3 = p !== whole ? rateRatio(whole, byId.get('B3')) : undefined;
  const pP99 = p?.fixed && p.fixed.outcome.errors === 0 ? p.fixed.outcome.latency.p99 : undefined;
  const wholeP99 = p !== whole && whole?.fixed && whole.fixed.outcome.errors === 0 ? whole.fixed.outcome.latency.p99 : undefined;
  const pName = p?.id ?? 'P';
  const { setup } = report;
  return [
    `| endpoint | sustainable rate (p99 < ${setup.p99LimitMs} ms, no errors) | p50 at ${setup.fixedRate}/s | p99 | p99.9 | errors (valid bodies not 2xx) | invalid bodies → 4xx | CPU ms / uplink |`,
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...inTableOrder(report.endpoints).map(endpointRow),
    endToEndRow(report.endToEnd),
    '',
    '| target | measured | |',
    '| --- | --- | --- |',
    `| P ≥ ${setup.targetRatio} × B3 (sustainable rate) | ${pName}/B3 = ${pOverB3?.toFixed(2) ?? '—'} (${pName}/B2 = ${pOverB2?.toFixed(2) ?? '—'}${wholeOverB3 !== undefined ? `; whole platform P/B3 = ${wholeOverB3.toFixed(2)}` : ''}) | ${verdict(pOverB3 === undefined ? undefined : pOverB3 >= setup.targetRatio)} |`,
    `| P p99 ≤ ${setup.targetP99Ms} ms at half of B2's rate (${setup.fixedRate}/s) | ${pName}: ${pP99 === undefined ? (p?.fixed ? `${p.fixed.outcome.errors} errors` : '—') : ms(pP99)}${wholeP99 !== undefined ? `; whole platform P: ${ms(wholeP99)}` : ''} | ${verdict(p?.fixed ? pP99 !== undefined && pP99 <= setup.targetP99Ms : undefined)} |`,
  ];
}

function stepLines(result: EndpointResult): string[] {
  if (!result.search) return [`- ${result.id}: ${result.failure ?? 'not run'}`];
  return [`- ${result.id}:`, ...result.search.steps.map((s) => `  - ${s.passed ? 'pass' : 'FAIL'} ${s.note}`)];
}

function fixedDetails(result: EndpointResult): string | undefined {
  if (!result.fixed) return undefined;
  const { outcome, machineBusy, cpuMsPerUplinkByProcess } = result.fixed;
  const statuses = Object.entries(outcome.statuses).map(([s, n]) => `${s}×${n}`);
  const cpu = Object.entries(cpuMsPerUplinkByProcess).map(([name, value]) => `${name} ${value.toFixed(3)}`);
  return (
    `- ${result.id}: ${outcome.sent} requests in ${outcome.seconds.toFixed(1)} s, statuses ${statuses.join(' ')}, max ${ms(outcome.latency.max)}, ` +
    `generator dispatch lag p99 ${ms(outcome.dispatchLag.p99)}, machine busy ${pct(machineBusy)}, CPU ms / uplink ${cpu.join(', ')}`
  );
}

export function renderReport(report: BenchReport): string {
  const { machine, setup } = report;
  return [
    `# Ingest hot path: ChirpStack webhook to durable (${report.date})`,
    '',
    `Machine: ${machine.cores} cores (${machine.cpu}), Node ${machine.node}, PostgreSQL ${machine.postgres}, nats-server ${machine.nats}.`,
    `The load generator runs on the same machine and shares its ${machine.cores} cores with the servers, PostgreSQL and NATS; every number here is lower than on a machine of its own.`,
    `Load average when the run began: ${machine.loadAverage.toFixed(2)} (anything else running shows up as noise here).`,
    '',
    `Load: ${setup.devices.toLocaleString('en')} simulated Nwave NPS405 sensors sending ChirpStack v4 \`up\` JSON bodies (~${setup.bodyBytes} bytes, random deduplicationId, fCnt counting up per device),`,
    `${pct(setup.duplicateShare)} exact resends of an earlier body, ${pct(setup.invalidShare)} invalid bodies (cut-off JSON, no devEui, deduplicationId not a UUID).`,
    `Open loop: requests leave on a fixed schedule whatever the answers, latency counts from the scheduled send time (no coordinated omission); undici pool, ${setup.connections} connections, no pipelining.`,
    `Sustainable rate: the highest rate whose ${setup.stepSeconds}-s step had p99 < ${setup.p99LimitMs} ms and every valid body answered 2xx (doubling, then bisecting).`,
    `Latency columns: a ${setup.fixedSeconds}-s step at ${setup.fixedRate}/s (${setup.fixedRateOrigin}).`,
    'CPU ms / uplink: user + system time (/proc/<pid>/stat) of the endpoint\'s own processes during the fixed-rate step and until their consumers caught up, divided by the requests sent;',
    'for P the gateway, identity and ingest processes, for the baselines their server process (each runs in a child process). PostgreSQL and NATS are not included in either.',
    `Platform: ${setup.platformConfig}; devices: ${setup.platformDevices}.`,
    '',
    ...summaryTable(report),
    '',
    '## Rate search steps',
    '',
    ...report.endpoints.flatMap(stepLines),
    '',
    '## Fixed-rate steps',
    '',
    ...report.endpoints.map(fixedDetails).filter((line): line is string => line !== undefined),
    '',
    `Whole run: ${report.runSeconds.toFixed(0)} s. Reproduce: \`npm run bench:ingest\` (PostgreSQL at DATABASE_URL, NATS with JetStream at NATS_URL; knobs in bench/ingest/settings.ts).`,
    '',
  ].join('\n');
}
