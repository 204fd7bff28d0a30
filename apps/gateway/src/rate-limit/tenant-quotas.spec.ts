import { TenantQuotas } from './tenant-quotas';

describe('TenantQuotas', () => {
  it('knows nothing of a tenant it has not heard of', () => {
    expect(new TenantQuotas().requestsPerMinute('t-1')).toBeUndefined();
    expect(new TenantQuotas().webhooksPerMinute('t-1')).toBeUndefined();
  });

  it('keeps the newest version when events arrive out of order', () => {
    const quotas = new TenantQuotas();
    quotas.remember('t-1', { apiRequestsPerMinute: 600, webhooksPerMinute: 20_000 }, 3);
    quotas.remember('t-1', { apiRequestsPerMinute: 60, webhooksPerMinute: 1_000 }, 2);
    expect(quotas.requestsPerMinute('t-1')).toBe(600);
    expect(quotas.webhooksPerMinute('t-1')).toBe(20_000);
    quotas.remember('t-1', { apiRequestsPerMinute: null, webhooksPerMinute: null }, 4);
    expect(quotas.requestsPerMinute('t-1')).toBeNull();
    expect(quotas.webhooksPerMinute('t-1')).toBeNull();
  });

  it('does not know the webhook quota of an event published before the limit existed', () => {
    const quotas = new TenantQuotas();
    quotas.remember('t-1', { apiRequestsPerMinute: 60 }, 1);
    expect(quotas.webhooksPerMinute('t-1')).toBeUndefined();
  });
});
