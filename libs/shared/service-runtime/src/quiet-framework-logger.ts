import type { LoggerService } from '@nestjs/common';

/** Where Nest's own start-up lines come from: modules initialised, routes mapped, "successfully started". */
const FRAMEWORK_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'NestApplication', 'NestMicroservice']);

/**
 * The app's logger, with Nest's own start-up chatter (a line per module and per route, some
 * 300 for the platform) at debug: at info an operator sees each service's ready line. Only
 * those informational lines move; the framework's warnings and errors stay as they are.
 */
export class QuietFrameworkLogger implements LoggerService {
  constructor(private readonly logger: LoggerService) {}

  log(message: unknown, ...rest: unknown[]): void {
    const context = rest[rest.length - 1];
    if (typeof context === 'string' && FRAMEWORK_CONTEXTS.has(context)) this.logger.debug?.(message, ...rest);
    else this.logger.log(message, ...rest);
  }

  error(message: unknown, ...rest: unknown[]): void {
    this.logger.error(message, ...rest);
  }

  warn(message: unknown, ...rest: unknown[]): void {
    this.logger.warn(message, ...rest);
  }

  debug(message: unknown, ...rest: unknown[]): void {
    this.logger.debug?.(message, ...rest);
  }

  verbose(message: unknown, ...rest: unknown[]): void {
    this.logger.verbose?.(message, ...rest);
  }

  fatal(message: unknown, ...rest: unknown[]): void {
    if (this.logger.fatal) this.logger.fatal(message, ...rest);
    else this.logger.error(message, ...rest);
  }
}
