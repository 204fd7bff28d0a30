import { chirpstackCallDuration, chirpstackCircuitState } from '@parking/observability';
import type { ChirpStackCallObserver } from './chirpstack-client';

const CIRCUIT_VALUE = { closed: 0, half_open: 1, open: 2 } as const;

/** A connection's calls and circuit, as Prometheus metrics (the connection's id, never its token). */
export function callMetricsFor(connectionId: string): ChirpStackCallObserver {
  chirpstackCircuitState.set({ connection: connectionId }, CIRCUIT_VALUE.closed);
  return {
    attempted: (method, seconds, status) => chirpstackCallDuration.observe({ method, status }, seconds),
    circuit: (state) => chirpstackCircuitState.set({ connection: connectionId }, CIRCUIT_VALUE[state]),
  };
}
