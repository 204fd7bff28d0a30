/**
 * No secret reaches the logs. Every identity flow, every ChirpStack connection flow and a
 * device's OTAA keys (all the way to a fake ChirpStack) run through the compiled gateway,
 * identity, ingest and chirpstack-sync processes (at LOG_LEVEL=debug,
 * the chattiest setting), failures included; then each password, token, key and secret that
 * crossed the API or a mail is looked for, literally, in everything the processes printed.
 */
import { FakeChirpStack } from '@parking/chirpstack-fake';
import { expectEventually } from '@parking/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { startApiStack, uniquePassword, type ApiStack } from '../test/api-stack';

describe('secrets stay out of the logs of gateway, identity, ingest and chirpstack-sync', () => {
  let api: ApiStack;
  let fake: FakeChirpStack;

  beforeAll(async () => {
    fake = await FakeChirpStack.start();
    api = await startApiStack({ prefix: 'gateway-secrets-in-logs', services: ['identity', 'gateway', 'ingest', 'chirpstack-sync'], env: { LOG_LEVEL: 'debug', API_KEY_CACHE_TTL_MS: '0' } });
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
    await fake?.stop();
  });

  it('logs none of the passwords, tokens, keys and secrets of register, login, refresh, keys, integrations, invitation, reset, ChirpStack connections and OTAA keys', async () => {
    const status = async (expected: number, answer: Promise<{ status: number; body: unknown }>) => {
      const { status: actual, body } = await answer;
      if (actual !== expected) throw new Error(`expected ${expected}, got ${actual}: ${JSON.stringify(body)}`);
      return body as Record<string, never>;
    };

    // Register, login (JSON and a wrong password), refresh, reuse of a used refresh token, logout.
    const owner = await api.register('leaky');
    await api.upgrade(owner.tenantId);
    const session = await api.login(owner.email, owner.password);
    const wrongPassword = uniquePassword();
    api.secrets.get('password')?.add(wrongPassword);
    await status(401, api.call('POST', '/api/v1/auth/login', { body: { email: owner.email, password: wrongPassword } }));
    const refreshed = await status(200, api.call('POST', '/api/v1/auth/refresh', { body: { refreshToken: session.refreshToken } }));
    await status(401, api.call('POST', '/api/v1/auth/refresh', { body: { refreshToken: session.refreshToken } }));
    const again = await api.login(owner.email, owner.password);
    await status(200, api.call('POST', '/api/v1/auth/logout', { body: { refreshToken: again.refreshToken } }));
    await status(200, api.call('GET', '/api/v1/auth/me', { accessToken: refreshed.accessToken }));
    // A tampered access token is refused (and must not be logged either).
    const tampered = `${owner.accessToken.slice(0, -4)}AAAA`;
    api.secrets.get('accessToken')?.add(tampered);
    await status(401, api.call('GET', '/api/v1/auth/me', { accessToken: tampered }));

    // API keys: create, use (header and bearer), rotate, use the old one, revoke.
    const created = await status(201, api.call('POST', '/api/v1/api-keys', { accessToken: owner.accessToken, body: { name: 'log probe', scopes: ['api-keys:read', 'spaces:read'] } }));
    const key = created.key as string;
    await status(200, api.call('GET', '/api/v1/api-keys', { apiKey: key }));
    await status(200, api.call('GET', '/api/v1/api-keys', { accessToken: key }));
    await status(403, api.call('GET', '/api/v1/users', { apiKey: key }));
    const rotatedKey = await status(200, api.call('POST', `/api/v1/api-keys/${(created.apiKey as { id: string }).id}/rotate`, { accessToken: owner.accessToken }));
    await status(401, api.call('GET', '/api/v1/api-keys', { apiKey: key }));
    await status(200, api.call('GET', '/api/v1/api-keys', { apiKey: rotatedKey.key }));
    await status(200, api.call('DELETE', `/api/v1/api-keys/${(rotatedKey.apiKey as { id: string }).id}`, { accessToken: owner.accessToken }));
    await status(401, api.call('GET', '/api/v1/api-keys', { apiKey: rotatedKey.key }));

    // Webhook integrations: create and rotate (each shows a token and an HMAC secret once).
    const integration = await status(201, api.call('POST', '/api/v1/webhook-integrations', { accessToken: owner.accessToken, body: { name: 'log probe' } }));
    const integrationId = (integration.integration as { id: string }).id;
    await status(200, api.call('POST', `/api/v1/webhook-integrations/${integrationId}/rotate`, { accessToken: owner.accessToken, body: { graceSeconds: 60 } }));
    await status(200, api.call('GET', `/api/v1/webhook-integrations/${integrationId}`, { accessToken: owner.accessToken }));

    // Invitation: invite, accept the mailed token, accept it again, sign in.
    const member = await api.inviteAndAccept(owner, 'operator', 'leaky-member');
    const usedInvitation = [...(api.secrets.get('mailedToken') ?? [])].at(-1);
    await status(401, api.call('POST', '/api/v1/invitations/accept', { body: { token: usedInvitation, name: 'Twice', password: uniquePassword() } }));
    await api.login(member.email, member.password);

    // Password reset: request (known and unknown email), confirm, reuse the token, sign in.
    await status(202, api.call('POST', '/api/v1/auth/password-reset', { body: { email: member.email } }));
    await status(202, api.call('POST', '/api/v1/auth/password-reset', { body: { email: 'nobody-here@example.com' } }));
    const resetToken = await api.tokenMailedTo(member.email, /reset/i);
    const newPassword = uniquePassword();
    await status(200, api.call('POST', '/api/v1/auth/password-reset/confirm', { body: { token: resetToken, newPassword } }));
    await status(401, api.call('POST', '/api/v1/auth/password-reset/confirm', { body: { token: resetToken, newPassword: uniquePassword() } }));
    await api.login(member.email, newPassword);

    // A malformed body carrying a password is refused without echoing it.
    const tooShortSecret = `s${Math.random().toString(36).slice(2, 10)}`;
    await status(400, api.call('POST', '/api/v1/auth/register', { body: { email: 'short@example.com', password: tooShortSecret, name: 'x', tenantName: 'x', tenantSlug: 'short-pw' } }));

    // ChirpStack connections: create, read, replace the token, test (ChirpStack unreachable: a finding), a refused body.
    const connectionToken = (label: string) => {
      const token = `cs-${label}-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
      if (!api.secrets.has('connectionToken')) api.secrets.set('connectionToken', new Set());
      api.secrets.get('connectionToken')?.add(token);
      return token;
    };
    const connectionBody = { name: 'log probe', apiUrl: 'http://127.0.0.1:9', chirpstackTenantId: '0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d10', applicationId: '1c9e4b63-9b55-4e9f-8b62-4f8f3d2f6e21' };
    const connection = await status(201, api.call('POST', '/api/v1/chirpstack/connections', { accessToken: owner.accessToken, body: { ...connectionBody, apiToken: connectionToken('first') } }));
    const connectionId = connection.id as string;
    await status(200, api.call('GET', `/api/v1/chirpstack/connections/${connectionId}`, { accessToken: owner.accessToken }));
    await status(200, api.call('PUT', `/api/v1/chirpstack/connections/${connectionId}`, { accessToken: owner.accessToken, body: { ...connectionBody, apiToken: connectionToken('second') } }));
    const tested = await status(200, api.call('POST', `/api/v1/chirpstack/connections/${connectionId}/test`, { accessToken: owner.accessToken }));
    expect(tested).toMatchObject({ ok: false, checks: [{ check: 'api', ok: false }] });
    await status(400, api.call('POST', '/api/v1/chirpstack/connections', { accessToken: owner.accessToken, body: { ...connectionBody, apiUrl: 'ftp://nowhere', apiToken: connectionToken('refused') } }));

    // A device's OTAA keys: set them (a 1.1 pair, then a 1.0.x key) and follow them into ChirpStack; a malformed key is refused.
    const deviceKey = () => {
      const key = randomBytes(16).toString('hex');
      if (!api.secrets.has('deviceKey')) api.secrets.set('deviceKey', new Set());
      api.secrets.get('deviceKey')?.add(key);
      return key;
    };
    const fakeToken = connectionToken('fake');
    fake.addToken(fakeToken);
    const applicationId = fake.addApplication({ tenantId: randomUUID(), name: 'log probe' });
    await status(201, api.call('POST', '/api/v1/chirpstack/connections', {
      accessToken: owner.accessToken,
      body: { ...connectionBody, name: 'log probe fake', apiUrl: fake.url, applicationId, apiToken: fakeToken, isDefault: true, deviceProfiles: { 'nwave-nps405': randomUUID() } },
    }));
    const devEui = randomBytes(8).toString('hex');
    await status(201, api.call('POST', '/api/v1/devices', { accessToken: owner.accessToken, body: { devEui, kind: 'sensor', codec: 'nwave-nps405', name: 'log probe' } }));
    await expectEventually(async () => expect((await api.call('GET', `/api/v1/devices/${devEui}/chirpstack`, { accessToken: owner.accessToken })).body).toMatchObject({ status: 'synced' }), { timeoutMs: 15_000 });
    const [nwkKey, appKey] = [deviceKey(), deviceKey()];
    const keysAnswer = await status(200, api.call('PUT', `/api/v1/devices/${devEui}/keys`, { accessToken: owner.accessToken, body: { nwkKey, appKey } }));
    expect(keysAnswer).toMatchObject({ keys: 'pending' });
    await expectEventually(async () => expect(fake.keys(devEui)).toEqual({ nwkKey, appKey }), { timeoutMs: 15_000 });
    const onlyKey = deviceKey();
    await status(200, api.call('PUT', `/api/v1/devices/${devEui}/keys`, { accessToken: owner.accessToken, body: { nwkKey: onlyKey } }));
    await expectEventually(async () => expect(fake.keys(devEui)).toMatchObject({ nwkKey: onlyKey }), { timeoutMs: 15_000 });
    await status(400, api.call('PUT', `/api/v1/devices/${devEui}/keys`, { accessToken: owner.accessToken, body: { nwkKey: `${deviceKey()}ff` } }));
    expect(await status(200, api.call('GET', `/api/v1/devices/${devEui}/chirpstack`, { accessToken: owner.accessToken }))).toMatchObject({ keys: 'synced' });

    // Every kind of secret was seen (else the search below would prove nothing).
    const counts = Object.fromEntries([...api.secrets].map(([kind, values]) => [kind, values.size]));
    expect(counts).toEqual(
      expect.objectContaining({
        password: expect.any(Number),
        accessToken: expect.any(Number),
        refreshToken: expect.any(Number),
        key: 2,
        integrationToken: 2,
        hmacSecret: 2,
        mailedToken: expect.any(Number),
        token: expect.any(Number),
        connectionToken: 4,
        deviceKey: 4,
      }),
    );
    expect(counts.password).toBeGreaterThanOrEqual(6);
    expect(counts.mailedToken).toBeGreaterThanOrEqual(2);
    api.secrets.get('password')?.add(tooShortSecret);

    const logs = api.logs();
    for (const [service, output] of Object.entries(logs)) {
      const lines = output.split('\n').filter((line) => line.trim().length > 0);
      // Enough output to have seen a leak: the request handling was logged, as JSON lines (chirpstack-sync logs its boot and its calls).
      expect({ service, lines: lines.length > (service === 'chirpstack-sync' ? 5 : 20) }).toEqual({ service, lines: true });
      const notJson = lines.filter((line) => {
        try {
          return typeof JSON.parse(line) !== 'object';
        } catch {
          return true;
        }
      });
      expect({ service, notJson }).toEqual({ service, notJson: [] });
    }

    const leaks: string[] = [];
    for (const [kind, values] of api.secrets) {
      for (const value of values) {
        // The whole value, and its last 24 characters (the random part, past any public prefix).
        const needles = value.length > 32 ? [value, value.slice(-24)] : [value];
        for (const [service, output] of Object.entries(logs)) {
          for (const needle of needles) {
            const at = output.indexOf(needle);
            if (at >= 0) leaks.push(`${service} logged a ${kind}: …${output.slice(Math.max(0, at - 200), at + needle.length + 50)}…`);
          }
        }
      }
    }
    expect(leaks).toEqual([]);
  });
});
