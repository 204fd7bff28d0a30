import { EnvBoolean, EnvInt, EnvPattern, EnvUrl } from '@parking/config';
import { DataServiceEnv } from '@parking/service-runtime';
import { IsOptional } from 'class-validator';

const BASE64_32 = /^[A-Za-z0-9+/_-]{43}=?$/;

/** The identity service's environment: the data-service variables plus its own. */
export class IdentityEnv extends DataServiceEnv(3001) {
  /** base64 of 32 random bytes (`openssl rand -base64 32`): seals signing keys and HMAC secrets. No default, anywhere. */
  @EnvPattern(BASE64_32, 'base64 of 32 random bytes (openssl rand -base64 32)')
  SECRETS_KEY!: string;

  /** The key before the last rotation of SECRETS_KEY, so values it sealed can still be opened. */
  @IsOptional()
  @EnvPattern(BASE64_32, 'base64 of 32 random bytes')
  SECRETS_KEY_PREVIOUS?: string;

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

  /** Failed sign-ins of one account within the window before it is locked. */
  @EnvInt({ min: 1, max: 1000 })
  LOGIN_MAX_FAILURES_PER_ACCOUNT: number = 5;

  /** Failed sign-ins from one IP within the window before it is locked (NATs share IPs: keep it higher). */
  @EnvInt({ min: 1, max: 100000 })
  LOGIN_MAX_FAILURES_PER_IP: number = 50;

  @EnvInt({ min: 10, max: 86400 })
  LOGIN_THROTTLE_WINDOW_SECONDS: number = 900;

  @EnvInt({ min: 10, max: 86400 })
  LOGIN_LOCK_SECONDS: number = 900;

  /** How long a retired signing key stays in the JWKS (longer than the access token TTL). */
  @EnvInt({ min: 3600, max: 30 * 86400 })
  SIGNING_KEY_RETIRED_GRACE_SECONDS: number = 86400;
}
