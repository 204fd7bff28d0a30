import { EnvBoolean, EnvInt, EnvPattern, EnvSecretsKey, EnvUrl, SecretsKeyEnv } from '@parking/config';
import { DataServiceEnv } from '@parking/service-runtime';
import { IsOptional } from 'class-validator';

/**
 * The identity service's environment: the data-service variables plus its own. Its SECRETS_KEY
 * (SecretsKeyEnv) seals the access-token signing keys; no other service holds that value.
 */
export class IdentityEnv extends SecretsKeyEnv(DataServiceEnv(3001)) {
  /**
   * base64 of 32 random bytes: seals the HMAC secrets of webhook integrations, which the gateway
   * opens with the same key. Must differ from SECRETS_KEY. No default, anywhere.
   */
  @EnvSecretsKey('not the value of SECRETS_KEY')
  INTEGRATION_SECRETS_KEY!: string;

  /** The key before the last rotation of INTEGRATION_SECRETS_KEY (identity re-seals every HMAC secret under the new one at start). */
  @IsOptional()
  @EnvSecretsKey()
  INTEGRATION_SECRETS_KEY_PREVIOUS?: string;

  /**
   * Registration creates nothing until the address follows a mailed link, and answers alike
   * whether the address has an account or not. `false` (self-hosting without mail): registration
   * signs in at once, and a taken email is answered 409.
   */
  @EnvBoolean()
  EMAIL_VERIFICATION_REQUIRED: boolean = true;

  /** How long a registration's verification link stays valid. */
  @EnvInt({ min: 300, max: 30 * 86400 })
  REGISTRATION_TTL_SECONDS: number = 86400;

  /** smtp(s)://user:pass@host:port; unset: mails are written as JSON files into MAIL_DIR. */
  @IsOptional()
  @EnvUrl(['smtp', 'smtps'])
  SMTP_URL?: string;

  @EnvPattern(/^.{3,200}$/, 'a sender such as "Parking <no-reply@example.com>"')
  MAIL_FROM: string = 'Parking <no-reply@parking.local>';

  /** Where mails go as JSON files when SMTP_URL is unset (relative to the working directory). */
  @EnvPattern(/^.{1,500}$/, 'a directory path')
  MAIL_DIR: string = '.data/mail';

  /** Where the links in mails point (the web app or the gateway). */
  @EnvUrl(['http', 'https'])
  PUBLIC_BASE_URL: string = 'http://localhost:3000';

  /** The first platform admin, created at start when no platform admin exists. */
  @IsOptional()
  @EnvPattern(/^[^\s@]+@[^\s@]+$/, 'an email address')
  BOOTSTRAP_ADMIN_EMAIL?: string;

  @IsOptional()
  @EnvPattern(/^.{12,256}$/, '12 to 256 characters')
  BOOTSTRAP_ADMIN_PASSWORD?: string;

  /** Seed the demo tenant (idempotent) at start; needs DEMO_PASSWORD. */
  @EnvBoolean()
  SEED_DEMO_TENANT: boolean = false;

  @EnvPattern(/^[^\s@]+@[^\s@]+$/, 'an email address')
  DEMO_EMAIL: string = 'demo@parking.local';

  @IsOptional()
  @EnvPattern(/^.{12,256}$/, '12 to 256 characters')
  DEMO_PASSWORD?: string;

  @EnvInt({ min: 60, max: 3600 })
  ACCESS_TOKEN_TTL_SECONDS: number = 900;

  @EnvInt({ min: 300, max: 90 * 86400 })
  REFRESH_TOKEN_TTL_SECONDS: number = 30 * 86400;

  @EnvInt({ min: 300, max: 30 * 86400 })
  INVITATION_TTL_SECONDS: number = 7 * 86400;

  @EnvInt({ min: 300, max: 86400 })
  PASSWORD_RESET_TTL_SECONDS: number = 3600;

  /** Sign-in attempts of one account (any address) that may fail before each next attempt has to wait. */
  @EnvInt({ min: 1, max: 1000 })
  LOGIN_FREE_FAILURES_PER_ACCOUNT: number = 5;

  /** Sign-in attempts from one address (an IPv4 address or an IPv6 /64) that may fail before the waits start (NATs share addresses: keep it higher). */
  @EnvInt({ min: 1, max: 100000 })
  LOGIN_FREE_FAILURES_PER_IP: number = 20;

  /** The first wait after the free failures; each further failure doubles it, up to the maximum. */
  @EnvInt({ min: 100, max: 60_000 })
  LOGIN_DELAY_BASE_MS: number = 1000;

  /** The longest wait between two attempts on one account: short, so nobody can keep an owner out for long. */
  @EnvInt({ min: 1, max: 3600 })
  LOGIN_MAX_DELAY_SECONDS_PER_ACCOUNT: number = 60;

  /** The longest wait between two attempts from one address. */
  @EnvInt({ min: 1, max: 86400 })
  LOGIN_MAX_DELAY_SECONDS_PER_IP: number = 900;

  /** Failures older than this (counted from the last one) are forgotten. */
  @EnvInt({ min: 10, max: 86400 })
  LOGIN_THROTTLE_WINDOW_SECONDS: number = 900;

  /**
   * How often identity replaces its access-token signing key (one replica does it, the others
   * sign with the new key from then on). Retired keys stay in the JWKS only while tokens they
   * signed can still be valid (ACCESS_TOKEN_TTL_SECONDS and a minute for clocks).
   */
  @EnvInt({ min: 1, max: 365 * 86400 })
  SIGNING_KEY_ROTATION_INTERVAL_SECONDS: number = 30 * 86400;
}
