import { EnvInt, EnvPattern, EnvUrl, ServiceEnv, bootConfig, splitList } from '@parking/config';
import { ServiceConfig, serviceConfigFrom } from '@parking/service-runtime';
import { IsOptional, IsString } from 'class-validator';

export class GatewayEnv extends ServiceEnv {
  @EnvInt({ min: 1, max: 65535 })
  GATEWAY_PORT: number = 3000;

  /** Where webhooks are fsynced while NATS is unreachable. */
  @IsString()
  SPOOL_DIR: string = '.data/spool';

  /** Most bytes of webhooks the spool holds while NATS is unreachable; beyond it webhooks get 503. */
  @EnvInt({ min: 1024 * 1024, max: Number.MAX_SAFE_INTEGER })
  SPOOL_MAX_BYTES: number = 256 * 1024 * 1024;

  /** How long a webhook waits for JetStream's ack before it is spooled instead. */
  @EnvInt({ min: 50, max: 4_000 })
  WEBHOOK_PUBLISH_TIMEOUT_MS: number = 1_000;

  /**
   * HMAC-SHA256 key (its UTF-8 bytes) of webhooks signed without `X-Integration-Id` on
   * `POST /api/v1/uplink`; their tenant is then told by the device registry. Unset: refused.
   */
  @IsOptional()
  @EnvPattern(/^\S{16,}$/, 'at least 16 characters without spaces (openssl rand -base64 32)')
  WEBHOOK_PLATFORM_SECRET?: string;

  /** Webhooks per minute one integration (or the platform secret) may send, counted per gateway process. */
  @EnvInt({ min: 1, max: 100_000_000 })
  WEBHOOK_RATE_LIMIT_PER_MINUTE: number = 50_000;

  /** How often accepted and rejected webhooks are reported to identity (per integration, batched). */
  @EnvInt({ min: 100, max: 600_000 })
  WEBHOOK_DELIVERY_REPORT_INTERVAL_MS: number = 5_000;

  /**
   * Opens the HMAC secrets of webhook integrations (identity's SECRETS_KEY, base64 of 32 bytes).
   * Unset: webhook bearer tokens still work, signed webhooks are refused.
   */
  @IsOptional()
  @EnvPattern(/^[A-Za-z0-9+/_-]{43}=?$/, 'base64 of 32 random bytes (openssl rand -base64 32)')
  SECRETS_KEY?: string;

  /** identity's SECRETS_KEY_PREVIOUS, while a rotation of SECRETS_KEY is under way. */
  @IsOptional()
  @EnvPattern(/^[A-Za-z0-9+/_-]{43}=?$/, 'base64 of 32 random bytes')
  SECRETS_KEY_PREVIOUS?: string;

  /** Shared rate-limit counters across gateway replicas; without it each process counts alone. */
  @IsOptional()
  @EnvUrl(['redis', 'rediss'])
  REDIS_URL?: string;

  /** Prefix of the rate-limit keys in Redis (tests and parallel stacks use their own). */
  @EnvPattern(/^[A-Za-z0-9:_-]{1,64}$/, 'letters, digits, ":", "_" or "-" (1..64)')
  RATE_LIMIT_KEY_PREFIX: string = 'parking:rate-limit:';

  @EnvInt({ min: 1_000, max: 3_600_000 })
  RATE_LIMIT_WINDOW_MS: number = 60_000;

  /** Requests per window from one address without valid credentials (login, register, docs). */
  @EnvInt({ min: 1, max: 1_000_000 })
  RATE_LIMIT_PER_IP: number = 120;

  /** Requests per window of one signed-in user, unless the tenant's plan says otherwise. */
  @EnvInt({ min: 1, max: 1_000_000 })
  RATE_LIMIT_PER_USER: number = 600;

  /** Requests per window of one API key, unless the tenant's plan says otherwise. */
  @EnvInt({ min: 1, max: 1_000_000 })
  RATE_LIMIT_PER_API_KEY: number = 1_200;

  /** Origins allowed by CORS, comma-separated (`https://app.example.com`); empty: no cross-origin access. */
  @EnvPattern(/^(\s*https?:\/\/[^\s,]+\s*)?(,\s*https?:\/\/[^\s,]+\s*)*$/, 'a comma-separated list of http(s) origins')
  CORS_ORIGINS: string = '';

  /**
   * Hops of proxies in front of the gateway whose X-Forwarded-For is trusted (0: none). Behind a
   * load balancer set 1, or every anonymous caller shares the balancer's per-IP budget.
   */
  @EnvInt({ min: 0, max: 10 })
  TRUST_PROXY_HOPS: number = 0;

  /** Largest JSON or form body of a REST request. */
  @EnvInt({ min: 1_024, max: 10 * 1024 * 1024 })
  BODY_LIMIT_BYTES: number = 256 * 1024;

  /** How long a REST request waits for identity (and other services) over NATS. */
  @EnvInt({ min: 100, max: 60_000 })
  RPC_TIMEOUT_MS: number = 5_000;

  /** How long a verified API key is trusted without asking identity again (revocation delay). */
  @EnvInt({ min: 0, max: 300_000 })
  API_KEY_CACHE_TTL_MS: number = 30_000;

  /** Fewest milliseconds between two JWKS fetches caused by tokens with an unknown `kid`. */
  @EnvInt({ min: 0, max: 600_000 })
  JWKS_REFRESH_MIN_INTERVAL_MS: number = 5_000;

  /** Comment lines on an idle Server-Sent Events stream, so proxies and clients see it alive. */
  @EnvInt({ min: 1_000, max: 300_000 })
  SSE_HEARTBEAT_MS: number = 15_000;

  /** Open Server-Sent Events streams one gateway process serves; beyond it 503 with Retry-After. */
  @EnvInt({ min: 1, max: 100_000 })
  SSE_MAX_STREAMS: number = 1_000;
}

export interface RateLimitConfig {
  redisUrl?: string;
  keyPrefix: string;
  windowMs: number;
  perIp: number;
  perUser: number;
  perApiKey: number;
}

export interface WebhookConfig {
  platformSecret?: string;
  publishTimeoutMs: number;
  ratePerMinute: number;
  deliveryReportIntervalMs: number;
}

export interface GatewayConfig extends ServiceConfig {
  spool: { dir: string; maxBytes: number };
  webhooks: WebhookConfig;
  http: { port: number; bodyLimitBytes: number; corsOrigins: readonly string[]; trustProxyHops: number };
  rateLimit: RateLimitConfig;
  rpc: { timeoutMs: number };
  auth: { apiKeyCacheTtlMs: number; jwksRefreshMinIntervalMs: number };
  webhookIntegrations: { secretsKey?: string; secretsKeyPrevious?: string };
  liveStreams: { heartbeatMs: number; maxStreams: number };
}

export function bootGatewayConfig(): GatewayConfig {
  return bootConfig(GatewayEnv, gatewayConfigFrom);
}

export function gatewayConfigFrom(env: GatewayEnv): GatewayConfig {
  const base = serviceConfigFrom('gateway', { ...env, HTTP_PORT: env.GATEWAY_PORT });
  return {
    ...base,
    spool: { dir: env.SPOOL_DIR, maxBytes: env.SPOOL_MAX_BYTES },
    webhooks: {
      platformSecret: env.WEBHOOK_PLATFORM_SECRET,
      publishTimeoutMs: env.WEBHOOK_PUBLISH_TIMEOUT_MS,
      ratePerMinute: env.WEBHOOK_RATE_LIMIT_PER_MINUTE,
      deliveryReportIntervalMs: env.WEBHOOK_DELIVERY_REPORT_INTERVAL_MS,
    },
    http: {
      ...base.http,
      bodyLimitBytes: env.BODY_LIMIT_BYTES,
      corsOrigins: splitList(env.CORS_ORIGINS),
      trustProxyHops: env.TRUST_PROXY_HOPS,
    },
    rateLimit: {
      redisUrl: env.REDIS_URL,
      keyPrefix: env.RATE_LIMIT_KEY_PREFIX,
      windowMs: env.RATE_LIMIT_WINDOW_MS,
      perIp: env.RATE_LIMIT_PER_IP,
      perUser: env.RATE_LIMIT_PER_USER,
      perApiKey: env.RATE_LIMIT_PER_API_KEY,
    },
    rpc: { timeoutMs: env.RPC_TIMEOUT_MS },
    auth: { apiKeyCacheTtlMs: env.API_KEY_CACHE_TTL_MS, jwksRefreshMinIntervalMs: env.JWKS_REFRESH_MIN_INTERVAL_MS },
    webhookIntegrations: { secretsKey: env.SECRETS_KEY, secretsKeyPrevious: env.SECRETS_KEY_PREVIOUS },
    liveStreams: { heartbeatMs: env.SSE_HEARTBEAT_MS, maxStreams: env.SSE_MAX_STREAMS },
  };
}
