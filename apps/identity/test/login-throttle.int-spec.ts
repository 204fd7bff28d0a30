/**
 * Sign-in throttling (docs/security.md, "Login throttling"): every attempt is counted, atomically,
 * before its password is checked, so concurrent guesses cannot slip past the count; IPv6
 * addresses count by their /64; repeated failures earn a growing delay per account and per
 * address instead of a lock anyone could set on someone else's account. Against the compiled
 * identity service (`npm run build` first), on real PostgreSQL and NATS.
 */
import { IDENTITY_RPC, LoginResponse, RegisterResponse } from '@parking/contracts';
import { DomainError } from '@parking/problem-details';
import { expectEventually } from '@parking/testing';
import { IdentityHarness, newRegistration, startIdentity } from './identity-harness';

const FREE = 3;
const MAX_DELAY_SECONDS = 2;

type Outcome = { ok: true } | { ok: false; code: string; retryAfterSeconds?: number };

describe('sign-in throttling', () => {
  let identity: IdentityHarness;
  let ipCounter = 0;
  /** A fresh IPv4 address per attempt, so the per-address count stays out of the per-account tests. */
  const freshIp = () => {
    ipCounter += 1;
    return `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
  };

  beforeAll(async () => {
    identity = await startIdentity({
      LOGIN_FREE_FAILURES_PER_ACCOUNT: String(FREE),
      LOGIN_FREE_FAILURES_PER_IP: String(FREE),
      LOGIN_DELAY_BASE_MS: '1000',
      LOGIN_MAX_DELAY_SECONDS_PER_ACCOUNT: String(MAX_DELAY_SECONDS),
      LOGIN_MAX_DELAY_SECONDS_PER_IP: String(MAX_DELAY_SECONDS),
    });
  }, 90_000);
  afterAll(async () => {
    await identity?.stop();
  });

  async function attempt(email: string, password: string, ip = freshIp()): Promise<Outcome> {
    try {
      await identity.send<LoginResponse>(IDENTITY_RPC.login, { email, password, caller: { ip } });
      return { ok: true };
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return { ok: false, code: error.code, retryAfterSeconds: error.extras?.retryAfterSeconds as number | undefined };
    }
  }

  async function account(label: string): Promise<{ email: string; password: string }> {
    const registration = newRegistration(label);
    await identity.send<RegisterResponse>(IDENTITY_RPC.register, registration);
    return { email: registration.email, password: registration.password };
  }

  it('checks at most the free attempts of many concurrent guesses; the others are told to wait, unchecked', async () => {
    const { email, password } = await account('concurrent');
    // Eleven wrong guesses and the right one, all at once, each from its own address.
    const guesses = [...Array.from({ length: 11 }, (_, i) => `wrong guess ${i}`), password];
    const outcomes = await Promise.all(guesses.map((guess) => attempt(email, guess)));

    const checked = outcomes.filter((o) => o.ok || o.code === 'INVALID_CREDENTIALS');
    const waiting = outcomes.filter((o) => !o.ok && o.code === 'RATE_LIMITED');
    expect({ checked: checked.length, waiting: waiting.length }).toEqual({ checked: FREE, waiting: guesses.length - FREE });
    for (const refusal of waiting) expect(refusal).toMatchObject({ retryAfterSeconds: expect.any(Number) });
    for (const refusal of waiting) expect((refusal as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThanOrEqual(1);
  });

  it('delays instead of locking: five bad sign-ins cannot keep the platform admin out for longer than the delay', async () => {
    const { email, password } = identity.admin;
    const bad: Outcome[] = [];
    for (let i = 0; i < 8; i += 1) bad.push(await attempt(email, `not the admin password ${i}`));
    expect(bad.slice(0, FREE)).toEqual(Array.from({ length: FREE }, () => ({ ok: false, code: 'INVALID_CREDENTIALS' })));
    expect(bad.slice(FREE).every((o) => !o.ok && o.code === 'RATE_LIMITED')).toBe(true);

    // The delay is short and does not grow while nothing is checked: the admin gets in.
    await expectEventually(async () => expect(await attempt(email, password)).toEqual({ ok: true }), { timeoutMs: (MAX_DELAY_SECONDS + 3) * 1000, intervalMs: 250 });
  });

  it('grows the delay with each failure after the free ones, up to its maximum', async () => {
    const { email } = await account('progressive');
    for (let i = 0; i < FREE; i += 1) expect(await attempt(email, `wrong ${i}`)).toMatchObject({ code: 'INVALID_CREDENTIALS' });
    const first = await attempt(email, 'too soon');
    expect(first).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 1 });

    // Once the delay is over the next guess is checked, and earns a longer delay.
    await expectEventually(async () => expect(await attempt(email, 'checked again')).toMatchObject({ code: 'INVALID_CREDENTIALS' }), { timeoutMs: 4_000, intervalMs: 100 });
    expect(await attempt(email, 'too soon again')).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: MAX_DELAY_SECONDS });
  });

  it('throttles an unknown email exactly like a known one', async () => {
    const unknown = `nobody-${Date.now()}@example.test`;
    const outcomes: Outcome[] = [];
    for (let i = 0; i < FREE + 1; i += 1) outcomes.push(await attempt(unknown, `guess ${i}`));
    expect(outcomes.map((o) => (o.ok ? 'ok' : o.code))).toEqual([...Array.from({ length: FREE }, () => 'INVALID_CREDENTIALS'), 'RATE_LIMITED']);
  });

  it('counts an IPv6 address by its /64, so one network cannot spread its guesses over its addresses', async () => {
    const network = `2001:db8:${(Date.now() % 65_000).toString(16)}:1`;
    for (let i = 1; i <= FREE; i += 1) {
      expect(await attempt(`spray-${i}-${Date.now()}@example.test`, 'spring2026!', `${network}::${i}`)).toMatchObject({ code: 'INVALID_CREDENTIALS' });
    }
    // Another address of the same /64, written out in full: waits.
    expect(await attempt(`spray-next-${Date.now()}@example.test`, 'spring2026!', `${network}:ffff:ffff:ffff:ffff`)).toMatchObject({ code: 'RATE_LIMITED' });
    // The neighbouring /64 is another network.
    expect(await attempt(`spray-other-${Date.now()}@example.test`, 'spring2026!', `${network.slice(0, -1)}2::1`)).toMatchObject({ code: 'INVALID_CREDENTIALS' });
  });
});
