import type { PhaseResult, WakeResult } from './measure-wake';

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

function merge(phases: PhaseResult[]): PhaseResult {
  return {
    commits: phases.reduce((n, p) => n + p.commits, 0),
    seconds: phases.reduce((n, p) => n + p.seconds, 0),
    latencies: phases.flatMap((p) => p.latencies),
  };
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

export interface Machine {
  cores: number;
  cpu: string;
  node: string;
  postgres: string;
  nats: string;
  writers: number;
  rounds: number;
}

/** A markdown table: one row per wake mode, all rounds merged. */
export function renderReport(results: WakeResult[], machine: Machine, date: string): string {
  const rows = (['poll', 'notify'] as const).map((wake) => {
    const mine = results.filter((r) => r.wake === wake);
    const load = merge(mine.map((r) => r.load));
    const idle = merge(mine.map((r) => r.idle));
    return {
      wake,
      throughput: load.commits / load.seconds,
      line: `| ${wake} | ${(load.commits / load.seconds).toFixed(0)} | ${ms(percentile(load.latencies, 50))} | ${ms(percentile(load.latencies, 99))} | ${ms(percentile(idle.latencies, 50))} | ${ms(percentile(idle.latencies, 99))} | ${load.commits + idle.commits} |`,
      idleP50: percentile(idle.latencies, 50),
    };
  });
  const [poll, notify] = rows;
  const faster = poll.throughput >= notify.throughput ? poll : notify;
  return [
    `# Outbox relay wake-up: in-process signal + polling vs LISTEN/NOTIFY (${date})`,
    '',
    `Machine: ${machine.cores} cores (${machine.cpu}), Node ${machine.node}, PostgreSQL ${machine.postgres}, nats-server ${machine.nats}.`,
    `Load: ${machine.writers} concurrent writers, each committing one outbox row per transaction in a closed loop;`,
    'idle: one writer at ~40 commits/s. Latency = the writer\'s commit resolving → the relay seeing the JetStream ack.',
    `Modes alternate (${machine.rounds} rounds each) so both see the same machine state.`,
    '',
    '| wake | commits/s under load | commit→ack p50 (load) | p99 (load) | commit→ack p50 (idle) | p99 (idle) | events |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => r.line),
    '',
    `Faster commit throughput: **${faster.wake}** (${((Math.max(poll.throughput, notify.throughput) / Math.min(poll.throughput, notify.throughput) - 1) * 100).toFixed(1)} % more commits/s).`,
    '',
    'Reproduce: `npm run compile && node dist/bench/outbox-wakeup/main.js` (needs PostgreSQL at DATABASE_URL and NATS at NATS_URL).',
    '',
  ].join('\n');
}
