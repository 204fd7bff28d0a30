import { Module } from '@nestjs/common';
import { MetricsController } from './metrics/metrics.controller';

/** Serves `GET /metrics`. Logging (nestjs-pino) and tracing are wired by the service runtime. */
@Module({ controllers: [MetricsController] })
export class ObservabilityModule {}
