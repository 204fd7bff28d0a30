import type { EndToEndResult } from '../ingest/e2e-listener';
import type { LatencySummary } from '../ingest/latency';
import type { FixedRateResult } from '../ingest/measure-endpoint';
import type { RateSearchResult } from '../ingest/rate-search';
import { latencyCells, ms, rateCell, verdict, type Machine } from '../ingest/report';
import type { E2ePhase } from './settings';

export const STATE_CHANGED_LABEL = '`occupancy.space.state_changed.v1`';

/** Latencies of one way of seeing the state changes (NATS subscriber or SSE) at the fixed rate. */
export interface EventLatency extends EndToEndResult {
  /** p99 over all awaited events, one that never came counting as infinitely late. */
  p99OfExpected: number;
}

/** The SSE measurement, or why there is none. */
export type SseResult = (EventLatency & { messages: number; heartbeats: number; reconnects: number; lastError?: string }) | { unavailable: string };

export interface B2Run {
  when: 'before the stack' | 'after the stack';
  /** 1-minute load average as the search began. */
  loadAverage: number;
  search?: RateSearchResult;
  failure?: string;
}

export interface E2eSetup {
  spaces: number;
  zones: number;
  bodyBytes: number;
  duplicateShare: number;
  invalidShare: number;
  connections: number;
  stepSeconds: number;
  fixedSeconds: number;
  fixedRate: number;
  fixedRateOrigin: string;
  p99LimitMs: number;
  graceMs: number;
  /** How the B2 baseline was searched (its own rule, as in bench:ingest). */
  baselineRule: string;
  devices: string;
  seeding: string;
  /** The bookings and signs on the path, and how they were set up. */
  mix: string;
  platformConfig: string;
  targets: { ratio: number; eventP99Ms: number; sseP99Ms: number };
}

/** How one way of seeing a zone's new count kept up with the webhooks, matched by the counts shown. */
export interface ZoneGuidanceLatency {
  /** What was seen during the load and until it settled (frames at ChirpStack, or events). */
  observations: number;
  /** Of those, the ones that reflect at least one webhook not reflected before: each gives one latency. */
  reflecting: number;
  /** Webhooks no observation reflected. */
  unreflected: number;
  /** Webhook sent → seen, from the first webhook each reflecting observation reflects. */
  latency?: LatencySummary;
}

/** The zone-guidance phase: webhook → the zone's count sign frame enqueued at ChirpStack. */
export interface ZoneGuidanceResult {
  setup: {
    zones: number;
    spacesPerZone: number;
    rate: number;
    seconds: number;
    /** The downlink service's signage settings for the run, as set. */
    signage: Record<string, string>;
    airtime: {
      dataRate: number;
      /** Time on air of a count frame without text, and of one saying FULL. */
      countFrameMs: number;
      fullFrameMs: number;
      /** The most one sign may use an hour at its pacing (FULL frames), against its own gateway's budget. */
      perSignMsPerHour: number;
      gatewayBudgetMsPerHour: number;
      /** All signs at their pacing, against the tenant's cap. */
      tenantMsPerHour: number;
      tenantBudgetMsPerHour: number;
    };
    platformConfig: string;
    /** What was set up before the load, and how long each part took. */
    preparation: string;
  };
  /** 1-minute load average as the load began. */
  loadAverage?: number;
  webhooks?: { sent: number; errors: number; answeredP99Ms: number; dispatchLagP99Ms: number };
  /** The baseline: webhook → `occupancy.zone.availability_changed.v1` at a NATS subscriber. */
  event?: ZoneGuidanceLatency;
  /** Webhook → the count sign's frame at ChirpStack (`DeviceService.Enqueue`). */
  frame?: ZoneGuidanceLatency;
  /** Where the frames' time went, stage by stage in the order they follow each other (see frame-stages.ts). */
  stages?: Array<{ label: string; latency?: LatencySummary }>;
  /** Every zone availability event the bench saw → the downlink service began handling it (matched to a frame or not). */
  handlingLag?: LatencySummary;
  /** How many frames the stages cover, and of those how many went out with other bytes than their command holds now. */
  split?: { frames: number; rewritten: number };
  /** CPU ms per second each service, the bench's own process and all PostgreSQL processes used during the load. */
  cpuMsPerSecond?: Record<string, number>;
  /** The whole machine's busy share during the load. */
  machineBusy?: number;
  /** CPU ms per second each service used with no traffic, just before the load. */
  idleCpuMsPerSecond?: Record<string, number>;
  /** Frames ChirpStack took for the signs per second, from the load's start to the last frame. */
  framesPerSecond?: number;
  /** Whether every sign ended on its zone's final count within the settle time. */
  settled?: boolean;
  targetP99Ms: number;
  failure?: string;
}

export interface E2eReport {
  date: string;
  machine: Machine;
  setup: E2eSetup;
  /**
   * B2 measured before and after the stack (the machine is shared: its load changes within a
   * run); the ratio uses the higher rate, so noise cannot make the stack look better.
   */
  b2: B2Run[];
  stack: {
    search?: RateSearchResult;
    fixed?: FixedRateResult;
    /** 1-minute load average as the rate search began. */
    loadAverage?: number;
    fixedLoadAverage?: number;
    /** CPU ms per second each service used with no traffic, measured before the fixed step. */
    idleCpuMsPerSecond?: Record<string, number>;
    failure?: string;
  };
  event?: EventLatency;
  /** Webhook → `ingest.uplink.received.v1` at the fixed rate: the first half of the way. */
  uplinkReceived?: EventLatency;
  /** What the load did past the state change: sign frames at ChirpStack, bookings checked in and completed. */
  alongThePath?: string;
  sse?: SseResult;
  /** The phases run; all when absent. */
  phases?: readonly E2ePhase[];
  /** Absent when the phase was not run. */
  zoneGuidance?: ZoneGuidanceResult;
  runSeconds: number;
}

/** Text fit for a table cell: one line, no column separators. */
const cell = (text: string) => text.replace(/\s+/g, ' ').replace(/\|/g, '/').trim();

const sseMeasured = (sse: SseResult | undefined): sse is Exclude<SseResult, { unavailable: string }> => sse !== undefined && !('unavailable' in sse);

function missingCell(result: EndToEndResult | undefined): string {
  if (!result) return '—';
  return `${result.expected - result.received} of ${result.expected}`;
}

const p99Text = (value: number | undefined) => (value === undefined ? '—' : Number.isFinite(value) ? ms(value) : 'more than 1 % of events missing');

/** The higher of B2's measured rates, if any. */
export function bestB2(report: E2eReport): number | undefined {
  const rates = report.b2.flatMap((run) => (run.search?.sustainable ? [run.search.sustainable] : []));
  return rates.length ? Math.max(...rates) : undefined;
}

/** Sustainable rate of the whole stack over B2's (the higher one), when both were measured. */
export function stackOverB2(report: E2eReport): number | undefined {
  const stack = report.stack.search?.sustainable;
  const b2 = bestB2(report);
  return stack && b2 ? stack / b2 : undefined;
}

function b2Cell(runs: readonly B2Run[]): string {
  if (runs.length === 0) return 'not run';
  return runs
    .map((run) => `${run.failure && !run.search ? cell(run.failure) : rateCell(run.search)} (${run.when}, load ${run.loadAverage.toFixed(1)})`)
    .join('; ');
}

/** The summary table, also pasted into README.md. */
export function summaryTable(report: E2eReport): string[] {
  const { setup, event, sse } = report;
  const ratio = stackOverB2(report);
  const fixed = report.stack.fixed;
  const sseRow = sseMeasured(sse)
    ? `| webhook sent → the event on the site's SSE stream (\`GET /api/v1/sites/{id}/events\`) | — | ${latencyCells(sse.latency)} | ${missingCell(sse)} |`
    : `| webhook sent → the event on the site's SSE stream (\`GET /api/v1/sites/{id}/events\`) | — | not available${sse ? `: ${cell(sse.unavailable)}` : ''} | — | — | — |`;
  const sseVerdict = sseMeasured(sse) ? verdict(sse.p99OfExpected <= setup.targets.sseP99Ms) : 'not measured';
  return [
    `| measure | sustainable rate | p50 at ${setup.fixedRate}/s | p99 | p99.9 | events missing |`,
    '| --- | --- | --- | --- | --- | --- |',
    `| B2 baseline: validate + \`INSERT … ON CONFLICT DO NOTHING\` (${setup.baselineRule}) | ${b2Cell(report.b2)} | — | — | — | — |`,
    `| whole stack: webhook sent → ${STATE_CHANGED_LABEL} at a NATS subscriber | ${report.stack.failure && !report.stack.search ? cell(report.stack.failure) : rateCell(report.stack.search)} | ${latencyCells(event?.latency)} | ${missingCell(event)} |`,
    sseRow,
    `| of which webhook sent → \`ingest.uplink.received.v1\` | — | ${latencyCells(report.uplinkReceived?.latency)} | ${missingCell(report.uplinkReceived)} |`,
    `| whole stack: webhook answered (HTTP) | — | ${latencyCells(fixed?.outcome.latency)} | — |`,
    '',
    '| target | measured | |',
    '| --- | --- | --- |',
    `| end-to-end sustainable rate ≥ ${setup.targets.ratio} × B2 | ${ratio === undefined ? '—' : `${ratio.toFixed(2)} × B2 (${bestB2(report)}/s, the higher B2)`} | ${verdict(ratio === undefined ? undefined : ratio >= setup.targets.ratio)} |`,
    `| p99 webhook → event ≤ ${setup.targets.eventP99Ms} ms at ${setup.fixedRate}/s (${setup.fixedRateOrigin}) | ${p99Text(event?.p99OfExpected)} | ${verdict(event ? event.p99OfExpected <= setup.targets.eventP99Ms : undefined)} |`,
    `| p99 webhook → SSE ≤ ${setup.targets.sseP99Ms} ms at ${setup.fixedRate}/s | ${sseMeasured(sse) ? p99Text(sse.p99OfExpected) : 'not available'} | ${sseVerdict} |`,
  ];
}

function searchLines(label: string, search: RateSearchResult | undefined, failure: string | undefined): string[] {
  if (!search) return [`- ${label}: ${failure ?? 'not run'}`];
  return [`- ${label}:${failure ? ` (${failure})` : ''}`, ...search.steps.map((s) => `  - ${s.passed ? 'pass' : 'FAIL'} ${s.note}`)];
}

function fixedLines(report: E2eReport): string[] {
  const fixed = report.stack.fixed;
  if (!fixed) return ['- not run'];
  const { outcome, machineBusy, cpuMsPerUplinkByProcess } = fixed;
  const statuses = Object.entries(outcome.statuses).map(([s, n]) => `${s}×${n}`);
  const cpu = Object.entries(cpuMsPerUplinkByProcess).map(([name, value]) => `${name} ${value.toFixed(3)}`);
  const lines = [
    `- ${outcome.sent} webhooks in ${outcome.seconds.toFixed(1)} s, statuses ${statuses.join(' ')}, webhook answered max ${ms(outcome.latency.max)}, generator dispatch lag p99 ${ms(outcome.dispatchLag.p99)}.`,
    `- Load average when the step began: ${report.stack.fixedLoadAverage?.toFixed(2) ?? '—'}; machine busy ${(machineBusy * 100).toFixed(0)} %; CPU ms per uplink ${fixed.cpuMsPerUplink.toFixed(3)} (${cpu.join(', ')}), until the consumers caught up; PostgreSQL and NATS not included.`,
  ];
  const idle = report.stack.idleCpuMsPerSecond;
  if (idle) {
    const perSecond = Object.values(idle).reduce((a, b) => a + b, 0);
    lines.push(
      `- With no traffic the services use ${perSecond.toFixed(0)} CPU ms per second (${Object.entries(idle).map(([name, value]) => `${name} ${value.toFixed(0)}`).join(', ')}), ` +
        `${(perSecond / outcome.rate).toFixed(3)} ms per uplink at ${outcome.rate}/s of the figure above.`,
    );
  }
  if (report.event) lines.push(`- NATS: ${report.event.received} of ${report.event.expected} events${maxText(report.event.latency)}.`);
  if (report.alongThePath) lines.push(`- Along the path, over the whole stack phase: ${report.alongThePath}.`);
  const sse = report.sse;
  if (sseMeasured(sse)) {
    lines.push(
      `- SSE: ${sse.received} of ${sse.expected} events${maxText(sse.latency)}; ${sse.messages} state changes and ${sse.heartbeats} heartbeats read over the whole run, ${sse.reconnects} reconnects${sse.lastError ? ` (last: ${sse.lastError})` : ''}.`,
    );
  } else if (sse) {
    lines.push(`- SSE: not available: ${sse.unavailable}.`);
  }
  return lines;
}

const maxText = (latency: LatencySummary | undefined) => (latency ? `, max ${ms(latency.max)}` : '');

const AVAILABILITY_LABEL = '`occupancy.zone.availability_changed.v1`';

const guidanceCells = (latency: LatencySummary | undefined) => (latency ? `${ms(latency.p50)} | ${ms(latency.p99)} | ${ms(latency.max)}` : '— | — | —');

/** Whether the frames met the target: p99 within it, and every sign ending on its zone's last count (no webhook left unshown). */
export function zoneGuidanceMet(result: ZoneGuidanceResult): boolean | undefined {
  const p99 = result.frame?.latency?.p99;
  if (p99 === undefined) return undefined;
  return p99 <= result.targetP99Ms && result.settled === true;
}

/** The zone-guidance tables, also pasted into README.md. */
export function zoneGuidanceTable(result: ZoneGuidanceResult): string[] {
  const { setup, event, frame, stages } = result;
  const seen = (latency: ZoneGuidanceLatency | undefined, what: string) => (latency ? `${latency.reflecting} of ${latency.observations} ${what}` : '—');
  const failure = result.failure ? ` (${cell(result.failure)})` : '';
  return [
    `| measure at ${setup.rate} uplinks/s over ${setup.zones} zones | reflecting new webhooks | p50 | p99 | max |`,
    '| --- | --- | --- | --- | --- |',
    `| baseline: webhook sent → ${AVAILABILITY_LABEL} at a NATS subscriber | ${seen(event, 'events')} | ${guidanceCells(event?.latency)} |`,
    `| webhook sent → the zone's count sign frame enqueued at ChirpStack${failure} | ${seen(frame, 'frames')} | ${guidanceCells(frame?.latency)} |`,
    ...(stages ?? []).map((stage) => `| of which ${stage.label} | — | ${guidanceCells(stage.latency)} |`),
    '',
    '| target | measured | |',
    '| --- | --- | --- |',
    `| p99 webhook → count sign frame enqueued ≤ ${result.targetP99Ms} ms | ${frame?.latency ? ms(frame.latency.p99) : 'not measured'}${result.settled === false ? ' (not every sign ended on its last count)' : ''} | ${verdict(zoneGuidanceMet(result))} |`,
  ];
}

function zoneGuidanceLines(result: ZoneGuidanceResult): string[] {
  const { setup } = result;
  const a = setup.airtime;
  const seconds = (value: number) => `${(value / 1000).toFixed(0)} s`;
  const lines = [
    '## Zone guidance: webhook to the count sign\'s frame at ChirpStack',
    '',
    `Requirement: a count sign's frame is enqueued within ${result.targetP99Ms / 1000} s (p99) of the first webhook whose change it reflects.`,
    `Stack: ${setup.platformConfig}.`,
    `Tenant: one site with ${setup.zones} levels of ${setup.spacesPerZone} spaces, each over its own Nwave NPS405, and one count sign (\`count-display\`) bound to each level,`,
    "each heard by its own gateway (the sign's own uplink before the load names it, so every sign has its own duty-cycle budget).",
    `Load: ${setup.rate} uplinks/s for ${setup.seconds} s, open loop (latency from the scheduled send), the levels in turn; in each level its sensors turn occupied one after another until it is full,`,
    `then free one after another, so each level's free count runs down and up (${(setup.rate / setup.zones).toFixed(0)} changes/s per level) and seldom repeats within seconds. Before the load every sensor reported free and every sign showed its level's full count.`,
    `Signage settings of the downlink service: ${Object.entries(setup.signage).map(([name, value]) => `${name}=${value}`).join(', ')} (EU868 DR${a.dataRate}: SF7, 250 kHz).`,
    `Airtime: a count frame is ${a.countFrameMs.toFixed(1)} ms on air (${a.fullFrameMs.toFixed(1)} ms saying FULL); at one frame per ${setup.signage.SIGNAGE_MIN_FRAME_INTERVAL_MS} ms a sign uses at most ${seconds(a.perSignMsPerHour)} an hour`,
    `against its gateway's ${seconds(a.gatewayBudgetMsPerHour)} (RX2's 10 % sub-band), all signs at most ${seconds(a.tenantMsPerHour)} against the tenant's ${seconds(a.tenantBudgetMsPerHour)}: ${a.perSignMsPerHour <= a.gatewayBudgetMsPerHour && a.tenantMsPerHour <= a.tenantBudgetMsPerHour ? 'the budget does not bind' : 'the budget MAY bind'}.`,
    `Matching: frames are read where ChirpStack takes them (\`DeviceService.Enqueue\` on the fake, when the call arrived) and matched to webhooks by the count they show: a frame showing k reflects`,
    "its level's webhooks after those an earlier frame reflected, up to the newest one sent before the frame arrived that left the level at k; its latency counts from the first of them.",
    `Frames that reflect no new webhook (a resend, the state before the load) are skipped. The baseline, ${AVAILABILITY_LABEL} at a NATS subscriber in the same run, is matched the same way;`,
    "the 'of which' rows split each frame's latency at the event that first reflected its first webhook, when the downlink service began handling that event (its inbox),",
    "the display's pacing (its command's queueing and the previous send), the sender pass that sent it (the downlink service's command history) and chirpstack-sync's record of the call;",
    'percentiles of parts do not add up.',
    `Preparation: ${setup.preparation}.`,
    '',
    ...zoneGuidanceTable(result),
    '',
  ];
  if (result.failure) lines.push(`- Not measured in full: ${result.failure}.`);
  if (result.webhooks) {
    const w = result.webhooks;
    lines.push(
      `- ${w.sent} webhooks, ${w.errors} not answered 2xx, answered p99 ${ms(w.answeredP99Ms)}, generator dispatch lag p99 ${ms(w.dispatchLagP99Ms)}; load average when the load began ${result.loadAverage?.toFixed(2) ?? '—'}.`,
    );
  }
  if (result.split) {
    lines.push(
      `- The stages cover ${result.split.frames} of the ${result.frame?.reflecting ?? 0} reflecting frames (the rest lack a point on record); ` +
        `${result.split.rewritten} of them went out with other bytes than their command holds now (the command was rewritten after it was sent).`,
    );
  }
  if (result.handlingLag) {
    const l = result.handlingLag;
    lines.push(`- Every availability event of the levels the bench saw (${l.count}), matched to a frame or not → the downlink service began handling it: p50 ${ms(l.p50)}, p99 ${ms(l.p99)}, max ${ms(l.max)}.`);
  }
  const roundTripSeconds = setup.spacesPerZone / (setup.rate / setup.zones);
  if (result.frame?.latency && result.frame.latency.max > roundTripSeconds * 1000) {
    lines.push(
      `- Matching by count is exact while a frame reaches ChirpStack before its count comes round again (a mid count after about ${roundTripSeconds.toFixed(0)} s here, ` +
        'counts near full or empty sooner); frames later than that are taken for newer webhooks with the same count, so the frame latencies above understate and more frames count as reflecting nothing new.',
    );
  }
  if (result.framesPerSecond !== undefined) {
    const allowed = (setup.zones * 1000) / Number(setup.signage.SIGNAGE_MIN_FRAME_INTERVAL_MS);
    lines.push(`- ChirpStack took ${result.framesPerSecond.toFixed(1)} frames per second for the ${setup.zones} signs from the load's start to the last frame; their pacing allows up to ${allowed.toFixed(0)}.`);
  }
  if (result.frame && result.event) {
    lines.push(
      `- Webhooks no frame reflected: ${result.frame.unreflected}; no event: ${result.event.unreflected}. ${result.settled ? 'Every sign ended on its level\'s last count.' : 'NOT every sign ended on its level\'s last count within the settle time.'}`,
    );
  }
  if (result.cpuMsPerSecond) {
    const { bench, postgres, ...services } = result.cpuMsPerSecond;
    const total = Object.values(services).reduce((sum, value) => sum + value, 0);
    const others = [bench === undefined ? '' : `the bench's own process (load generator, NATS subscriber, fake ChirpStack) ${bench.toFixed(0)}`, postgres === undefined ? '' : `every PostgreSQL process on the machine ${postgres.toFixed(0)}`].filter(Boolean);
    lines.push(
      `- CPU during the load, ms per second: ${total.toFixed(0)} over the services (${Object.entries(services).map(([name, value]) => `${name} ${value.toFixed(0)}`).join(', ')})` +
        `${others.length ? `; ${others.join('; ')}` : ''}${result.machineBusy === undefined ? '' : `; the machine ${(result.machineBusy * 100).toFixed(0)} % busy`}.`,
    );
  }
  if (result.idleCpuMsPerSecond) {
    const idle = result.idleCpuMsPerSecond;
    const total = Object.values(idle).reduce((sum, value) => sum + value, 0);
    lines.push(`- With no traffic, just before the load, the services used ${total.toFixed(0)} CPU ms per second (${Object.entries(idle).map(([name, value]) => `${name} ${value.toFixed(0)}`).join(', ')}).`);
  }
  return [...lines, ''];
}

export function renderReport(report: E2eReport): string {
  const { machine, setup } = report;
  const stackRun = report.phases === undefined || report.phases.includes('stack');
  const title = stackRun
    ? `Whole stack: ChirpStack webhook to \`occupancy.space.state_changed.v1\` and the SSE stream${report.zoneGuidance ? ', and to count sign frames' : ''}`
    : 'Whole stack: ChirpStack webhook to count sign frames (zone guidance)';
  const stack = [
    `Stack: ${setup.platformConfig}.`,
    `Tenant: one site with ${setup.zones} levels and ${setup.spaces.toLocaleString('en')} spaces, each over its own Nwave NPS405 (${setup.devices}; ${setup.seeding}).`,
    `Mix: ${setup.mix}.`,
    `Load: ChirpStack v4 \`up\` JSON bodies (~${setup.bodyBytes} bytes), each sensor once per round in a random order, its parking status alternating occupied / free with its fCnt counting up, so every valid uplink changes its space;`,
    `${(setup.duplicateShare * 100).toFixed(0)} % exact resends, ${(setup.invalidShare * 100).toFixed(0)} % invalid bodies. Open loop: requests leave on a fixed schedule, latency counts from the scheduled send time; undici pool, ${setup.connections} connections.`,
    `Events are matched to uplinks by the reading's deduplicationId.`,
    `Sustainable rate: the highest rate whose ${setup.stepSeconds}-s step had every valid webhook answered 2xx and webhook sent → ${STATE_CHANGED_LABEL} p99 < ${setup.p99LimitMs} ms,`,
    `an event not seen ${setup.graceMs / 1000} s after the step's last answer counting as infinitely late (doubling, then bisecting; consumers drained between steps).`,
    `Latency columns: a ${setup.fixedSeconds}-s step at ${setup.fixedRate}/s (${setup.fixedRateOrigin}); the NATS subscriber and the SSE client both watch it.`,
    '',
    ...summaryTable(report),
    '',
    '## Rate search steps',
    '',
    ...report.b2.flatMap((run) => searchLines(`B2 ${run.when}`, run.search, run.failure)),
    ...searchLines(`whole stack${report.stack.loadAverage === undefined ? '' : ` (load ${report.stack.loadAverage.toFixed(1)})`}`, report.stack.search, report.stack.failure),
    '',
    '## Fixed-rate step',
    '',
    ...fixedLines(report),
    '',
  ];
  return [
    `# ${title} (${report.date})`,
    '',
    `Machine: ${machine.cores} cores (${machine.cpu}), Node ${machine.node}, PostgreSQL ${machine.postgres}, nats-server ${machine.nats}.`,
    `The load generator, the NATS subscriber${stackRun ? ' and the SSE client' : ' and the fake ChirpStack'} run on the same machine and share its ${machine.cores} cores with the services, PostgreSQL and NATS.`,
    `Load average when the run began: ${machine.loadAverage.toFixed(2)} (anything else running shows up as noise here; the later load averages count the bench's own processes too).`,
    '',
    ...(stackRun ? stack : ['The rate search and fixed-rate step of the whole stack were not run (BENCH_E2E_PHASES).', '']),
    ...(report.zoneGuidance ? zoneGuidanceLines(report.zoneGuidance) : []),
    `Whole run: ${report.runSeconds.toFixed(0)} s. Reproduce: \`npm run bench:e2e\` (PostgreSQL at DATABASE_URL, NATS with JetStream at NATS_URL; knobs in bench/e2e/settings.ts).`,
    '',
  ].join('\n');
}
