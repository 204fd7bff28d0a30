import type { LoggerService } from '@nestjs/common';
import { QuietFrameworkLogger } from './quiet-framework-logger';

function recording(): { logger: LoggerService; lines: string[] } {
  const lines: string[] = [];
  const at = (level: string) => (message: unknown, ...rest: unknown[]) => lines.push(`${level} ${String(message)} [${rest.join(',')}]`);
  return { lines, logger: { log: at('info'), error: at('error'), warn: at('warn'), debug: at('debug'), verbose: at('verbose'), fatal: at('fatal') } };
}

describe('QuietFrameworkLogger', () => {
  it("moves Nest's module and route lines to debug", () => {
    const { logger, lines } = recording();
    const quiet = new QuietFrameworkLogger(logger);
    quiet.log('Mapped {/health/ready, GET} route', 'RouterExplorer');
    quiet.log('HealthController {/health}:', 'RoutesResolver');
    quiet.log('AuthModule dependencies initialized', 'InstanceLoader');
    quiet.log('Nest application successfully started', 'NestApplication');
    expect(lines).toEqual([
      'debug Mapped {/health/ready, GET} route [RouterExplorer]',
      'debug HealthController {/health}: [RoutesResolver]',
      'debug AuthModule dependencies initialized [InstanceLoader]',
      'debug Nest application successfully started [NestApplication]',
    ]);
  });

  it("keeps the services' own lines and every warning and error where they were", () => {
    const { logger, lines } = recording();
    const quiet = new QuietFrameworkLogger(logger);
    quiet.log('gateway 0.1.0 listening on :3000');
    quiet.log('shutdown received', 'Shutdown');
    quiet.warn('a route is mapped twice', 'RouterExplorer');
    quiet.error('cannot resolve a dependency', 'stack', 'InstanceLoader');
    quiet.fatal('out of memory');
    expect(lines).toEqual([
      'info gateway 0.1.0 listening on :3000 []',
      'info shutdown received [Shutdown]',
      'warn a route is mapped twice [RouterExplorer]',
      'error cannot resolve a dependency [stack,InstanceLoader]',
      'fatal out of memory []',
    ]);
  });
});
