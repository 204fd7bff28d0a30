import { ConfigError, loadConfig } from '@parking/config';
import { generateProofKeyPair, trustedKeyEntry } from '@parking/rpc-proof';
import { ReservationsEnv, reservationsConfigFrom } from './config';

const RPC_TRUSTED_KEYS = trustedKeyEntry('gateway', generateProofKeyPair().publicKey);
const RPC_SIGNING_KEY = generateProofKeyPair().privateKey;
const BASE = { DATABASE_URL: 'postgres://parking_reservations@localhost/parking', RPC_TRUSTED_KEYS, RPC_SIGNING_KEY };

describe('reservations configuration', () => {
  it('needs its own RPC_SIGNING_KEY (it calls occupancy for the inventory)', () => {
    const missing = () => reservationsConfigFrom(loadConfig(ReservationsEnv, { DATABASE_URL: BASE.DATABASE_URL, RPC_TRUSTED_KEYS }));
    expect(missing).toThrow(ConfigError);
    expect(missing).toThrow(/RPC_SIGNING_KEY/);
  });

  it('has the documented defaults', () => {
    const config = reservationsConfigFrom(loadConfig(ReservationsEnv, BASE));
    expect(config).toMatchObject({ idempotencyKeyTtlMs: 24 * 3_600_000, quoteTtlMs: 15 * 60_000, lifecycleIntervalMs: 15_000, rpcProof: { signingKey: RPC_SIGNING_KEY } });
    expect(config.http.port).toBe(3004);
  });

  it('takes DEFAULT_TENANT_PLAN, the limits it applies to a tenant it has not heard of yet', () => {
    expect(reservationsConfigFrom(loadConfig(ReservationsEnv, BASE)).defaultTenantPlan).toBe('free');
    expect(reservationsConfigFrom(loadConfig(ReservationsEnv, { ...BASE, DEFAULT_TENANT_PLAN: 'enterprise' })).defaultTenantPlan).toBe('enterprise');
  });

  it('refuses a lifecycle interval over a minute', () => {
    expect(() => loadConfig(ReservationsEnv, { ...BASE, LIFECYCLE_INTERVAL_MS: '120000' })).toThrow(/LIFECYCLE_INTERVAL_MS/);
  });
});
