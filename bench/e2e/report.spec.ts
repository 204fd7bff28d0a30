import type { FixedRateResult } from '../ingest/measure-endpoint';
import { renderReport, stackOverB2, summaryTable, zoneGuidanceMet, zoneGuidanceTable, type E2eReport, type EventLatency, type ZoneGuidanceResult } from './report';

const latency = { count: 1000, p50: 40, p99: 120, p999: 180, max: 200 };
const event = (p99OfExpected: number, received = 1000): EventLatency => ({ expected: 1000, received, latency: { ...latency, p99: p99OfExpected }, p99OfExpected });
const search = (sustainable: number) => ({ sustainable, capped: false, steps: [{ rate: sustainable, passed: true, note: `${sustainable}/s: fine` }] });
const fixed: FixedRateResult = {
  outcome: { rate: 300, sent: 6000, seconds: 20, latency: { ...latency, p50: 3, p99: 30 }, dispatchLag: latency, errors: 0, transportErrors: 0, invalidSent: 60, invalidMisanswered: 0, statuses: { 200: 5940, 400: 60 } },
  cpuMsPerUplink: 2.5,
  cpuMsPerUplinkByProcess: { gateway: 0.8, ingest: 0.7, occupancy: 0.9, identity: 0.1 },
  machineBusy: 0.7,
};

function report(overrides: Partial<E2eReport> = {}): E2eReport {
  return {
    date: '2026-11-24',
    machine: { cores: 2, cpu: 'AMD EPYC', node: 'v20.20.2', postgres: '15.20', nats: '2.9.10', loadAverage: 1.5 },
    setup: {
      spaces: 10_000,
      zones: 10,
      bodyBytes: 790,
      duplicateShare: 0.02,
      invalidShare: 0.01,
      connections: 128,
      stepSeconds: 5,
      fixedSeconds: 20,
      fixedRate: 300,
      fixedRateOrigin: "half of the stack's sustainable rate, which is below half of B2's",
      p99LimitMs: 500,
      graceMs: 3000,
      baselineRule: 'p99 < 50 ms',
      devices: '10000 NPS405 sensors registered',
      seeding: 'one import',
      mix: '1,000 of the 10,000 spaces (10 %) booked',
      platformConfig: 'compiled services',
      targets: { ratio: 0.5, eventP99Ms: 150, sseP99Ms: 500 },
    },
    b2: [
      { when: 'before the stack', loadAverage: 0.5, search: search(2000) },
      { when: 'after the stack', loadAverage: 3.2, search: search(1500) },
    ],
    stack: { search: search(600), fixed, idleCpuMsPerSecond: { gateway: 60, identity: 100, ingest: 100, occupancy: 100 } },
    event: event(120),
    uplinkReceived: event(40),
    sse: { ...event(140), messages: 6000, heartbeats: 3, reconnects: 0 },
    runSeconds: 500,
    ...overrides,
  };
}

const targetRows = (r: E2eReport) => summaryTable(r).filter((line) => line.startsWith('| end-to-end') || line.startsWith('| p99'));

describe('e2e bench report', () => {
  it('prints the ratio to the higher B2 and each target as met when it is', () => {
    const r = report();
    expect(stackOverB2(r)).toBeCloseTo(0.3);
    expect(summaryTable(r).join('\n')).toContain('| 2000/s (before the stack, load 0.5); 1500/s (after the stack, load 3.2) |');
    const [ratio, event, sse] = targetRows(r);
    expect(ratio).toContain('0.30 × B2 (2000/s, the higher B2)');
    expect(ratio).toContain('**not met**');
    expect(event).toContain('120.0 ms');
    expect(event).toContain('**met**');
    expect(sse).toContain('140.0 ms');
    expect(sse).toContain('**met**');
  });

  it('states the mix of bookings and signs, and what the load did along the path', () => {
    const text = renderReport(report({ alongThePath: '480 count sign frames enqueued at ChirpStack; bookings now 400 checked_in' }));
    expect(text).toContain('Mix: 1,000 of the 10,000 spaces (10 %) booked.');
    expect(text).toContain('- Along the path, over the whole stack phase: 480 count sign frames enqueued at ChirpStack; bookings now 400 checked_in.');
    expect(renderReport(report())).not.toContain('Along the path');
  });

  it('does not pass a latency target on the events that came when more than 1 % never did', () => {
    const [, eventRow] = targetRows(report({ event: event(Infinity, 900) }));
    expect(eventRow).toContain('more than 1 % of events missing');
    expect(eventRow).toContain('**not met**');
    expect(summaryTable(report({ event: event(Infinity, 900) })).join('\n')).toContain('| 100 of 1000 |');
  });

  it('says the SSE stream was not available, and why, instead of a number', () => {
    const r = report({ sse: { unavailable: 'GET /api/v1/sites/x/events answered 404' } });
    const table = summaryTable(r).join('\n');
    expect(table).toContain('not available: GET /api/v1/sites/x/events answered 404');
    expect(targetRows(r)[2]).toContain('not measured');
  });

  it('leaves the ratio unmeasured without B2 and names why the stack was not measured', () => {
    const r = report({ b2: [], stack: { failure: 'seeding failed: boom' }, event: undefined, sse: undefined, uplinkReceived: undefined });
    const table = summaryTable(r).join('\n');
    expect(table).toMatch(/ON CONFLICT DO NOTHING` \([^)]*\) \| not run \|/);
    expect(table).toContain('seeding failed: boom');
    expect(targetRows(r).every((row) => row.endsWith('not measured |'))).toBe(true);
  });

  it('renders the whole file with the rule, the load average and every search step', () => {
    const text = renderReport(report());
    expect(text).toContain('Load average when the run began: 1.50');
    expect(text).toContain('p99 < 500 ms');
    expect(text).toContain('- pass 600/s: fine');
    expect(text).toContain('occupancy 0.900');
    expect(text).toContain('6000 state changes and 3 heartbeats');
    expect(text).toContain('With no traffic the services use 360 CPU ms per second (gateway 60, identity 100, ingest 100, occupancy 100), 1.200 ms per uplink at 300/s');
  });

  describe('zone guidance', () => {
    const guidance = (frameP99: number, overrides: Partial<ZoneGuidanceResult> = {}): ZoneGuidanceResult => ({
      setup: {
        zones: 10,
        spacesPerZone: 100,
        rate: 100,
        seconds: 60,
        signage: { SIGNAGE_RX2_DATA_RATE: '6', SIGNAGE_MIN_FRAME_INTERVAL_MS: '400' },
        airtime: { dataRate: 6, countFrameMs: 25.7, fullFrameMs: 30.8, perSignMsPerHour: 277_000, gatewayBudgetMsPerHour: 360_000, tenantMsPerHour: 2_770_000, tenantBudgetMsPerHour: 3_600_000 },
        platformConfig: 'six services',
        preparation: 'stack up in 20 s',
      },
      webhooks: { sent: 6000, errors: 0, answeredP99Ms: 40, dispatchLagP99Ms: 2 },
      event: { observations: 5200, reflecting: 5100, unreflected: 0, latency: { ...latency, p99: 300 } },
      frame: { observations: 1500, reflecting: 1400, unreflected: 0, latency: { ...latency, p50: 500, p99: frameP99, max: frameP99 + 10 } },
      stages: [{ label: 'webhook sent → the event', latency: { ...latency, p50: 90 } }],
      cpuMsPerSecond: { downlink: 300, bench: 50, postgres: 600 },
      machineBusy: 0.8,
      settled: true,
      targetP99Ms: 1000,
      ...overrides,
    });
    const targetRow = (result: ZoneGuidanceResult) => zoneGuidanceTable(result).find((line) => line.startsWith('| p99 webhook → count sign frame')) ?? '';

    it('shows the baseline beside the frames, the stages, and the target met only with p99 within it and every sign on its last count', () => {
      const table = zoneGuidanceTable(guidance(800)).join('\n');
      expect(table).toContain('| baseline: webhook sent → `occupancy.zone.availability_changed.v1` at a NATS subscriber | 5100 of 5200 events | 40.0 ms | 300.0 ms | 200.0 ms |');
      expect(table).toContain("| webhook sent → the zone's count sign frame enqueued at ChirpStack | 1400 of 1500 frames | 500.0 ms | 800.0 ms | 810.0 ms |");
      expect(table).toContain('| of which webhook sent → the event | — | 90.0 ms |');
      expect(targetRow(guidance(800))).toContain('**met**');
      expect(targetRow(guidance(1200))).toContain('**not met**');
      expect(zoneGuidanceMet(guidance(800, { settled: false }))).toBe(false);
      expect(targetRow(guidance(800, { settled: false }))).toContain('not every sign ended on its last count');
      expect(zoneGuidanceMet(guidance(800, { frame: undefined }))).toBeUndefined();
    });

    it('renders its section with the settings, the airtime and the CPU, and only that when the stack phase was not run', () => {
      const text = renderReport(report({ phases: ['zone-guidance'], zoneGuidance: guidance(800), b2: [], stack: { failure: 'not run (BENCH_E2E_PHASES)' } }));
      expect(text).toContain('## Zone guidance');
      expect(text).toContain('SIGNAGE_RX2_DATA_RATE=6, SIGNAGE_MIN_FRAME_INTERVAL_MS=400');
      expect(text).toContain('at one frame per 400 ms a sign uses at most 277 s an hour');
      expect(text).toContain('the budget does not bind');
      expect(text).toContain("every PostgreSQL process on the machine 600; the machine 80 % busy");
      expect(text).toContain('were not run (BENCH_E2E_PHASES)');
      expect(text).not.toContain('## Rate search steps');
      expect(renderReport(report())).not.toContain('## Zone guidance');
      expect(text).not.toContain('understate');
      expect(renderReport(report({ zoneGuidance: guidance(30_000) }))).toContain('a mid count after about 10 s here');
    });

    it('names why the phase was not measured', () => {
      const table = zoneGuidanceTable(guidance(800, { failure: 'binding L0 count sign did not happen within 60 s', frame: undefined, event: undefined, stages: undefined })).join('\n');
      expect(table).toContain('(binding L0 count sign did not happen within 60 s) | — | — | — | — |');
      expect(table).toContain('| not measured |');
    });
  });
});

