import { BeforeApplicationShutdown, DynamicModule, Global, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { ConfigModule } from '@parking/config';
import { ObservabilityModule, createLoggerParams } from '@parking/observability';
import { ProblemDetailsFilter } from '@parking/problem-details';
import { HealthController } from './health.controller';
import { ReadinessRegistry } from './readiness-registry';
import { ServiceConfig } from './service-config';
import { TransportExceptionFilter } from './transport-exception.filter';

/** Readiness turns false first on shutdown, before consumers drain and connections close. */
@Injectable()
class ShutdownSignal implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Shutdown');
  constructor(private readonly readiness: ReadinessRegistry) {}

  beforeApplicationShutdown(signal?: string): void {
    this.readiness.markShuttingDown();
    this.logger.log(`${signal ?? 'shutdown'} received: draining in-flight work`);
  }

  onApplicationShutdown(): void {
    this.logger.log('stopped');
  }
}

/**
 * What every service has: its loaded configuration, redacted JSON logs, health, metrics
 * and problem+json errors. A service's root module imports this once.
 */
@Global()
@Module({})
export class ServiceRuntimeModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: ServiceRuntimeModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(createLoggerParams({ service: config.service, version: config.version, level: config.log.level })),
        ObservabilityModule,
      ],
      controllers: [HealthController],
      providers: [ReadinessRegistry, ShutdownSignal, ProblemDetailsFilter, { provide: APP_FILTER, useClass: TransportExceptionFilter }],
      exports: [ReadinessRegistry],
    };
  }
}
