import { checkPayload } from '../payload-check';
import { AdminListAuditRequest, AdminSetFeaturesRequest, AdminSetLimitsRequest } from './admin-rpc';
import { CreateApiKeyRequest } from './api-keys-rpc';
import { ReportIntegrationDeliveriesRequest } from './integrations-rpc';
import { JwksRequest, LoginRequest, RefreshRequest, RegisterRequest } from './sessions-rpc';
import { InviteUserRequest } from './users-rpc';

const TENANT = '0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d10';
const INTEGRATION = '5c4b3a29-1807-4f6e-9d5c-4b3a29180716';

/** The instance and `field: message` problems, as both sides of a hop check them. */
function check<T extends object>(payloadClass: new () => T, plain: object): { value: T; problems: string[] } {
  const { value, errors } = checkPayload(payloadClass, plain);
  return { value, problems: errors.map((e) => `${e.field}: ${e.message}`) };
}

const registration = { email: 'ada@example.com', password: 'correct horse battery staple', name: 'Ada', tenantName: 'Harbour', tenantSlug: 'harbour' };

describe('identity payloads', () => {
  it('keeps what identity always stored: a lower-case email, trimmed names, the password as typed', () => {
    const { value, problems } = check(RegisterRequest, { ...registration, email: 'Ada@Example.COM', name: '  Ada  ', tenantName: ' Harbour ', password: ' spaces count here ' });
    expect(problems).toEqual([]);
    expect(value).toMatchObject({ email: 'ada@example.com', name: 'Ada', tenantName: 'Harbour', password: ' spaces count here ' });
    expect(check(RegisterRequest, { ...registration, name: '   ' }).problems).toEqual(['name: name must be longer than or equal to 1 characters']);
  });

  it('takes a slug only as sent, and says what a slug is', () => {
    expect(check(RegisterRequest, { ...registration, tenantSlug: ' harbour ' }).problems).toEqual([
      'tenantSlug: tenantSlug must be lower-case letters and digits separated by single hyphens',
    ]);
    expect(check(RegisterRequest, { ...registration, tenantSlug: 'Bad Slug' }).problems).toEqual([
      'tenantSlug: tenantSlug must be lower-case letters and digits separated by single hyphens',
    ]);
  });

  it('checks only the shape of a presented secret: a short password is a wrong one, an overlong token was never issued', () => {
    expect(check(LoginRequest, { email: 'ADA@example.com', password: 'x' })).toMatchObject({ value: { email: 'ada@example.com', password: 'x' }, problems: [] });
    expect(check(LoginRequest, { email: 'ada@example.com', password: '' }).problems).toEqual(['password: password should not be empty']);
    expect(check(RefreshRequest, { refreshToken: 'r'.repeat(501) }).problems).toEqual(['refreshToken: refreshToken must be shorter than or equal to 500 characters']);
  });

  it('refuses a field a request does not have, the context fields included', () => {
    expect(check(InviteUserRequest, { email: 'grace@example.com', role: 'viewer', principal: { tenantId: TENANT } }).problems).toEqual([
      'principal: property principal should not exist',
    ]);
    expect(check(JwksRequest, {}).problems).toEqual([]);
    expect(check(JwksRequest, { debug: '1' }).problems).toEqual(['debug: property debug should not exist']);
  });

  it('wants API key scopes once each and an expiry in the future', () => {
    const key = { name: 'Signage', scopes: ['spaces:read'] };
    expect(check(CreateApiKeyRequest, { ...key, expiresAt: null }).problems).toEqual([]);
    expect(check(CreateApiKeyRequest, { ...key, expiresAt: '2020-01-01T00:00:00Z' }).problems).toEqual(['expiresAt: expiresAt must be an RFC 3339 date-time in the future']);
    expect(check(CreateApiKeyRequest, { ...key, expiresAt: 'next week' }).problems).toEqual(['expiresAt: expiresAt must be a valid ISO 8601 date string']);
    expect(check(CreateApiKeyRequest, { ...key, scopes: ['spaces:read', 'spaces:read'] }).problems).toEqual(["scopes: All scopes's elements must be unique"]);
  });

  it('names each bad limit override, refuses one past a billion, and takes null as unlimited', () => {
    const limits = (overrides: object) => check(AdminSetLimitsRequest, { tenantId: TENANT, reason: 'custom deal', limits: overrides }).problems;
    expect(limits({ parkings: 3, users: -1 })).toEqual(['limits.parkings: property parkings should not exist', 'limits.users: users must not be less than 0']);
    expect(limits({ devices: 1_000_000_001 })).toEqual(['limits.devices: devices must not be greater than 1000000000']);
    expect(limits({ spaces: null, apiKeys: 2 })).toEqual([]);
  });

  it('takes feature flags with lower-case names only', () => {
    const features = (flags: object) => check(AdminSetFeaturesRequest, { tenantId: TENANT, reason: 'beta', features: flags }).problems;
    expect(features({ reservations: true, 'signage-v2': false })).toEqual([]);
    for (const name of ['betaSignage', 'beta_signage', 'beta.signage']) {
      expect(features({ [name]: true })).toEqual(['features: features must map flag names (lower-case letters, digits, "-") to true or false']);
    }
  });

  it('wants an audit reason of substance', () => {
    expect(check(AdminListAuditRequest, { reason: '   ok   ', target: ` tenant:${TENANT} ` })).toMatchObject({
      value: { reason: 'ok' },
      problems: ['reason: reason must say why, in 3 to 500 characters (it goes to the audit trail)'],
    });
    expect(check(AdminListAuditRequest, { reason: 'incident review', target: ` tenant:${TENANT} ` }).value.target).toBe(`tenant:${TENANT}`);
  });

  it("checks the gateway's delivery reports entry by entry", () => {
    const report = { integrationId: INTEGRATION, tenantId: TENANT, lastReceivedAt: '2026-11-23T10:00:05.000Z', rejections: [{ at: '2026-11-23T10:00:06.000Z', reason: 'bad-token' }] };
    expect(check(ReportIntegrationDeliveriesRequest, { reports: [report] }).problems).toEqual([]);
    expect(check(ReportIntegrationDeliveriesRequest, { reports: [{ ...report, tenantId: 'tenant-1', rejections: [{ at: 'yesterday', reason: 'bad-token' }] }] }).problems).toEqual([
      'reports[0].tenantId: tenantId must be a UUID',
      'reports[0].rejections[0].at: at must be an RFC 3339 date-time with a time zone, e.g. 2026-11-23T11:59:00Z',
    ]);
  });
});
