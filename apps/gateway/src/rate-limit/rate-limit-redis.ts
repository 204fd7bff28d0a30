import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { InjectConfig } from '@parking/config';
import type { GatewayConfig } from '../config';

/**
 * The Redis connection behind the shared rate-limit counters, when REDIS_URL is set. Commands
 * fail fast while Redis is away (no offline queue) and the limiter then lets requests
 * through: an outage of the counters must not become an outage of the API.
 */
@Injectable()
export class RateLimitRedis implements OnApplicationShutdown {
  private readonly logger = new Logger(RateLimitRedis.name);
  readonly client?: Redis;

  constructor(@InjectConfig() config: GatewayConfig) {
    const { redisUrl } = config.rateLimit;
    if (!redisUrl) return;
    this.client = new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectionName: 'gateway-rate-limit' });
    this.client.on('error', (error: Error) => this.logger.warn(`Redis for rate limits: ${error.message}`));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client?.quit().catch(() => this.client?.disconnect());
  }
}
