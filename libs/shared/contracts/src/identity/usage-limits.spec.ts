import { IdentityEvents } from '../events/registry';
import { checkPayload } from '../payload-check';
import { validateEventData } from '../validation';
import { AdminSetLimitsRequest } from './admin-rpc';
import { effectiveLimits, PLANS, USAGE_LIMIT_NAMES, type PlanId } from './usage-limits';

const TENANT = '0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d10';

describe('plan limits', () => {
  it('give every plan a webhook quota per minute, which the gateway enforces per tenant', () => {
    expect(USAGE_LIMIT_NAMES).toContain('webhooksPerMinute');
    for (const plan of Object.keys(PLANS) as PlanId[]) expect([plan, typeof PLANS[plan].webhooksPerMinute]).toEqual([plan, 'number']);
    expect(PLANS.free.webhooksPerMinute).toBeLessThan(PLANS.standard.webhooksPerMinute);
    expect(effectiveLimits('standard', { webhooksPerMinute: 10 }).webhooksPerMinute).toBe(10);
  });

  it('let a platform admin override the webhook quota, or lift it (null)', () => {
    const plain = { tenantId: TENANT, reason: 'Support ticket #1: a larger fleet', limits: { webhooksPerMinute: 120_000 } };
    expect(checkPayload(AdminSetLimitsRequest, plain).errors).toEqual([]);
    expect(checkPayload(AdminSetLimitsRequest, { ...plain, limits: { webhooksPerMinute: null } }).errors).toEqual([]);
    expect(checkPayload(AdminSetLimitsRequest, { ...plain, limits: { webhooksPerMinute: -1 } }).errors.map((e) => e.field)).toEqual(['limits.webhooksPerMinute']);
  });

  it('travel in limits_changed, which still reads an event published before the quota existed', () => {
    const limits = effectiveLimits('free', {});
    const event = { tenantId: TENANT, plan: 'free', limits, features: {}, version: 1, changedAt: '2026-12-01T00:00:00.000Z' };
    expect(validateEventData(IdentityEvents.TenantLimitsChangedV1, event)).toEqual([]);
    const older = Object.fromEntries(Object.entries(limits).filter(([name]) => name !== 'webhooksPerMinute'));
    expect(validateEventData(IdentityEvents.TenantLimitsChangedV1, { ...event, limits: older })).toEqual([]);
    expect(validateEventData(IdentityEvents.TenantLimitsChangedV1, { ...event, limits: { ...limits, webhooksPerMinute: 'many' } })).not.toEqual([]);
  });
});
