/**
 * Identity's access-token signing keys rotate on a schedule (one replica at a time) and on
 * demand (a platform admin, audited), and a retired key leaves the JWKS once the longest
 * access token it could have signed has expired (docs/security.md, "Signing keys"). Against the
 * compiled identity service (`npm run build` first), on real PostgreSQL and NATS.
 */
import { IDENTITY_RPC, JwksResponse, LoginResponse, Principal, RegisterResponse } from '@parking/contracts';
import { expectEventually, launchService, type RunningService } from '@parking/testing';
import { decodeProtectedHeader } from 'jose';
import { CALLER, IdentityHarness, newRegistration, startIdentity, userPrincipal } from './identity-harness';

const ROTATE = 'rpc.identity.v1.admin.signing-keys.rotate';
const ACCESS_TTL_SECONDS = 60;

interface KeyRow {
  kid: string;
  created_at: Date;
  retired_at: Date | null;
}

const kidOf = (token: string) => decodeProtectedHeader(token).kid as string;

describe('signing keys rotated on demand, and retired after the longest access-token lifetime', () => {
  let identity: IdentityHarness;
  let admin: Principal;
  let owner: { principal: Principal; email: string; password: string };

  beforeAll(async () => {
    identity = await startIdentity({ ACCESS_TOKEN_TTL_SECONDS: String(ACCESS_TTL_SECONDS) });
    const session = await identity.send<LoginResponse>(IDENTITY_RPC.login, { email: identity.admin.email, password: identity.admin.password, caller: CALLER });
    admin = userPrincipal(session, 'owner', true);
    const registration = newRegistration('keys');
    const registered = await identity.send<RegisterResponse>(IDENTITY_RPC.register, registration);
    owner = { principal: userPrincipal(registered, 'owner'), email: registration.email, password: registration.password };
  }, 90_000);
  afterAll(async () => {
    await identity?.stop();
  });

  const keys = () => identity.sql<KeyRow>('SELECT kid, created_at, retired_at FROM identity.signing_keys ORDER BY created_at');
  const jwksKids = async () => (await identity.send<JwksResponse>(IDENTITY_RPC.jwks, {})).keys.map((k) => k.kid as string).sort();
  const signIn = () => identity.send<LoginResponse>(IDENTITY_RPC.login, { email: owner.email, password: owner.password, caller: CALLER });

  it('rotates on a platform admin’s demand: new tokens carry the new key, the old one stays in the JWKS, and the reason is audited', async () => {
    const before = kidOf((await signIn()).accessToken);
    const rotated = await identity.send<{ kid: string; createdAt: string; retired: string[] }>(ROTATE, { principal: admin, reason: 'Scheduled key hygiene, ticket #12' });
    expect(rotated).toEqual({ kid: expect.any(String), createdAt: expect.any(String), retired: [before] });
    expect(rotated.kid).not.toBe(before);

    expect(kidOf((await signIn()).accessToken)).toBe(rotated.kid);
    // Tokens signed a moment ago by the old key must still verify: it stays published.
    expect(await jwksKids()).toEqual([before, rotated.kid].sort());
    const active = (await keys()).filter((k) => k.retired_at === null).map((k) => k.kid);
    expect(active).toEqual([rotated.kid]);

    const audit = await identity.sql<{ actor: string; reason: string; action: string; target: string }>(
      "SELECT actor, reason, action, target FROM identity.platform_audit WHERE action = 'signing-key.rotate'",
    );
    expect(audit).toEqual([{ actor: admin.actor, reason: 'Scheduled key hygiene, ticket #12', action: 'signing-key.rotate', target: `signing-key:${rotated.kid}` }]);
  });

  it('drops every earlier key from the JWKS at once when asked to (a compromised key)', async () => {
    const previous = (await keys()).filter((k) => k.retired_at === null).map((k) => k.kid);
    expect((await jwksKids()).length).toBeGreaterThan(1);
    const rotated = await identity.send<{ kid: string; retired: string[] }>(ROTATE, { principal: admin, reason: 'Key leaked in a support bundle', retirePrevious: true });
    expect(rotated.retired).toEqual(previous);
    // Those retired by the earlier rotation (still in their grace) go too.
    expect(await jwksKids()).toEqual([rotated.kid]);
    const audit = await identity.sql<{ action: string }>("SELECT action FROM identity.platform_audit WHERE target = $1", [`signing-key:${rotated.kid}`]);
    expect(audit).toEqual([{ action: 'signing-key.rotate-and-revoke' }]);
  });

  it('refuses anyone but a platform admin, a missing reason, and unknown fields', async () => {
    expect(await identity.failure(ROTATE, { principal: owner.principal, reason: 'I would like a new key' })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await identity.failure(ROTATE, { principal: admin })).toMatchObject({ code: 'VALIDATION_FAILED', errors: expect.arrayContaining([expect.objectContaining({ field: 'reason' })]) });
    expect(await identity.failure(ROTATE, { principal: admin, reason: 'Routine', retirePrevious: 'yes' })).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'retirePrevious', message: expect.any(String) }],
    });
    expect(await identity.failure(ROTATE, { principal: admin, reason: 'Routine', kid: 'mine' })).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await identity.failure(ROTATE, { reason: 'Routine' })).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('lists a retired key until the longest access token it signed has expired, then no more', async () => {
    const rotated = await identity.send<{ kid: string; retired: string[] }>(ROTATE, { principal: admin, reason: 'Retirement window check' });
    const [old] = rotated.retired;
    // Retired just under one access-token lifetime ago: a token it signed may still be valid.
    await identity.sql(`UPDATE identity.signing_keys SET retired_at = now() - make_interval(secs => $2) WHERE kid = $1`, [old, ACCESS_TTL_SECONDS - 5]);
    expect(await jwksKids()).toContain(old);
    // Retired longer ago than any token it signed lives (plus the margin for replicas and clocks): gone.
    await identity.sql(`UPDATE identity.signing_keys SET retired_at = now() - make_interval(secs => $2) WHERE kid = $1`, [old, ACCESS_TTL_SECONDS + 3 * 60]);
    expect(await jwksKids()).not.toContain(old);
  });
});

describe('signing keys rotated on a schedule by one replica at a time, picked up by every replica', () => {
  const INTERVAL_SECONDS = 3;
  let identity: IdentityHarness;
  let replica: RunningService;
  let owner: { email: string; password: string };

  beforeAll(async () => {
    const env = { SIGNING_KEY_ROTATION_INTERVAL_SECONDS: String(INTERVAL_SECONDS), ACCESS_TOKEN_TTL_SECONDS: String(ACCESS_TTL_SECONDS) };
    identity = await startIdentity(env);
    // A second replica on the same database and namespace, as a deployment with two would run.
    replica = await launchService('identity', {
      env: { DATABASE_URL: identity.database.urlFor('identity'), NATS_NAMESPACE: identity.namespace, SECRETS_KEY: identity.secretsKey, ...env },
    });
    const registration = newRegistration('schedule');
    await identity.send<RegisterResponse>(IDENTITY_RPC.register, registration);
    owner = { email: registration.email, password: registration.password };
  }, 90_000);
  afterAll(async () => {
    await replica?.stop();
    await identity?.stop();
  });

  it('makes a new key every interval, never two at once, and every replica signs with the newest soon after', async () => {
    const rows = await expectEventually(
      async () => {
        const found = await identity.sql<KeyRow>('SELECT kid, created_at, retired_at FROM identity.signing_keys ORDER BY created_at');
        expect(found.length).toBeGreaterThanOrEqual(4);
        return found;
      },
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    // Two replicas check on the same schedule: a race would create two keys within moments.
    const gaps = rows.slice(1).map((row, i) => row.created_at.getTime() - rows[i].created_at.getTime());
    expect(gaps.filter((gap) => gap < (INTERVAL_SECONDS - 0.5) * 1000)).toEqual([]);
    expect(rows.filter((row) => row.retired_at === null).length).toBeLessThanOrEqual(1);

    // Sign-ins reach either replica (one queue group): each signs with the newest key, not one it remembers.
    await expectEventually(
      async () => {
        const [newest] = await identity.sql<{ kid: string }>('SELECT kid FROM identity.signing_keys WHERE retired_at IS NULL ORDER BY created_at DESC LIMIT 1');
        const kids: string[] = [];
        for (let i = 0; i < 4; i += 1) {
          kids.push(kidOf((await identity.send<LoginResponse>(IDENTITY_RPC.login, { email: owner.email, password: owner.password, caller: CALLER })).accessToken));
        }
        const stale = kids.filter((kid) => kid !== newest.kid);
        expect(stale).toEqual([]);
      },
      { timeoutMs: 20_000, intervalMs: 300 },
    );
    // Whichever replica takes the lock first rotates; together they logged each rotation.
    const rotations = (identity.logs() + replica.output()).split('rotated the signing key on schedule').length - 1;
    expect(rotations).toBeGreaterThanOrEqual(rows.length - 1);
  });
});
