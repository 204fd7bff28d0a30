/**
 * Sign-up and sign-in through the REST API as a client sees them (docs/security.md, "Email enumeration"
 * and "Login throttling"): registration answers 202 alike for a new and a taken address with
 * email verification on, the mailed token signs in once, and a throttled sign-in is a 429 with
 * Retry-After. Compiled gateway and identity (`npm run build` first).
 */
import { startApiStack, uniquePassword, type ApiStack } from '../api-stack';

describe('sign-up and sign-in through the gateway', () => {
  let api: ApiStack;

  beforeAll(async () => {
    api = await startApiStack({
      prefix: 'sign-up',
      env: { EMAIL_VERIFICATION_REQUIRED: 'true', LOGIN_FREE_FAILURES_PER_ACCOUNT: '2', LOGIN_DELAY_BASE_MS: '5000', RATE_LIMIT_PER_IP: '10000' },
    });
  }, 120_000);
  afterAll(async () => {
    await api?.stop();
  });

  const registration = (label: string, email = `${label}-${Date.now()}@example.com`) => ({
    email,
    password: uniquePassword(),
    name: `Owner ${label}`,
    tenantName: `Tenant ${label}`,
    tenantSlug: `${label}-${Date.now().toString(36)}`,
  });

  it('answers 202 alike for a new address and one that has an account; the mailed token signs in once (201)', async () => {
    const fresh = registration('fresh');
    const accepted = await api.call('POST', '/api/v1/auth/register', { body: fresh });
    const taken = await api.call('POST', '/api/v1/auth/register', { body: registration('taken', api.admin.email) });
    expect(accepted.status).toBe(202);
    expect(taken.status).toBe(202);
    expect(taken.body).toEqual(accepted.body);
    expect(accepted.body).toEqual({ accepted: true, verification: 'email-sent' });
    // The previous platform's path answers the same way.
    const legacy = await api.call('POST', '/api/auth/register', { body: { ...registration('legacy', api.admin.email) } });
    expect({ status: legacy.status, body: legacy.body }).toEqual({ status: 202, body: accepted.body });

    const token = await api.tokenMailedTo(fresh.email, /Confirm your email/);
    const verified = await api.call('POST', '/api/v1/auth/verify-email', { body: { token } });
    expect(verified.status).toBe(201);
    expect(verified.body).toMatchObject({ tokenType: 'Bearer', accessToken: expect.any(String) });
    expect((await api.call('GET', '/api/v1/auth/me', { accessToken: verified.body.accessToken })).body).toMatchObject({ tenant: { slug: fresh.tenantSlug } });

    const again = await api.call('POST', '/api/v1/auth/verify-email', { body: { token } });
    expect(again.status).toBe(401);
    expect(again.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(again.body).toMatchObject({ code: 'INVALID_TOKEN' });
  });

  it('refuses bad verification input with 400 problem+json', async () => {
    for (const body of [{}, { token: '' }, { token: 'reg_x', extra: true }]) {
      const answer = await api.call('POST', '/api/v1/auth/verify-email', { body });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ code: 'VALIDATION_FAILED' });
    }
  });

  it('makes a sign-in wait after repeated failures: 429 with Retry-After, for an unknown email alike', async () => {
    for (const email of [api.admin.email, `nobody-${Date.now()}@example.com`]) {
      for (let i = 0; i < 2; i += 1) expect((await api.call('POST', '/api/v1/auth/login', { body: { email, password: `wrong password ${i}` } })).status).toBe(401);
      const waiting = await api.call('POST', '/api/v1/auth/login', { body: { email, password: 'wrong password again' } });
      expect(waiting.status).toBe(429);
      expect(waiting.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(Number(waiting.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(waiting.body).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: Number(waiting.headers.get('retry-after')) });
    }
  });
});
