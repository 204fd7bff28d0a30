import { positiveNumber } from '../ingest/settings';

/** The parts of the run: the whole stack's rate search and latency step (with B2), and zone guidance (count signs). */
export const E2E_PHASES = ['stack', 'zone-guidance'] as const;
export type E2ePhase = (typeof E2E_PHASES)[number];

/** The zone-guidance phase: a steady load over zones, each with one count sign. */
export interface ZoneGuidanceSettings {
  zones: number;
  /** Spaces (each over its own sensor) per zone. */
  spacesPerZone: number;
  /** Uplinks per second, spread evenly over the zones. */
  rate: number;
  seconds: number;
  /** The downlink service's per-display pacing (SIGNAGE_MIN_FRAME_INTERVAL_MS). */
  minFrameIntervalMs: number;
  connections: number;
  /** How long after the load every sign may take to show its zone's last count (a backlog drains in this time). */
  settleSeconds: number;
}

/**
 * Environment knobs of `npm run bench:e2e` (BENCH_E2E_*, so they do not clash with those of
 * bench:ingest, whose B2 rule and knobs the baseline keeps). The defaults keep the run
 * within about a quarter of an hour on 2 cores; BENCH_E2E_PHASES=zone-guidance runs only the
 * count signs' phase (a few minutes).
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
  /** The stack phase's sign pacing (SIGNAGE_MIN_FRAME_INTERVAL_MS; default the downlink service's own, 2 s). */
  signIntervalMs: number;
  /** The share of the stack phase's spaces booked from its start (each checked in by its sensor, then completed). */
  bookedShare: number;
  /** Concurrent requests while creating spaces and assigning sensors one by one. */
  seedConcurrency: number;
  /** Measure B2 in the same run (BENCH_E2E_B2=0 skips it; the ratio is then not printed). */
  baseline: boolean;
  serviceLogLevel: string;
  /** Where the services write V8 CPU profiles (node --cpu-prof) when they stop; unset: none. */
  cpuProfileDir?: string;
  /** The stack phase's services in a process each (default) or all in one (BENCH_E2E_PROCESS_MODE=single). */
  singleProcess: boolean;
  /** The phases to run (BENCH_E2E_PHASES, comma-separated, e.g. `zone-guidance`; default all). */
  phases: ReadonlySet<E2ePhase>;
  /** BENCH_E2E_GUIDANCE_*: zones, spaces per zone, rate, seconds, pacing (MIN_FRAME_INTERVAL_MS), connections, settle time. */
  guidance: ZoneGuidanceSettings;
}

function phasesOf(raw: string | undefined): ReadonlySet<E2ePhase> {
  if (!raw) return new Set(E2E_PHASES);
  const named = raw.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = named.filter((name) => !(E2E_PHASES as readonly string[]).includes(name));
  if (unknown.length > 0 || named.length === 0) throw new Error(`BENCH_E2E_PHASES names ${E2E_PHASES.join(', ')}, comma-separated; not "${raw}"`);
  return new Set(named as E2ePhase[]);
}

function processModeOf(raw: string | undefined): boolean {
  if (!raw || raw === 'per-service') return false;
  if (raw === 'single') return true;
  throw new Error(`BENCH_E2E_PROCESS_MODE is per-service or single; not "${raw}"`);
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
    bookedShare: Math.min(1, n('BOOKED_SHARE', 0.1)),
    signIntervalMs: Math.round(n('SIGN_INTERVAL_MS', 2_000)),
    baseline: env.BENCH_E2E_B2 !== '0',
    serviceLogLevel: env.BENCH_SERVICE_LOG_LEVEL || 'info',
    cpuProfileDir: env.BENCH_E2E_CPU_PROFILE_DIR || undefined,
    singleProcess: processModeOf(env.BENCH_E2E_PROCESS_MODE),
    phases: phasesOf(env.BENCH_E2E_PHASES),
    guidance: {
      zones: Math.round(n('GUIDANCE_ZONES', 10)),
      spacesPerZone: Math.round(n('GUIDANCE_SPACES_PER_ZONE', 100)),
      rate: n('GUIDANCE_RATE', 100),
      seconds: n('GUIDANCE_SECONDS', 60),
      minFrameIntervalMs: Math.round(n('GUIDANCE_MIN_FRAME_INTERVAL_MS', 400)),
      connections: Math.round(n('GUIDANCE_CONNECTIONS', 32)),
      settleSeconds: n('GUIDANCE_SETTLE_SECONDS', 120),
    },
  };
}
