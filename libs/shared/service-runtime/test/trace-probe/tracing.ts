// Loaded first: tracing must patch http before Nest and Fastify load.
import { startTracing } from '@parking/observability/tracing';

startTracing({ service: 'trace-probe' });
