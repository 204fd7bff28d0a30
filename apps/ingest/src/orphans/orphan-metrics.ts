import { metricsRegistry } from '@parking/observability';
import { Counter } from 'prom-client';

/** Events of devEUIs a source could not add as orphans (past ORPHAN_DEVEUIS_PER_SOURCE): acknowledged, not recorded. */
export const orphanEventsCapped = new Counter({
  name: 'ingest_orphan_events_capped_total',
  help: 'Events of unregistered devEUIs not recorded as orphans because their source (a tenant, or the platform secret) holds as many orphan devEUIs as it may.',
  labelNames: ['source'] as const,
  registers: [metricsRegistry],
});
