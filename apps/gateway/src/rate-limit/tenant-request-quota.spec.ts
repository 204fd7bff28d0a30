import { TenantRequestQuota } from './tenant-request-quota';

describe('TenantRequestQuota', () => {
  it('knows nothing of a tenant it has not heard of', () => {
    expect(new TenantRequestQuota().requestsPerMinute('t-1')).toBeUndefined();
  });

  it('keeps the newest version when events arrive out of order', () => {
    const quota = new TenantRequestQuota();
    quota.remember('t-1', 600, 3);
    quota.remember('t-1', 60, 2);
    expect(quota.requestsPerMinute('t-1')).toBe(600);
    quota.remember('t-1', null, 4);
    expect(quota.requestsPerMinute('t-1')).toBeNull();
  });
});
