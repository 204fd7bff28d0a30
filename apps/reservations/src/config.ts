import { bootConfig, ConfigError, EnvInt } from '@parking/config';
import { DataServiceConfig, dataServiceConfigFrom, DataServiceEnv } from '@parking/service-runtime';

export class ReservationsEnv extends DataServiceEnv(3004) {
  /** Hours an Idempotency-Key's answer is kept (a retry within them gets the first answer). */
  @EnvInt({ min: 1, max: 24 * 30 })
  IDEMPOTENCY_KEY_TTL_HOURS: number = 24;

  /** Minutes a quote's price holds. */
  @EnvInt({ min: 1, max: 24 * 60 })
  QUOTE_TTL_MINUTES: number = 15;

  /** How often the lifecycle jobs (holds, no-shows, ends, overstays) look for due bookings. */
  @EnvInt({ min: 1_000, max: 60_000 })
  LIFECYCLE_INTERVAL_MS: number = 15_000;
}

export interface ReservationsConfig extends DataServiceConfig {
  idempotencyKeyTtlMs: number;
  quoteTtlMs: number;
  lifecycleIntervalMs: number;
}

/** For `main.ts`: validated configuration, or exit 78 naming every bad variable. */
export function bootReservationsConfig(env: NodeJS.ProcessEnv = process.env): ReservationsConfig {
  return bootConfig(ReservationsEnv, reservationsConfigFrom, env);
}

export function reservationsConfigFrom(env: ReservationsEnv): ReservationsConfig {
  // Required here, unlike the other data services': without it occupancy refuses the inventory snapshot and no space is bookable.
  if (!env.RPC_SIGNING_KEY) {
    throw new ConfigError([{ variable: 'RPC_SIGNING_KEY', expected: 'this service\'s Ed25519 private key as base64url PKCS#8 DER (npm run rpc:keys reservations makes one)', actual: 'not set' }]);
  }
  return {
    ...dataServiceConfigFrom('reservations', env),
    idempotencyKeyTtlMs: env.IDEMPOTENCY_KEY_TTL_HOURS * 3_600_000,
    quoteTtlMs: env.QUOTE_TTL_MINUTES * 60_000,
    lifecycleIntervalMs: env.LIFECYCLE_INTERVAL_MS,
  };
}
