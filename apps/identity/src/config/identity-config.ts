import { Inject } from '@nestjs/common';
import { bootConfig, ConfigError, DeepReadonly, SecretsKeys, secretsKeysFrom } from '@parking/config';
import { DataServiceConfig, dataServiceConfigFrom } from '@parking/service-runtime';
import { IdentityEnv } from './identity-env';

export interface IdentityConfig extends DataServiceConfig {
  /** SECRETS_KEY: identity's own (signing keys). */
  secrets: SecretsKeys;
  /** INTEGRATION_SECRETS_KEY: shared with the gateway (webhook HMAC secrets). */
  integrationSecrets: SecretsKeys;
  registration: { emailVerificationRequired: boolean; ttlSeconds: number };
  mail: { smtpUrl: string | null; from: string; dir: string; publicBaseUrl: string };
  bootstrapAdmin: { email: string; password: string } | null;
  demo: { seed: boolean; email: string; password: string | null };
  tokens: {
    accessTtlSeconds: number;
    refreshTtlSeconds: number;
    invitationTtlSeconds: number;
    passwordResetTtlSeconds: number;
  };
  signingKeys: { rotationIntervalSeconds: number };
  throttle: {
    freeFailuresPerAccount: number;
    freeFailuresPerIp: number;
    delayBaseMs: number;
    maxDelayMsPerAccount: number;
    maxDelayMsPerIp: number;
    windowSeconds: number;
  };
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
  // The gateway holds INTEGRATION_SECRETS_KEY: were it SECRETS_KEY, the gateway could open the signing keys.
  const identityKeys = [env.SECRETS_KEY, env.SECRETS_KEY_PREVIOUS].filter(Boolean);
  if ([env.INTEGRATION_SECRETS_KEY, env.INTEGRATION_SECRETS_KEY_PREVIOUS].some((key) => key && identityKeys.includes(key))) {
    throw new ConfigError([
      { variable: 'INTEGRATION_SECRETS_KEY', expected: 'must be a key of its own, not the value of SECRETS_KEY (the gateway holds it)', actual: 'the same key (value hidden)' },
    ]);
  }
  return {
    ...dataServiceConfigFrom('identity', env),
    secrets: secretsKeysFrom(env.SECRETS_KEY, env.SECRETS_KEY_PREVIOUS),
    integrationSecrets: secretsKeysFrom(env.INTEGRATION_SECRETS_KEY, env.INTEGRATION_SECRETS_KEY_PREVIOUS),
    registration: { emailVerificationRequired: env.EMAIL_VERIFICATION_REQUIRED, ttlSeconds: env.REGISTRATION_TTL_SECONDS },
    mail: { smtpUrl: env.SMTP_URL ?? null, from: env.MAIL_FROM, dir: env.MAIL_DIR, publicBaseUrl: env.PUBLIC_BASE_URL.replace(/\/+$/, '') },
    bootstrapAdmin:
      env.BOOTSTRAP_ADMIN_EMAIL && env.BOOTSTRAP_ADMIN_PASSWORD ? { email: env.BOOTSTRAP_ADMIN_EMAIL, password: env.BOOTSTRAP_ADMIN_PASSWORD } : null,
    demo: { seed: env.SEED_DEMO_TENANT, email: env.DEMO_EMAIL, password: env.DEMO_PASSWORD ?? null },
    tokens: {
      accessTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
      refreshTtlSeconds: env.REFRESH_TOKEN_TTL_SECONDS,
      invitationTtlSeconds: env.INVITATION_TTL_SECONDS,
      passwordResetTtlSeconds: env.PASSWORD_RESET_TTL_SECONDS,
    },
    signingKeys: { rotationIntervalSeconds: env.SIGNING_KEY_ROTATION_INTERVAL_SECONDS },
    throttle: {
      freeFailuresPerAccount: env.LOGIN_FREE_FAILURES_PER_ACCOUNT,
      freeFailuresPerIp: env.LOGIN_FREE_FAILURES_PER_IP,
      delayBaseMs: env.LOGIN_DELAY_BASE_MS,
      maxDelayMsPerAccount: env.LOGIN_MAX_DELAY_SECONDS_PER_ACCOUNT * 1000,
      maxDelayMsPerIp: env.LOGIN_MAX_DELAY_SECONDS_PER_IP * 1000,
      windowSeconds: env.LOGIN_THROTTLE_WINDOW_SECONDS,
    },
  };
}

/** For main.ts: validated configuration, or exit 78 naming every bad variable. */
export function bootIdentityConfig(env: NodeJS.ProcessEnv = process.env): DeepReadonly<IdentityConfig> {
  return bootConfig(IdentityEnv, identityConfigFrom, env);
}
