/**
 * Sign-up, sign-in and sessions over NATS request/reply against the compiled identity
 * service (`npm run build` first), on real PostgreSQL and NATS.
 */
import {
  AccessTokenClaims,
  IDENTITY_RPC,
  JwksResponse,
  LoginResponse,
  MeResponse,
  RefreshResponse,
  RegisterResponse,
  ROLE_PERMISSIONS,
} from '@parking/contracts';
import * as argon2 from 'argon2';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { CALLER, IdentityHarness, leakedSecrets, newRegistration, startIdentity, userPrincipal } from './identity-harness';

describe('identity sessions (register, login, refresh, logout, me, jwks)', () => {
  let identity: IdentityHarness;
  const secrets: string[] = [];

  beforeAll(async () => {
    identity = await startIdentity({ LOGIN_FREE_FAILURES_PER_ACCOUNT: '3' });
  }, 90_000);
  afterAll(async () => {
    await identity?.stop();
  });

  it('registers a tenant and its owner, signs them in, and rotates refresh tokens with reuse detection', async () => {
    const registration = newRegistration();
    secrets.push(registration.password);
    const registered = await identity.send<RegisterResponse>(IDENTITY_RPC.register, registration);
    secrets.push(registered.refreshToken, registered.accessToken);
    expect(registered).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, refreshToken: expect.stringMatching(/^rt_/) });

    const login = await identity.send<LoginResponse>(IDENTITY_RPC.login, { email: registration.email.toUpperCase(), password: registration.password, caller: CALLER });
    secrets.push(login.refreshToken, login.accessToken);
    expect(login).toMatchObject({ userId: registered.userId, tenantId: registered.tenantId });

    const me = await identity.send<MeResponse>(IDENTITY_RPC.me, { principal: userPrincipal(login, 'owner') });
    expect(me).toMatchObject({
      user: { id: registered.userId, email: registration.email, name: registration.name, isPlatformAdmin: false },
      tenant: { id: registered.tenantId, slug: registration.tenantSlug, status: 'active' },
      role: 'owner',
      plan: { id: 'free', limits: expect.objectContaining({ users: 3, apiKeys: 2, integrations: 1 }) },
      features: {},
    });
    expect(me.permissions).toEqual([...ROLE_PERMISSIONS.owner]);

    const first = await identity.send<RefreshResponse>(IDENTITY_RPC.refresh, { refreshToken: login.refreshToken, caller: CALLER });
    secrets.push(first.refreshToken);
    expect(first.refreshToken).not.toBe(login.refreshToken);

    // The old token again: a reuse. It fails, and so does the family's newest token.
    expect(await identity.failure(IDENTITY_RPC.refresh, { refreshToken: login.refreshToken, caller: CALLER })).toMatchObject({ code: 'INVALID_TOKEN' });
    expect(await identity.failure(IDENTITY_RPC.refresh, { refreshToken: first.refreshToken, caller: CALLER })).toMatchObject({ code: 'INVALID_TOKEN' });

    // The registration's own session is another family, untouched; logout ends it.
    const other = await identity.send<RefreshResponse>(IDENTITY_RPC.refresh, { refreshToken: registered.refreshToken, caller: CALLER });
    await expect(identity.send(IDENTITY_RPC.logout, { refreshToken: other.refreshToken })).resolves.toEqual({ ok: true });
    expect(await identity.failure(IDENTITY_RPC.refresh, { refreshToken: other.refreshToken, caller: CALLER })).toMatchObject({ code: 'INVALID_TOKEN' });
  });

  it('signs access tokens with ES256 under a kid that the JWKS publishes, with the documented claims', async () => {
    const registration = newRegistration();
    const session = await identity.send<RegisterResponse>(IDENTITY_RPC.register, registration);
    const jwks = await identity.send<JwksResponse>(IDENTITY_RPC.jwks, {});
    expect(jwks.keys.length).toBeGreaterThanOrEqual(1);
    expect(jwks.keys.every((k) => !('d' in k))).toBe(true);

    const header = decodeProtectedHeader(session.accessToken);
    expect(header).toMatchObject({ alg: 'ES256', kid: jwks.keys[0].kid });
    const { payload } = await jwtVerify(session.accessToken, createLocalJWKSet(jwks as never), { issuer: 'parking-identity', audience: 'parking-api' });
    const claims = payload as unknown as AccessTokenClaims;
    expect(claims).toMatchObject({ sub: session.userId, tid: session.tenantId, role: 'owner' });
    expect(claims.exp - claims.iat).toBe(900);
    expect(claims.pa).toBeUndefined();

    const stored = await identity.sql<{ private_key_sealed: string }>('SELECT private_key_sealed FROM identity.signing_keys');
    expect(stored[0].private_key_sealed).toMatch(/^sb1\./);
  });

  it('refuses a second registration with a taken email or slug, naming the field', async () => {
    const registration = newRegistration();
    await identity.send(IDENTITY_RPC.register, registration);
    const sameEmail = await identity.failure(IDENTITY_RPC.register, { ...newRegistration(), email: registration.email });
    expect(sameEmail).toMatchObject({ code: 'CONFLICT', errors: [{ field: 'email', message: expect.any(String) }] });
    const sameSlug = await identity.failure(IDENTITY_RPC.register, { ...newRegistration(), tenantSlug: registration.tenantSlug });
    expect(sameSlug).toMatchObject({ code: 'CONFLICT', errors: [{ field: 'tenantSlug', message: expect.any(String) }] });
  });

  it('lists every invalid field of a registration', async () => {
    const failure = await identity.failure(IDENTITY_RPC.register, { email: 'nope', password: 'short', name: '', tenantName: 'x', tenantSlug: 'Bad Slug', caller: CALLER });
    expect(failure.code).toBe('VALIDATION_FAILED');
    expect(failure.errors?.map((e) => e.field).sort()).toEqual(['email', 'name', 'password', 'tenantSlug']);
  });

  it('hashes with argon2id at OWASP parameters and rehashes an older, weaker hash at login', async () => {
    const registration = newRegistration();
    const session = await identity.send<RegisterResponse>(IDENTITY_RPC.register, registration);
    const [stored] = await identity.sql<{ password_hash: string }>('SELECT password_hash FROM identity.users WHERE id = $1', [session.userId]);
    expect(stored.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);

    const weak = await argon2.hash(registration.password, { type: argon2.argon2id, memoryCost: 4096, timeCost: 1, parallelism: 1 });
    await identity.sql('UPDATE identity.users SET password_hash = $1 WHERE id = $2', [weak, session.userId]);
    await identity.send(IDENTITY_RPC.login, { email: registration.email, password: registration.password, caller: CALLER });

    const [rehashed] = await identity.sql<{ password_hash: string }>('SELECT password_hash FROM identity.users WHERE id = $1', [session.userId]);
    expect(rehashed.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(await argon2.verify(rehashed.password_hash, registration.password)).toBe(true);
  });

  // Formerly a throttled account was locked and answered exactly like a wrong password;
  // now an attempt that comes too early must wait (429 with when to retry), and nothing is locked.
  // What stays: the answers are the same for an unknown email (login-throttle.int-spec.ts has the rest).
  it('makes an account wait after repeated failures, and an unknown email exactly alike', async () => {
    const registration = newRegistration();
    await identity.send(IDENTITY_RPC.register, registration);
    const attempt = (password: string, email = registration.email) =>
      identity.failure(IDENTITY_RPC.login, { email, password, caller: { ip: '198.51.100.20' } });

    const wrong = await attempt('wrong password 1');
    expect(wrong).toMatchObject({ code: 'INVALID_CREDENTIALS', detail: 'The email or password is not correct.' });
    await attempt('wrong password 2');
    await attempt('wrong password 3');

    // Too early now: even the right password waits, unchecked.
    const waiting = await attempt(registration.password);
    expect(waiting).toMatchObject({ code: 'RATE_LIMITED', extras: { retryAfterSeconds: 1 } });

    const unknown = 'nobody-here@example.test';
    const unknownAnswers = [];
    for (let i = 0; i < 4; i += 1) unknownAnswers.push(await attempt(`whatever password ${i}`, unknown));
    expect(unknownAnswers.map((a) => a.code)).toEqual(['INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'RATE_LIMITED']);
    expect(unknownAnswers[3].detail).toBe(waiting.detail);

    const throttled = await identity.sql<{ waiting: boolean }>(
      "SELECT next_attempt_at > now() AS waiting FROM identity.login_throttle WHERE key LIKE 'account:%' AND next_attempt_at IS NOT NULL",
    );
    expect(throttled).toEqual([{ waiting: true }, { waiting: true }]);
  });

  it('writes none of the passwords or tokens of these flows into its logs', () => {
    expect(secrets.length).toBeGreaterThan(5);
    expect(leakedSecrets(identity.logs(), secrets)).toEqual([]);
  });
});
