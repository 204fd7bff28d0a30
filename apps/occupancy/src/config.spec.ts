import { loadConfig } from '@parking/config';
import { generateProofKeyPair, trustedKeyEntry } from '@parking/rpc-proof';
import { OccupancyEnv, occupancyConfigFrom } from './config';

const RPC_TRUSTED_KEYS = trustedKeyEntry('gateway', generateProofKeyPair().publicKey);
const BASE = { DATABASE_URL: 'postgres://parking_occupancy@localhost/parking', RPC_TRUSTED_KEYS };

describe('occupancy configuration', () => {
  it('has the documented defaults', () => {
    const config = occupancyConfigFrom(loadConfig(OccupancyEnv, BASE));
    expect(config).toMatchObject({ service: 'occupancy', http: { port: 3003 }, retention: { outboxHours: 6, intervalMs: 3_600_000, transitionDays: 90 }, defaultTenantPlan: 'free' });
    expect(config.database.poolMax).toBe(10);
  });

  it('takes DEFAULT_TENANT_PLAN, the limits it applies to a tenant it has not heard of yet', () => {
    expect(occupancyConfigFrom(loadConfig(OccupancyEnv, { ...BASE, DEFAULT_TENANT_PLAN: 'standard' })).defaultTenantPlan).toBe('standard');
  });
});
