import { EnvInt, EnvPattern, EnvSecretsKey, EnvUrl, RpcCallerEnv, ServiceEnv, bootConfig, splitList } from '@parking/config';
import { ServiceConfig, serviceConfigFrom } from '@parking/service-runtime';
import { IsOptional, IsString, ValidateBy } from 'class-validator';

/** A variable the gateway must not be given at all: any value is refused, with why. */
function NotOnTheGateway(why: string): PropertyDecorator {
  return ValidateBy({
    name: 'notOnTheGateway',
    validator: {
      validate: (value: unknown) => value === undefined,
      defaultMessage: () => `must not be set on the gateway: ${why}`,
    },
  });
}

export class GatewayEnv extends RpcCallerEnv(ServiceEnv) {
  @EnvInt({ min: 1, max: 65535 })
  GATEWAY_PORT: number = 3000;

  /** Where webhooks are fsynced while NATS is unreachable. */
  @IsString()
  SPOOL_DIR: string = '.data/spool';

  /** Most bytes of webhooks the spool holds while NATS is unreachable; beyond it webhooks get 503. */
  @EnvInt({ min: 1024 * 1024, max: Number.MAX_SAFE_INTEGER })
  SPOOL_MAX_BYTES: number = 256 * 1024 * 1024;

  /**
   * The most of SPOOL_MAX_BYTES one tenant's webhooks may hold (percent): one tenant's flood
   * during a NATS outage fills its own share, the others' webhooks are still spooled. 100: no
   * shares (a single-tenant installation).
   */
  @EnvInt({ min: 1, max: 100 })
  SPOOL_TENANT_SHARE_PERCENT: number = 25;

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

  /**
   * Webhooks per minute of a tenant whose plan this gateway has not learnt yet (its
   * `webhooksPerMinute` comes from identity.tenant.limits_changed.v1), and of all webhooks signed
   * with the platform secret together. Counted across replicas through Redis when REDIS_URL is set.
   */
  @EnvInt({ min: 1, max: 100_000_000 })
  WEBHOOK_RATE_LIMIT_PER_MINUTE: number = 50_000;

  /**
   * Failed authentications per minute one client address may cause on the webhook routes; past
   * it, its failing requests get 429 at once (no question to identity), its valid ones still pass.
   */
  @EnvInt({ min: 1, max: 1_000_000 })
  WEBHOOK_AUTH_FAILURES_PER_IP: number = 60;

  /** How long a webhook token or integration id that identity does not know either is refused without asking again. */
  @EnvInt({ min: 0, max: 600_000 })
  WEBHOOK_UNKNOWN_CREDENTIAL_CACHE_MS: number = 10_000;

  /** How often accepted and rejected webhooks are reported to identity (per integration, batched). */
  @EnvInt({ min: 100, max: 600_000 })
  WEBHOOK_DELIVERY_REPORT_INTERVAL_MS: number = 5_000;

  /**
   * Opens the HMAC secrets of webhook integrations: identity's INTEGRATION_SECRETS_KEY (base64 of
   * 32 bytes). Unset: webhook bearer tokens still work, signed webhooks are refused.
   */
  @IsOptional()
  @EnvSecretsKey()
  INTEGRATION_SECRETS_KEY?: string;

  /** identity's INTEGRATION_SECRETS_KEY_PREVIOUS, while a rotation of that key is under way. */
  @IsOptional()
  @EnvSecretsKey()
  INTEGRATION_SECRETS_KEY_PREVIOUS?: string;

  /**
   * Identity's own key (it seals the access-token signing keys): the gateway must not hold it,
   * so a deployment that still hands it over is refused at boot rather than silently ignored.
   */
  @IsOptional()
  @NotOnTheGateway('identity’s own key (it seals the signing keys); give the gateway INTEGRATION_SECRETS_KEY instead')
  SECRETS_KEY?: string;

  @IsOptional()
  @NotOnTheGateway('identity’s own key; give the gateway INTEGRATION_SECRETS_KEY_PREVIOUS instead')
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

  /** How long an API key identity refused is refused again without asking (0: always ask). */
  @EnvInt({ min: 0, max: 300_000 })
  API_KEY_REFUSAL_CACHE_MS: number = 5_000;

  /** Fewest milliseconds between two JWKS fetches caused by tokens with an unknown `kid`. */
  @EnvInt({ min: 0, max: 600_000 })
  JWKS_REFRESH_MIN_INTERVAL_MS: number = 5_000;

  /**
   * How often the JWKS is fetched again whatever the tokens say, so a key identity retired or
   * revoked stops being trusted: the longest a revoked signing key still verifies here.
   */
  @EnvInt({ min: 100, max: 3_600_000 })
  JWKS_REFRESH_INTERVAL_MS: number = 60_000;

  /** Comment lines on an idle Server-Sent Events stream, so proxies and clients see it alive. */
  @EnvInt({ min: 1_000, max: 300_000 })
  SSE_HEARTBEAT_MS: number = 15_000;

  /** Open Server-Sent Events streams one gateway process serves; beyond it 503 with Retry-After. */
  @EnvInt({ min: 1, max: 100_000 })
  SSE_MAX_STREAMS: number = 1_000;

  /** Open live streams of one tenant on one gateway process, so one tenant cannot take them all; beyond it 429. */
  @EnvInt({ min: 1, max: 100_000 })
  SSE_MAX_STREAMS_PER_TENANT: number = 100;

  /** Open live streams of one user or API key on one gateway process (a dashboard needs a few); beyond it 429. */
  @EnvInt({ min: 1, max: 100_000 })
  SSE_MAX_STREAMS_PER_PRINCIPAL: number = 10;
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
  /** The quota of a tenant whose plan is not known here, and of the platform secret's webhooks. */
  ratePerMinute: number;
  authFailuresPerIp: number;
  unknownCredentialCacheMs: number;
  deliveryReportIntervalMs: number;
}

export interface GatewayConfig extends ServiceConfig {
  spool: { dir: string; maxBytes: number; maxBytesPerTenant: number };
  webhooks: WebhookConfig;
  http: { port: number; bodyLimitBytes: number; corsOrigins: readonly string[]; trustProxyHops: number };
  rateLimit: RateLimitConfig;
  rpc: { timeoutMs: number };
  auth: { apiKeyCacheTtlMs: number; apiKeyRefusalCacheMs: number; jwksRefreshMinIntervalMs: number; jwksRefreshIntervalMs: number };
  webhookIntegrations: { secretsKey?: string; secretsKeyPrevious?: string };
  liveStreams: { heartbeatMs: number; maxStreams: number; maxPerTenant: number; maxPerPrincipal: number };
}

export function bootGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  return bootConfig(GatewayEnv, gatewayConfigFrom, env);
}

export function gatewayConfigFrom(env: GatewayEnv): GatewayConfig {
  const base = serviceConfigFrom('gateway', { ...env, HTTP_PORT: env.GATEWAY_PORT });
  return {
    ...base,
    spool: { dir: env.SPOOL_DIR, maxBytes: env.SPOOL_MAX_BYTES, maxBytesPerTenant: Math.floor((env.SPOOL_MAX_BYTES * env.SPOOL_TENANT_SHARE_PERCENT) / 100) },
    webhooks: {
      platformSecret: env.WEBHOOK_PLATFORM_SECRET,
      publishTimeoutMs: env.WEBHOOK_PUBLISH_TIMEOUT_MS,
      ratePerMinute: env.WEBHOOK_RATE_LIMIT_PER_MINUTE,
      authFailuresPerIp: env.WEBHOOK_AUTH_FAILURES_PER_IP,
      unknownCredentialCacheMs: env.WEBHOOK_UNKNOWN_CREDENTIAL_CACHE_MS,
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
    auth: {
      apiKeyCacheTtlMs: env.API_KEY_CACHE_TTL_MS,
      apiKeyRefusalCacheMs: env.API_KEY_REFUSAL_CACHE_MS,
      jwksRefreshMinIntervalMs: env.JWKS_REFRESH_MIN_INTERVAL_MS,
      jwksRefreshIntervalMs: env.JWKS_REFRESH_INTERVAL_MS,
    },
    webhookIntegrations: { secretsKey: env.INTEGRATION_SECRETS_KEY, secretsKeyPrevious: env.INTEGRATION_SECRETS_KEY_PREVIOUS },
    liveStreams: {
      heartbeatMs: env.SSE_HEARTBEAT_MS,
      maxStreams: env.SSE_MAX_STREAMS,
      maxPerTenant: env.SSE_MAX_STREAMS_PER_TENANT,
      maxPerPrincipal: env.SSE_MAX_STREAMS_PER_PRINCIPAL,
    },
  };
}
