import { positiveNumber } from '../ingest/settings';

/**
 * Environment knobs of `npm run bench:e2e` (BENCH_E2E_*, so they do not clash with those of
 * bench:ingest, whose B2 rule and knobs the baseline keeps). The defaults keep the run
 * within about ten minutes on 2 cores.
 */
export interface E2eSettings {
  /** Spaces, each over its own sensor (and as many sensors sending). */
  spaces: number;
  /** Levels of the one site, the spaces spread evenly over them. */
  zones: number;
  duplicateShare: number;
  invalidShare: number;
  /** Seconds per rate-search step. */
  stepSeconds: number;
  /** Seconds of the fixed-rate step. */
  fixedSeconds: number;
  /** Uplinks per second of the fixed-rate step; default half of B2 or half of the sustainable rate, whichever is lower. */
  fixedRate?: number;
  startRate: number;
  maxRate: number;
  bisectSteps: number;
  confirmFailures: boolean;
  /** A step passes when webhook → event p99 stays below this. */
  p99LimitMs: number;
  /** How long after a step's last answer its events may still arrive. */
  graceMs: number;
  connections: number;
  /** How long to wait for the fixed step's last event (NATS and SSE). */
  settleTimeoutMs: number;
  /** Concurrent requests while creating spaces and assigning sensors one by one. */
  seedConcurrency: number;
  /** Measure B2 in the same run (BENCH_E2E_B2=0 skips it; the ratio is then not printed). */
  baseline: boolean;
  serviceLogLevel: string;
  /** Where the services write V8 CPU profiles (node --cpu-prof) when they stop; unset: none. */
  cpuProfileDir?: string;
}

export function readE2eSettings(env: NodeJS.ProcessEnv = process.env): E2eSettings {
  const n = (name: string, fallback: number) => positiveNumber(env, `BENCH_E2E_${name}`, fallback);
  return {
    spaces: n('SPACES', 10_000),
    zones: n('ZONES', 10),
    duplicateShare: n('DUPLICATE_SHARE', 0.02),
    invalidShare: n('INVALID_SHARE', 0.01),
    stepSeconds: n('STEP_SECONDS', 5),
    fixedSeconds: n('FIXED_SECONDS', 20),
    fixedRate: env.BENCH_E2E_FIXED_RATE ? n('FIXED_RATE', 1) : undefined,
    startRate: n('START_RATE', 100),
    maxRate: n('MAX_RATE', 4_000),
    bisectSteps: n('BISECT_STEPS', 3),
    confirmFailures: env.BENCH_E2E_CONFIRM_FAILURES !== '0',
    p99LimitMs: n('P99_LIMIT_MS', 500),
    graceMs: n('GRACE_MS', 3_000),
    connections: n('CONNECTIONS', 128),
    settleTimeoutMs: n('SETTLE_TIMEOUT_MS', 30_000),
    seedConcurrency: n('SEED_CONCURRENCY', 16),
    baseline: env.BENCH_E2E_B2 !== '0',
    serviceLogLevel: env.BENCH_SERVICE_LOG_LEVEL || 'info',
    cpuProfileDir: env.BENCH_E2E_CPU_PROFILE_DIR || undefined,
  };
}
