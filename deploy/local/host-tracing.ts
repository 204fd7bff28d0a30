// Loaded first by the service host: tracing must patch http before Nest and Fastify load. One
// process, one tracer: its spans name the platform rather than a service.
import { startTracing } from '@parking/observability/tracing';

startTracing({ service: 'parking' });
