import { EnvInt, ServiceEnv, bootConfig } from '@parking/config';
import { ServiceConfig, serviceConfigFrom } from '@parking/service-runtime';
import { IsString } from 'class-validator';

class GatewayEnv extends ServiceEnv {
  @EnvInt({ min: 1, max: 65535 })
  GATEWAY_PORT: number = 3000;

  /** Where webhooks are fsynced while NATS is unreachable. */
  @IsString()
  SPOOL_DIR: string = '.data/spool';
}

export interface GatewayConfig extends ServiceConfig {
  spool: { dir: string };
}

export function bootGatewayConfig(): GatewayConfig {
  return bootConfig(GatewayEnv, (env) => ({
    ...serviceConfigFrom('gateway', { ...env, HTTP_PORT: env.GATEWAY_PORT }),
    spool: { dir: env.SPOOL_DIR },
  }));
}
