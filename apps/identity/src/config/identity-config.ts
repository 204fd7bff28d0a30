import { Inject } from '@nestjs/common';
import { bootConfig, ConfigError, DeepReadonly } from '@parking/config';
import { DataServiceConfig, serviceConfigFrom } from '@parking/service-runtime';
import { IdentityEnv } from './identity-env';

export interface IdentityConfig extends DataServiceConfig {
  secrets: { key: string; previousKeys: readonly string[] };
  mail: { smtpUrl: string | null; from: string; dir: string; publicBaseUrl: string };
  bootstrapAdmin: { email: string; password: string } | null;
  demo: { seed: boolean; email: string; password: string | null };
  tokens: {
    accessTtlSeconds: number;
    refreshTtlSeconds: number;
    invitationTtlSeconds: number;
    passwordResetTtlSeconds: number;
    retiredKeyGraceSeconds: number;
  };
  throttle: { maxFailuresPerAccount: number; maxFailuresPerIp: number; windowSeconds: number; lockSeconds: number };
}

export const IDENTITY_CONFIG = Symbol('IDENTITY_CONFIG');
export const InjectIdentityConfig = (): ParameterDecorator => Inject(IDENTITY_CONFIG);

export function identityConfigFrom(env: IdentityEnv): IdentityConfig {
  if (Boolean(env.BOOTSTRAP_ADMIN_EMAIL) !== Boolean(env.BOOTSTRAP_ADMIN_PASSWORD)) {
    throw new ConfigError([
      { variable: 'BOOTSTRAP_ADMIN_PASSWORD', expected: 'set together with BOOTSTRAP_ADMIN_EMAIL (or neither)', actual: 'only one is set' },
    ]);
  }
  if (env.SEED_DEMO_TENANT && !env.DEMO_PASSWORD) {
    throw new ConfigError([{ variable: 'DEMO_PASSWORD', expected: 'set when SEED_DEMO_TENANT=true', actual: 'not set' }]);
  }
  return {
    ...serviceConfigFrom('identity', env),
    database: { url: env.DATABASE_URL, poolMax: env.DATABASE_POOL_MAX },
    secrets: { key: env.SECRETS_KEY, previousKeys: env.SECRETS_KEY_PREVIOUS ? [env.SECRETS_KEY_PREVIOUS] : [] },
    mail: { smtpUrl: env.SMTP_URL ?? null, from: env.MAIL_FROM, dir: env.MAIL_DIR, publicBaseUrl: env.PUBLIC_BASE_URL.replace(/\/+$/, '') },
    bootstrapAdmin:
      env.BOOTSTRAP_ADMIN_EMAIL && env.BOOTSTRAP_ADMIN_PASSWORD ? { email: env.BOOTSTRAP_ADMIN_EMAIL, password: env.BOOTSTRAP_ADMIN_PASSWORD } : null,
    demo: { seed: env.SEED_DEMO_TENANT, email: env.DEMO_EMAIL, password: env.DEMO_PASSWORD ?? null },
    tokens: {
      accessTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
      refreshTtlSeconds: env.REFRESH_TOKEN_TTL_SECONDS,
      invitationTtlSeconds: env.INVITATION_TTL_SECONDS,
      passwordResetTtlSeconds: env.PASSWORD_RESET_TTL_SECONDS,
      retiredKeyGraceSeconds: env.SIGNING_KEY_RETIRED_GRACE_SECONDS,
    },
    throttle: {
      maxFailuresPerAccount: env.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      maxFailuresPerIp: env.LOGIN_MAX_FAILURES_PER_IP,
      windowSeconds: env.LOGIN_THROTTLE_WINDOW_SECONDS,
      lockSeconds: env.LOGIN_LOCK_SECONDS,
    },
  };
}

/** For main.ts: validated configuration, or exit 78 naming every bad variable. */
export function bootIdentityConfig(): DeepReadonly<IdentityConfig> {
  return bootConfig(IdentityEnv, identityConfigFrom);
}
