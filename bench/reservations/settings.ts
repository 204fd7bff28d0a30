import { positiveNumber } from '../ingest/settings';

/**
 * Environment knobs of `npm run bench:reservations` (BENCH_RESERVATIONS_*). The defaults keep
 * the run within about ten minutes on 2 cores.
 */
export interface ReservationsSettings {
  /** Spaces every request picks among. */
  spaces: number;
  /** Requests per contention round, and requests in flight in the closed-loop contention step. */
  contenders: number;
  /** Seconds of the closed-loop contention step. */
  contentionSeconds: number;
  /** Seconds per rate-search step. */
  stepSeconds: number;
  /** Seconds of the fixed-rate step. */
  fixedSeconds: number;
  /** Bookings per second of the fixed-rate step. */
  fixedRate: number;
  /** A rate well below the stack's ceiling, through the gateway and by RPC: latency and CPU without queues. */
  lightRate: number;
  lightSeconds: number;
  startRate: number;
  maxRate: number;
  bisectSteps: number;
  confirmFailures: boolean;
  /** A rate-search step passes when p99 stays below this and every answer is 201 or 409. */
  p99LimitMs: number;
  /** HTTP connections of the load generator's pool. */
  connections: number;
  /** Connections of the bare insert's pool: the service's own DATABASE_POOL_MAX default. */
  barePool: number;
  /** Search the bare insert in the same run (BENCH_RESERVATIONS_BARE=0 skips it; no ratio then). */
  bare: boolean;
  /** Also book straight over RPC (light and fixed rate), to split the gateway's share off (BENCH_RESERVATIONS_RPC=0 skips it). */
  rpcStep: boolean;
  /** Seed of the contention pattern. */
  seed: number;
  /** Targets printed next to the numbers. */
  targets: { p99Ms: number; ratio: number };
  serviceLogLevel: string;
  /** Where the services write V8 CPU profiles of the fixed-rate step through the gateway; unset: none. */
  cpuProfileDir?: string;
}

export function readReservationsSettings(env: NodeJS.ProcessEnv = process.env): ReservationsSettings {
  const n = (name: string, fallback: number) => positiveNumber(env, `BENCH_RESERVATIONS_${name}`, fallback);
  return {
    spaces: n('SPACES', 10),
    contenders: n('CONTENDERS', 50),
    contentionSeconds: n('CONTENTION_SECONDS', 20),
    stepSeconds: n('STEP_SECONDS', 5),
    fixedSeconds: n('FIXED_SECONDS', 20),
    fixedRate: n('FIXED_RATE', 200),
    lightRate: n('LIGHT_RATE', 20),
    lightSeconds: n('LIGHT_SECONDS', 10),
    startRate: n('START_RATE', 100),
    maxRate: n('MAX_RATE', 6_400),
    bisectSteps: n('BISECT_STEPS', 3),
    confirmFailures: env.BENCH_RESERVATIONS_CONFIRM_FAILURES !== '0',
    p99LimitMs: n('P99_LIMIT_MS', 50),
    connections: n('CONNECTIONS', 128),
    barePool: n('BARE_POOL', 10),
    bare: env.BENCH_RESERVATIONS_BARE !== '0',
    rpcStep: env.BENCH_RESERVATIONS_RPC !== '0',
    seed: n('SEED', 20261206),
    targets: { p99Ms: 30, ratio: 0.5 },
    serviceLogLevel: env.BENCH_SERVICE_LOG_LEVEL || 'info',
    cpuProfileDir: env.BENCH_RESERVATIONS_CPU_PROFILE_DIR || undefined,
  };
}
