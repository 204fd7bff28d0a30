import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { cpuTicksFromStat, machineJiffies, processCpuMs } from '../ingest/proc-cpu';

/** The command name of a /proc/<pid>/stat line (field 2, which may hold spaces and parentheses). */
export function commOf(stat: string): string {
  return stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
}

/** CPU ms so far of every process whose command name is `name`, by pid. */
function cpuOfProcessesNamed(name: string, ticksToMs: number): Map<number, number> {
  const found = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (commOf(stat) === name) found.set(Number(entry), cpuTicksFromStat(stat) * ticksToMs);
    } catch {
      // The process ended while the list was read.
    }
  }
  return found;
}

/** CPU used between two readings of a group of processes; one started in between counts whole. */
export function groupDelta(before: ReadonlyMap<number, number>, after: ReadonlyMap<number, number>): number {
  let sum = 0;
  for (const [pid, ms] of after) sum += ms - (before.get(pid) ?? 0);
  return sum;
}

export interface CpuReading {
  services: Record<string, number>;
  groups: Record<string, Map<number, number>>;
  bench: number;
  machine: { busy: number; total: number };
  at: number;
}

export interface CpuUse {
  seconds: number;
  /** CPU ms per process (or group: PostgreSQL's, nats-server's, the bench's own) over the interval. */
  ms: Record<string, number>;
  /** The whole machine's busy share over the interval. */
  machineBusy: number;
}

/** Where the CPU goes: each service, PostgreSQL (all its processes), nats-server and the bench itself. */
export class CpuMeter {
  private readonly ticksToMs: number;

  constructor(private readonly services: Readonly<Record<string, number>>) {
    let ticksPerSecond = 100;
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      // 100 is what Linux reports almost everywhere.
    }
    this.ticksToMs = 1000 / ticksPerSecond;
  }

  read(): CpuReading {
    const usage = process.cpuUsage();
    return {
      services: Object.fromEntries(Object.entries(this.services).map(([name, pid]) => [name, processCpuMs(pid)])),
      groups: { postgres: cpuOfProcessesNamed('postgres', this.ticksToMs), 'nats-server': cpuOfProcessesNamed('nats-server', this.ticksToMs) },
      bench: (usage.user + usage.system) / 1000,
      machine: machineJiffies(),
      at: performance.now(),
    };
  }

  static between(before: CpuReading, after: CpuReading): CpuUse {
    const ms: Record<string, number> = {};
    for (const name of Object.keys(after.services)) ms[name] = after.services[name] - before.services[name];
    for (const name of Object.keys(after.groups)) ms[name] = groupDelta(before.groups[name], after.groups[name]);
    ms['bench (load generator)'] = after.bench - before.bench;
    return {
      seconds: (after.at - before.at) / 1000,
      ms,
      machineBusy: (after.machine.busy - before.machine.busy) / Math.max(1, after.machine.total - before.machine.total),
    };
  }
}

export interface BackendRow {
  /** The pool the connection belongs to (node-postgres sets it from applicationName). */
  application_name?: string | null;
  state: string | null;
  wait_event_type: string | null;
  wait_event: string | null;
  query: string | null;
}

/** The statement's verb and the first table of the schema it names: `INSERT monthly_usage`. */
export function statementOf(query: string | null, schema: string): string {
  if (!query) return 'statement';
  const verb = query.trim().split(/\s+/, 1)[0].toUpperCase();
  const table = new RegExp(`"?${schema}"?\\."?([a-z_]+)`, 'i').exec(query)?.[1];
  if (table) return `${verb} ${table}`;
  if (/advisory/i.test(query)) return `${verb} advisory lock`;
  return verb;
}

/** What a backend of the service is doing, in a few words, after the pool it belongs to. */
export function classifyBackend(row: BackendRow, schema: string): string {
  return `${row.application_name || 'unnamed pool'}: ${activityOf(row, schema)}`;
}

function activityOf(row: BackendRow, schema: string): string {
  if (row.state === 'idle') return 'idle in the pool';
  if (row.state === 'idle in transaction') return 'idle in transaction (waiting for the service)';
  if (row.state !== 'active') return row.state ?? 'unknown';
  if (!row.wait_event_type) return 'running a statement';
  if (row.wait_event_type === 'Lock') return `waiting for a lock (${row.wait_event}) in ${statementOf(row.query, schema)}`;
  return `waiting on ${row.wait_event_type}:${row.wait_event} in ${statementOf(row.query, schema)}`;
}

export interface BackendProfile {
  samples: number;
  intervalMs: number;
  /** Connections of the service's database role found per sample, on average. */
  connections: number;
  /** Mean number of the service's backends in each `pool: activity`, highest first. */
  meanByActivity: Array<{ activity: string; mean: number }>;
}

/** Mean backends per activity from per-sample counts. */
export function profileOf(samples: ReadonlyArray<Record<string, number>>, intervalMs: number): BackendProfile {
  const sums = new Map<string, number>();
  let connections = 0;
  for (const sample of samples) {
    for (const [activity, n] of Object.entries(sample)) {
      sums.set(activity, (sums.get(activity) ?? 0) + n);
      connections += n;
    }
  }
  const count = Math.max(1, samples.length);
  return {
    samples: samples.length,
    intervalMs,
    connections: connections / count,
    meanByActivity: [...sums].map(([activity, sum]) => ({ activity, mean: sum / count })).sort((a, b) => b.mean - a.mean),
  };
}

/** One pool's connections: how many there were, and how many were in a transaction, by what they did there. */
export interface PoolUse {
  pool: string;
  connections: number;
  /** In a transaction: running a statement, waiting for a lock, waiting on I/O or WAL, or waiting for the service. */
  inTransaction: number;
  running: number;
  locks: number;
  otherWaits: number;
  waitingForService: number;
}

/** A profile's activities summed per pool. */
export function poolsOf(profile: BackendProfile): PoolUse[] {
  const pools = new Map<string, PoolUse>();
  for (const { activity, mean } of profile.meanByActivity) {
    const split = activity.indexOf(': ');
    const pool = activity.slice(0, split);
    const what = activity.slice(split + 2);
    const use = pools.get(pool) ?? { pool, connections: 0, inTransaction: 0, running: 0, locks: 0, otherWaits: 0, waitingForService: 0 };
    use.connections += mean;
    if (what !== 'idle in the pool') use.inTransaction += mean;
    if (what === 'running a statement') use.running += mean;
    else if (what.startsWith('waiting for a lock')) use.locks += mean;
    else if (what.startsWith('waiting on')) use.otherWaits += mean;
    else if (what.startsWith('idle in transaction')) use.waitingForService += mean;
    pools.set(pool, use);
  }
  return [...pools.values()].sort((a, b) => b.inTransaction - a.inTransaction);
}

/**
 * Samples pg_stat_activity for one database role (a service's runtime role) every
 * `intervalMs`: how many of its connections run a statement, wait for a lock (and in which
 * statement), or sit in an open transaction waiting for the service's next statement.
 */
export class BackendSampler {
  private readonly samples: Array<Record<string, number>> = [];
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly adminUrl: string,
    private readonly database: string,
    private readonly role: string,
    private readonly schema: string,
    private readonly intervalMs = 20,
  ) {}

  start(): void {
    this.running = (async () => {
      const client = new Client({ connectionString: this.adminUrl, application_name: 'bench-sampler' });
      await client.connect();
      try {
        while (!this.stopped) {
          const began = performance.now();
          const { rows } = await client.query<BackendRow>(
            `SELECT application_name, state, wait_event_type, wait_event, left(query, 200) AS query FROM pg_stat_activity
              WHERE datname = $1 AND usename = $2 AND backend_type = 'client backend'`,
            [this.database, this.role],
          );
          const sample: Record<string, number> = {};
          for (const row of rows) {
            const activity = classifyBackend(row, this.schema);
            sample[activity] = (sample[activity] ?? 0) + 1;
          }
          this.samples.push(sample);
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, this.intervalMs - (performance.now() - began))));
        }
      } finally {
        await client.end();
      }
    })();
  }

  async stop(): Promise<BackendProfile> {
    this.stopped = true;
    await this.running;
    return profileOf(this.samples, this.intervalMs);
  }
}
