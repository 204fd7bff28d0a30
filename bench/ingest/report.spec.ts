import { deduplicationIdOf } from './e2e-listener';
import type { FixedRateResult } from './measure-endpoint';
import { rateCell, rateRatio, renderReport, type BenchReport, type EndpointResult } from './report';

const latency = { count: 1000, p50: 2, p99: 20, p999: 30, max: 40 };
const fixed = (errors = 0, p99?: number): FixedRateResult => ({
  outcome: { rate: 500, sent: 5000, seconds: 10, latency: p99 === undefined ? latency : { ...latency, p99 }, dispatchLag: latency, errors, transportErrors: 0, invalidSent: 50, invalidMisanswered: 0, statuses: { 200: 4950, 400: 50 } },
  cpuMsPerUplink: 0.25,
  cpuMsPerUplinkByProcess: { gateway: 0.1, ingest: 0.15 },
  machineBusy: 0.5,
});
const search = (sustainable: number) => ({ sustainable, capped: false, steps: [{ rate: sustainable, passed: true, note: `${sustainable}/s` }] });

function report(endpoints: EndpointResult[], endToEnd?: BenchReport['endToEnd']): BenchReport {
  return {
    date: '2026-11-23',
    machine: { cores: 2, cpu: 'AMD EPYC', node: 'v20.20.2', postgres: '15.20', nats: '2.9.10', loadAverage: 0.1 },
    setup: {
      devices: 10_000,
      bodyBytes: 700,
      duplicateShare: 0.02,
      invalidShare: 0.01,
      connections: 128,
      stepSeconds: 3,
      fixedSeconds: 10,
      fixedRate: 500,
      fixedRateOrigin: "half of B2's sustainable rate",
      p99LimitMs: 50,
      targetP99Ms: 25,
      targetRatio: 0.8,
      platformDevices: '10000 registered',
      platformConfig: 'LOG_LEVEL=info',
    },
    endpoints,
    endToEnd,
    runSeconds: 300,
  };
}

describe('ingest bench report', () => {
  it('shows rates, ratios and whether each target was met', () => {
    const text = renderReport(
      report(
        [
          { id: 'B2', search: search(1000), fixed: fixed() },
          { id: 'B3', search: search(2000), fixed: fixed() },
          { id: 'P', search: search(1500), fixed: fixed() },
        ],
        { expected: 4850, received: 4850, latency },
      ),
    );
    expect(text).toContain('P/B3 = 0.75 (P/B2 = 1.50) | **not met**');
    expect(text).toContain("P p99 ≤ 25 ms at half of B2's rate (500/s) | P: 20.0 ms | **met**");
    expect(text).toContain('| 0 missing of 4850 |');
    expect(text).toContain('shares its 2 cores');
  });

  it('judges the targets on the route alone when it was measured, and shows the whole platform beside it', () => {
    const text = renderReport(
      report([
        { id: 'B3', search: search(2000), fixed: fixed() },
        { id: 'PR', search: search(1800), fixed: fixed(0, 10) },
        { id: 'P', search: search(500), fixed: fixed() },
      ]),
    );
    expect(text).toContain('PR/B3 = 0.90 (PR/B2 = —; whole platform P/B3 = 0.25) | **met**');
    expect(text).toContain('| PR: 10.0 ms; whole platform P: 20.0 ms | **met**');
  });

  it('names why P was not measured instead of inventing numbers', () => {
    const text = renderReport(report([{ id: 'B2', search: search(1000), fixed: fixed() }, { id: 'P', failure: 'route not available' }]));
    expect(text).toContain('P whole platform (gateway + identity + ingest consuming on the same 2 cores): route not available');
    expect(text).toContain('| not measured |');
  });

  it('does not call the latency target met when valid bodies failed', () => {
    const text = renderReport(report([{ id: 'B2', search: search(1000), fixed: fixed() }, { id: 'P', search: search(0), fixed: fixed(12) }], 'not measured'));
    expect(text).toContain('| P: 12 errors | **not met**');
    expect(text).toMatch(/received \| — \| not measured/);
  });

  it('marks a rate that hit the search cap as a lower bound, one below every step as an upper bound, and has no ratio without both rates', () => {
    expect(rateCell({ sustainable: 16000, capped: true, steps: [] })).toBe('≥ 16000/s (search cap)');
    expect(rateRatio({ id: 'P', search: search(0) }, { id: 'B3', search: search(100) })).toBeUndefined();
    expect(rateCell({ sustainable: 0, capped: false, steps: [250, 125, 16].map((rate) => ({ rate, passed: false, note: '' })) })).toBe('< 16/s (no step passed)');
  });

  it('finds the deduplicationId in an uplink.received envelope', () => {
    const envelope = JSON.stringify({ id: 'x', data: { deviceId: 'd', deduplicationId: '3AC7E3C4-4401-4B8D-9386-A5C902F9202D', fCnt: 1 } });
    expect(deduplicationIdOf(envelope)).toBe('3ac7e3c4-4401-4b8d-9386-a5c902f9202d');
    expect(deduplicationIdOf('{"data":{}}')).toBeUndefined();
  });
});
