import { AnswerTally, type LoadOutcome } from './booking-load';
import { bestBare, bottleneckLines, cpuPerBooking, netCpuPerBooking, p99Met, renderReport, stackOverBare, summaryTable, type Measured, type ReservationsReport } from './report';

const search = (sustainable: number, capped = false) => ({ sustainable, capped, steps: [{ rate: 100, passed: true, note: '100/s: fine' }] });

function outcome(p99: number, others: Record<string, number> = {}): LoadOutcome {
  const tally = new AnswerTally();
  for (let i = 0; i < 40; i++) tally.record({ kind: 'created' }, 5);
  for (let i = 0; i < 60; i++) tally.record({ kind: 'conflict' }, 3);
  return { ...tally.outcome(200, 0.5), latency: { count: 100, p50: 4, p99, p999: p99, max: p99 }, others };
}

const measured = (p99: number, others: Record<string, number> = {}): Measured => ({
  outcome: outcome(p99, others),
  loadAverage: 1,
  cpu: { seconds: 0.5, ms: { gateway: 150, reservations: 250, postgres: 100, 'bench (load generator)': 20 }, machineBusy: 0.6 },
  backends: {
    samples: 10,
    intervalMs: 20,
    connections: 10,
    meanByActivity: [
      { activity: 'raw: idle in the pool', mean: 6 },
      { activity: 'raw: idle in transaction (waiting for the service)', mean: 2.5 },
      { activity: 'raw: running a statement', mean: 1 },
      { activity: 'raw: waiting for a lock (transactionid) in INSERT monthly_usage', mean: 0.5 },
    ],
  },
});

function report(overrides: Partial<ReservationsReport> = {}): ReservationsReport {
  return {
    date: '2026-12-06',
    machine: { cores: 2, cpu: 'test', node: 'v20', postgres: '15', nats: '2.9', loadAverage: 0.5 },
    setup: {
      spaces: 10,
      contenders: 50,
      pattern: 'rounds of 50',
      contentionSeconds: 20,
      stepSeconds: 5,
      fixedSeconds: 20,
      fixedRate: 200,
      p99LimitMs: 50,
      connections: 128,
      barePool: 10,
      platformConfig: 'compiled services',
      platformSetup: 'ready',
      limits: ['RATE_LIMIT_PER_API_KEY 1,200 → 1,000,000'],
      targets: { p99Ms: 30, ratio: 0.5 },
    },
    bare: [
      { when: 'before the stack', loadAverage: 1, search: search(1600) },
      { when: 'after the stack', loadAverage: 2, search: search(2000) },
    ],
    stack: { search: search(800), fixed: measured(25), contention: measured(400), rpc: measured(10) },
    runSeconds: 300,
    ...overrides,
  };
}

describe('the reservations report', () => {
  it('compares the stack with the higher of the two bare runs', () => {
    expect(bestBare(report())).toBe(2000);
    expect(stackOverBare(report())).toBe(0.4);
    expect(stackOverBare(report({ bare: [] }))).toBeUndefined();
  });

  it('meets the latency target only with p99 within it and nothing but 201 and 409', () => {
    expect(p99Met(measured(30), 30)).toBe(true);
    expect(p99Met(measured(30.1), 30)).toBe(false);
    expect(p99Met(measured(5, { '500 INTERNAL': 1 }), 30)).toBe(false);
    expect(p99Met(undefined, 30)).toBeUndefined();
  });

  it('prints each target with its verdict', () => {
    const table = summaryTable(report()).join('\n');
    expect(table).toContain('| p99 ≤ 30 ms at 200/s (open loop) | 25.0 ms (p50 4.0 ms) | **met** |');
    expect(table).toContain('| sustainable rate ≥ 0.5 × the bare insert\'s | 0.40 × (800/s against 2000/s, the higher bare run) | **not met** |');
    expect(table).toContain('| answers other than 201 and 409 (contention and fixed-rate steps) | 0 | **met** |');
    expect(table).toContain('60 % (40 × 201, 60 × 409)');
  });

  it('counts other answers against the target', () => {
    const table = summaryTable(report({ stack: { search: search(800), fixed: measured(25, { '429 RATE_LIMITED': 3 }) } })).join('\n');
    expect(table).toContain('| answers other than 201 and 409 (contention and fixed-rate steps) | 3 | **not met** |');
  });

  it('splits CPU per booking by process, highest first', () => {
    expect(cpuPerBooking(measured(1)).map((p) => [p.name, p.ms])).toEqual([
      ['reservations', 2.5],
      ['gateway', 1.5],
      ['postgres', 1],
      ['bench (load generator)', 0.2],
    ]);
  });

  it('says where the time goes: CPU, the gateway against RPC, the database connections', () => {
    const lines = bottleneckLines(report()).join('\n');
    expect(lines).toContain('- CPU at 200/s: the services spend 4.00 ms per booking (reservations 2.50, gateway 1.50), PostgreSQL 1.00 ms, nats-server 0.00 ms: 5.0 CPU ms per booking, so 2 cores could not book more than about 400/s');
    expect(lines).toContain('p50 4.0 ms through the gateway against 4.0 ms by RPC');
    // 100 answers in 0.5 s: 200/s; 4 connections in a transaction hold 20 ms per request.
    expect(lines).toContain("the service's `raw` pool had 10.0 connections, 4.00 of them in a transaction on average; at 200 answers/s each request held one for 20.0 ms: 5.0 ms running statements, 2.5 ms waiting for locks ((transactionid) in INSERT monthly_usage 2.5 ms)");
    expect(lines).toContain('12.5 ms idle in the transaction');
  });

  it('takes the idle CPU off a light step, and splits latency there when it ran', () => {
    const light = measured(8);
    const lines = bottleneckLines(report({ stack: { ...report().stack, light: { rate: 20, gateway: light, rpc: measured(6) }, idleCpuMsPerSecond: { gateway: 100, reservations: 100 } } })).join('\n');
    // gateway 150 - 100 × 0.5 s = 100 ms over 100 requests.
    expect(lines).toContain('- CPU at a light 20/s, the services\' idle CPU taken off: the services spend 3.00 ms per booking (reservations 2.00, gateway 1.00)');
    expect(lines).toContain('- Latency at 20/s: p50 4.0 ms through the gateway');
    expect(netCpuPerBooking(light, { postgres: 1000 }).find((p) => p.name === 'postgres')?.ms).toBe(0);
  });

  it('names what the service answered when requests queued too long', () => {
    const lines = bottleneckLines(report({ stack: { ...report().stack, rpc: measured(5000, { INTERNAL: 12 }) } })).join('\n');
    expect(lines).toContain('the service answered INTERNAL×12');
  });

  it('renders without the stack when it could not start', () => {
    const text = renderReport(report({ stack: { failure: 'could not start: identity exited' } }));
    expect(text).toContain('could not start: identity exited');
    expect(text).toContain('- RATE_LIMIT_PER_API_KEY 1,200 → 1,000,000');
  });
});
