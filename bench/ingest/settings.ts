import type { EndpointId } from './report';

/** Environment knobs; the defaults keep the whole run within about six minutes on 2 cores. */
export interface BenchSettings {
  endpoints: EndpointId[];
  devices: number;
  duplicateShare: number;
  invalidShare: number;
  /** Seconds per rate-search step. */
  stepSeconds: number;
  /** Seconds of the fixed-rate step. */
  fixedSeconds: number;
  /** Requests per second of the fixed-rate step; default: half of B2's sustainable rate. */
  fixedRate?: number;
  startRate: number;
  maxRate: number;
  bisectSteps: number;
  /** Repeat a failing step once before believing it (BENCH_CONFIRM_FAILURES=0 turns it off). */
  confirmFailures: boolean;
  p99LimitMs: number;
  connections: number;
  /** How long to wait for the last ingest.uplink.received.v1 after the fixed step. */
  e2eTimeoutMs: number;
  /** LOG_LEVEL of the platform's services: info is what production runs with. */
  serviceLogLevel: string;
}

/** A positive number from the environment, or `fallback` when unset. */
export const positiveNumber = (env: NodeJS.ProcessEnv, name: string, fallback: number): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, not "${raw}"`);
  return value;
};

const ENDPOINTS: EndpointId[] = ['B0', 'B2', 'B3', 'PR', 'P'];

export function readSettings(env: NodeJS.ProcessEnv = process.env): BenchSettings {
  const endpoints = (env.BENCH_ENDPOINTS ?? ENDPOINTS.join(','))
    .split(',')
    .map((e) => e.trim().toUpperCase())
    .filter(Boolean);
  const unknown = endpoints.filter((e) => !ENDPOINTS.includes(e as EndpointId));
  if (unknown.length) throw new Error(`BENCH_ENDPOINTS may name ${ENDPOINTS.join(', ')}; unknown: ${unknown.join(', ')}`);
  return {
    endpoints: endpoints as EndpointId[],
    devices: positiveNumber(env, 'BENCH_DEVICES', 10_000),
    duplicateShare: positiveNumber(env, 'BENCH_DUPLICATE_SHARE', 0.02),
    invalidShare: positiveNumber(env, 'BENCH_INVALID_SHARE', 0.01),
    stepSeconds: positiveNumber(env, 'BENCH_STEP_SECONDS', 3),
    fixedSeconds: positiveNumber(env, 'BENCH_FIXED_SECONDS', 10),
    fixedRate: env.BENCH_FIXED_RATE ? positiveNumber(env, 'BENCH_FIXED_RATE', 1) : undefined,
    startRate: positiveNumber(env, 'BENCH_START_RATE', 250),
    maxRate: positiveNumber(env, 'BENCH_MAX_RATE', 16_000),
    bisectSteps: positiveNumber(env, 'BENCH_BISECT_STEPS', 3),
    confirmFailures: env.BENCH_CONFIRM_FAILURES !== '0',
    p99LimitMs: positiveNumber(env, 'BENCH_P99_LIMIT_MS', 50),
    connections: positiveNumber(env, 'BENCH_CONNECTIONS', 128),
    e2eTimeoutMs: positiveNumber(env, 'BENCH_E2E_TIMEOUT_MS', 20_000),
    serviceLogLevel: env.BENCH_SERVICE_LOG_LEVEL || 'info',
  };
}
