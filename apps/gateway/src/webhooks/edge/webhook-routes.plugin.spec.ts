import { createHash, createHmac, randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { protobufUplink } from '../test-support/protobuf-uplink';
import { SecretBox, generateSecretsKey } from '@parking/secret-box';
import { IntegrationDirectory } from '../../webhook-integrations';
import { WebhookUnavailableError, type Acceptance, type OutgoingWebhook, type WebhookDurabilityHealth } from '../delivery/durable-webhook-sink';
import type { RejectionReason } from '../reporting/delivery-reporter';
import { AuthFailureLimit } from './auth-failure-limit';
import { WebhookAuthenticator } from './webhook-authenticator';
import { WebhookQuota } from './webhook-quota';
import { webhookRoutesPlugin, type WebhookRefusalLog } from './webhook-routes.plugin';

const box = new SecretBox(generateSecretsKey());
const bound = (integrationId: string) => `webhook-integration:${integrationId}`;
const ID = '1d4f0c8e-2a7b-4c61-9e3f-5b8a7d6c4e21';
const TENANT = '6f1f7e52-3b0a-4d8e-9a53-2f6b0c1d9e41';
const TOKEN = `whk_Abcd1234_${randomBytes(32).toString('base64url')}`;
const SECRET = randomBytes(32).toString('base64url');
const PLATFORM_SECRET = 'platform-secret-of-at-least-16';
const DEDUP = '3e5e0b4c-8a11-4f3e-9d61-2b7c9a0f1e22';
// A second tenant's integration.
const OTHER_ID = '2a5e1d9f-3b8c-4d72-8f40-6c9b8e7d5f33';
const OTHER_TENANT = '7a2e8f63-4c1b-4e9f-8b64-3a7c1d2e0f52';
const OTHER_TOKEN = `whk_Other123_${randomBytes(32).toString('base64url')}`;
const sign = (secret: string, body: Buffer | string) => createHmac('sha256', secret).update(body).digest('hex');

const uplink = (overrides: Record<string, unknown> = {}) =>
  JSON.stringify({
    deduplicationId: DEDUP,
    time: '2025-03-01T12:00:00.000Z',
    deviceInfo: { tenantId: 'cs-tenant', applicationId: 'app', devEui: '0102030405060708', deviceName: 'bay-1' },
    fCnt: 7,
    fPort: 1,
    data: 'AQ==',
    unknownField: { kept: true },
    ...overrides,
  });

describe('webhook routes', () => {
  let app: FastifyInstance;
  let accepted: OutgoingWebhook[];
  let rejections: Array<{ integrationId: string; reason: RejectionReason }>;
  let acceptance: () => Promise<Acceptance>;
  let health: WebhookDurabilityHealth;
  let refusals: WebhookRefusalLog[];
  let directory: IntegrationDirectory;
  /** What identity knows beyond the directory (integrations created a moment ago), and what it was asked. */
  let identityKnows: Array<Parameters<IntegrationDirectory['applyUpsert']>[0]>;
  let lookups: unknown[];
  let quotas: Record<string, number | null>;

  beforeEach(async () => {
    accepted = [];
    rejections = [];
    refusals = [];
    acceptance = async () => ({ durable: 'stream', duplicate: false });
    health = { accepting: true, nats: { connected: true, streamReady: true }, spool: { available: true, full: false, events: 0, bytes: 0, capacityBytes: 1, oldestAgeSeconds: null } };
    identityKnows = [];
    lookups = [];
    quotas = {};
    directory = new IntegrationDirectory((integrationId, sealed) => box.openText(sealed, bound(integrationId)));
    directory.applyUpsert({
      id: ID,
      tenantId: TENANT,
      enabled: true,
      version: 1,
      tokens: [{ prefix: 'whk_Abcd1234', sha256: createHash('sha256').update(TOKEN).digest('hex'), validUntil: null }],
      hmacSecrets: [{ sealed: box.seal(SECRET, bound(ID)), validUntil: null }],
    });
    directory.applyUpsert({
      id: OTHER_ID,
      tenantId: OTHER_TENANT,
      enabled: true,
      version: 1,
      tokens: [{ prefix: 'whk_Other123', sha256: createHash('sha256').update(OTHER_TOKEN).digest('hex'), validUntil: null }],
      hmacSecrets: [],
    });
    app = Fastify();
    // The JSON parser of the rest of the API must stay as it is.
    app.post('/api/v1/other', async (request) => ({ parsed: request.body }));
    await app.register(
      webhookRoutesPlugin({
        namespace: 'ns1',
        authenticator: new WebhookAuthenticator(directory, PLATFORM_SECRET),
        lookup: async (key) => {
          lookups.push(key);
          const found = identityKnows.find((i) => ('tokenPrefix' in key ? i.tokens[0].prefix === key.tokenPrefix : i.id === key.integrationId));
          if (found) directory.applyUpsert(found);
          return found !== undefined;
        },
        authFailures: new AuthFailureLimit(5),
        quota: (() => {
          const quota = new WebhookQuota({ keyPrefix: 'spec:' });
          return (tenantId: string | undefined) => quota.take(tenantId ?? '_platform', tenantId && tenantId in quotas ? quotas[tenantId] : 1_000);
        })(),
        reporter: {
          accepted: () => undefined,
          rejected: (integrationId, _tenantId, reason) => rejections.push({ integrationId, reason }),
        },
        accept: async (webhook) => {
          const result = await acceptance();
          accepted.push(webhook);
          return result;
        },
        health: () => health,
        logError: () => undefined,
        logRefusal: (fields) => refusals.push(fields),
      }),
    );
    await app.ready();
  });

  afterEach(() => app.close());

  const post = (url: string, body: string | Buffer, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url, payload: body, headers: { 'content-type': 'application/json', ...headers } });

  it('accepts a v4 uplink with the bearer token and hands over the raw body, subject, msgId and headers', async () => {
    const body = uplink();
    const response = await post('/api/v1/webhooks/chirpstack?event=up', body, { authorization: `Bearer ${TOKEN}` });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'accepted', durability: 'stream' });
    expect(accepted).toHaveLength(1);
    expect(accepted[0].body.toString()).toBe(body);
    expect(accepted[0]).toMatchObject({
      subject: `ns1.webhook.chirpstack.up.${TENANT}`,
      msgId: `${TENANT}:${ID}:up:${DEDUP}`,
      headers: {
        'Nats-Msg-Id': `${TENANT}:${ID}:up:${DEDUP}`,
        'Parking-Event': 'up',
        'Parking-Tenant-Id': TENANT,
        'Parking-Integration-Id': ID,
        'Parking-Auth': 'bearer',
        'Content-Type': 'application/json',
        'Parking-Received-At': expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      },
    });
  });

  it('accepts a Protobuf uplink and refuses a truncated one with 400', async () => {
    const body = Buffer.from(protobufUplink());
    const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/octet-stream' };
    const response = await post('/api/v1/webhooks/chirpstack?event=up', body, headers);
    expect(response.statusCode).toBe(200);
    expect(accepted[0].body.equals(body)).toBe(true);
    expect(accepted[0].msgId).toBe(`${TENANT}:${ID}:up:${DEDUP}`);

    const truncated = await post('/api/v1/webhooks/chirpstack?event=up', body.subarray(0, 20), headers);
    expect(truncated.statusCode).toBe(400);
    expect(truncated.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('refuses without credentials, with a wrong token, and with a wrong signature: 401 with a challenge, nothing stored', async () => {
    const body = uplink();
    const missing = await post('/api/v1/webhooks/chirpstack?event=up', body);
    expect(missing.statusCode).toBe(401);
    expect(missing.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(missing.json()).toMatchObject({ code: 'UNAUTHENTICATED', status: 401, instance: '/api/v1/webhooks/chirpstack' });

    const wrong = await post('/api/v1/webhooks/chirpstack?event=up', body, { authorization: `Bearer whk_Abcd1234_${randomBytes(32).toString('base64url')}` });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ code: 'INVALID_TOKEN' });
    expect(rejections).toEqual([{ integrationId: ID, reason: 'bad-token' }]);

    const badSignature = await post('/api/v1/uplink', body, { 'x-integration-id': ID, 'x-signature': sign('not the secret', body) });
    expect(badSignature.statusCode).toBe(401);
    expect(badSignature.headers['www-authenticate']).toMatch(/HMAC-SHA256/);
    expect(accepted).toHaveLength(0);
    // The request logger skips webhook routes; each refusal is logged by the routes, naming the integration once known.
    expect(refusals.map((r) => [r.status, r.code, r.integrationId])).toEqual([
      [401, 'UNAUTHENTICATED', undefined],
      [401, 'INVALID_TOKEN', ID],
      [401, expect.any(String), ID],
    ]);
  });

  it('checks signatures over the exact bytes, with or without the sha256= prefix, under the integration or platform secret', async () => {
    const body = `  ${uplink()}\n`;
    const integration = await post('/api/v1/uplink', body, { 'x-integration-id': ID, 'x-signature': `sha256=${sign(SECRET, body)}` });
    expect(integration.statusCode).toBe(200);
    expect(accepted[0].headers).toMatchObject({ 'Parking-Auth': 'signature', 'Parking-Tenant-Id': TENANT });
    expect(accepted[0].body.toString()).toBe(body);

    const platform = await post('/api/v1/uplink?event=up', body, { 'x-signature': sign(PLATFORM_SECRET, body).toUpperCase() });
    expect(platform.statusCode).toBe(200);
    expect(accepted[1].subject).toBe('ns1.webhook.chirpstack.up._platform');
    expect(accepted[1].headers['Parking-Auth']).toBe('platform-signature');
    expect(accepted[1].headers['Parking-Tenant-Id']).toBeUndefined();

    const tampered = await post('/api/v1/uplink', body.trim(), { 'x-integration-id': ID, 'x-signature': sign(SECRET, body) });
    expect(tampered.statusCode).toBe(401);
  });

  it.each([
    ['not hex', 'zz'],
    ['too short', 'abcd'],
    ['a bare prefix', 'sha256='],
  ])('refuses a malformed signature header (%s)', async (_name, header) => {
    const response = await post('/api/v1/uplink', uplink(), { 'x-integration-id': ID, 'x-signature': header });
    expect(response.statusCode).toBe(401);
    expect(response.json().detail).toMatch(/64 hex digits/);
  });

  it('takes a bearer token or a signature on the aliases of the previous platform', async () => {
    const join = JSON.stringify({ deduplicationId: DEDUP, deviceInfo: { devEui: '0102030405060708' }, devAddr: '01020304' });
    expect((await post('/webhooks/chirpstack/join', join, { authorization: `Bearer ${TOKEN}` })).statusCode).toBe(200);
    expect(accepted[0].subject).toBe(`ns1.webhook.chirpstack.join.${TENANT}`);
    const body = uplink();
    expect((await post('/webhooks/chirpstack/uplink', body, { 'x-integration-id': ID, 'x-signature': sign(SECRET, body) })).statusCode).toBe(200);
    expect(accepted[1].msgId).toBe(`${TENANT}:${ID}:up:${DEDUP}`);
  });

  it("scopes the msgId by tenant and integration, so two tenants' events never dedupe each other", async () => {
    // The same ChirpStack event (same deduplicationId) sent by two tenants' integrations, and signed with the platform secret.
    const body = uplink();
    expect((await post('/api/v1/webhooks/chirpstack?event=up', body, { authorization: `Bearer ${TOKEN}` })).statusCode).toBe(200);
    expect((await post('/api/v1/webhooks/chirpstack?event=up', body, { authorization: `Bearer ${OTHER_TOKEN}` })).statusCode).toBe(200);
    expect((await post('/api/v1/uplink', body, { 'x-signature': sign(PLATFORM_SECRET, body) })).statusCode).toBe(200);
    expect(accepted.map((webhook) => webhook.msgId)).toEqual([`${TENANT}:${ID}:up:${DEDUP}`, `${OTHER_TENANT}:${OTHER_ID}:up:${DEDUP}`, `_platform:_:up:${DEDUP}`]);
    expect(accepted.map((webhook) => webhook.headers['Nats-Msg-Id'])).toEqual(accepted.map((webhook) => webhook.msgId));
  });

  it('refuses a body over 64 KiB with 413 problem+json', async () => {
    const response = await post('/api/v1/webhooks/chirpstack?event=up', uplink({ pad: 'x'.repeat(64 * 1024) }), { authorization: `Bearer ${TOKEN}` });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(rejections).toEqual([{ integrationId: ID, reason: 'too-large' }]);
  });

  it('refuses other content types with 415', async () => {
    const response = await post('/api/v1/webhooks/chirpstack?event=up', uplink(), { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/plain' });
    expect(response.statusCode).toBe(415);
    expect(response.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('names missing fields and a missing or unknown event', async () => {
    const noDevEui = await post('/api/v1/webhooks/chirpstack?event=up', uplink({ deviceInfo: { tenantId: 'x' } }), { authorization: `Bearer ${TOKEN}` });
    expect(noDevEui.statusCode).toBe(400);
    expect(noDevEui.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: expect.arrayContaining([expect.objectContaining({ field: expect.stringMatching(/devEui/) })]) });

    const noEvent = await post('/api/v1/webhooks/chirpstack', uplink(), { authorization: `Bearer ${TOKEN}` });
    expect(noEvent.statusCode).toBe(400);
    expect(noEvent.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'event', message: expect.stringMatching(/required/) }] });

    const unknown = await post('/api/v1/webhooks/chirpstack?event=bogus', uplink(), { authorization: `Bearer ${TOKEN}` });
    expect(unknown.statusCode).toBe(400);
    const notJson = await post('/api/v1/webhooks/chirpstack?event=up', '{"deviceInfo":', { authorization: `Bearer ${TOKEN}` });
    expect(notJson.statusCode).toBe(400);
    expect(accepted).toHaveLength(0);
  });

  it('answers 503 with Retry-After when the webhook cannot be made durable', async () => {
    acceptance = async () => {
      throw new WebhookUnavailableError('NATS is unreachable and the spool is full', 30);
    };
    const response = await post('/api/v1/webhooks/chirpstack?event=up', uplink(), { authorization: `Bearer ${TOKEN}` });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('30');
    expect(response.json()).toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('reports its health, as a 503 problem when neither NATS nor the spool can take webhooks', async () => {
    const ok = await app.inject({ method: 'GET', url: '/api/v1/webhooks/health' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ accepting: true, nats: { connected: true } });

    health = { accepting: false, nats: { connected: false, streamReady: false }, spool: { available: true, full: true, events: 9, bytes: 100, capacityBytes: 100, oldestAgeSeconds: 60 } };
    const down = await app.inject({ method: 'GET', url: '/api/v1/webhooks/health' });
    expect(down.statusCode).toBe(503);
    expect(down.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(down.json()).toMatchObject({ code: 'UNAVAILABLE', detail: expect.stringMatching(/spool is full/), spool: { events: 9, oldestAgeSeconds: 60 } });
  });

  it('leaves the JSON parsing of other routes alone', async () => {
    const response = await post('/api/v1/other', '{"a":1}');
    expect(response.json()).toEqual({ parsed: { a: 1 } });
  });

  it("holds each tenant to its plan's quota: 429 problem+json with the limit and Retry-After, the others unaffected", async () => {
    quotas[TENANT] = 2;
    const send = (token: string) => post('/api/v1/webhooks/chirpstack?event=up', uplink(), { authorization: `Bearer ${token}` });
    expect((await send(TOKEN)).statusCode).toBe(200);
    expect((await send(TOKEN)).statusCode).toBe(200);
    const refused = await send(TOKEN);
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.json()).toMatchObject({ code: 'RATE_LIMITED', limit: 2, detail: expect.stringMatching(/tenant's plan allows \(2 per minute\)/) });
    expect(rejections).toEqual([{ integrationId: ID, reason: 'rate-limited' }]);
    expect((await send(OTHER_TOKEN)).statusCode).toBe(200);
  });

  describe('an integration this process has not heard of', () => {
    const NEW_ID = '4b7d2c1e-5f6a-4b8c-9d0e-1f2a3b4c5d6e';
    const NEW_TOKEN = `whk_Fresh123_${randomBytes(32).toString('base64url')}`;
    const NEW_SECRET = randomBytes(32).toString('base64url');
    const created = () => ({
      id: NEW_ID,
      tenantId: OTHER_TENANT,
      enabled: true,
      version: 1,
      tokens: [{ prefix: 'whk_Fresh123', sha256: createHash('sha256').update(NEW_TOKEN).digest('hex'), validUntil: null }],
      hmacSecrets: [{ sealed: box.seal(NEW_SECRET, bound(NEW_ID)), validUntil: null }],
    });

    it("is taken once identity, asked about its token's prefix, knows it", async () => {
      identityKnows.push(created());
      const response = await post('/api/v1/webhooks/chirpstack?event=up', uplink(), { authorization: `Bearer ${NEW_TOKEN}` });
      expect(response.statusCode).toBe(200);
      expect(lookups).toEqual([{ tokenPrefix: 'whk_Fresh123' }]);
      expect(accepted[0].headers).toMatchObject({ 'Parking-Tenant-Id': OTHER_TENANT, 'Parking-Integration-Id': NEW_ID });
      // Known from now on: no second question.
      expect((await post('/api/v1/webhooks/chirpstack?event=up', uplink(), { authorization: `Bearer ${NEW_TOKEN}` })).statusCode).toBe(200);
      expect(lookups).toHaveLength(1);
    });

    it('is taken on a signed route once identity, asked about its id, knows it', async () => {
      identityKnows.push(created());
      const body = uplink();
      const response = await post('/api/v1/uplink', body, { 'x-integration-id': NEW_ID, 'x-signature': sign(NEW_SECRET, body) });
      expect(response.statusCode).toBe(200);
      expect(lookups).toEqual([{ integrationId: NEW_ID }]);
    });

    it('is refused with 401 when identity does not know it either', async () => {
      const response = await post('/api/v1/webhooks/chirpstack?event=up', uplink(), { authorization: `Bearer ${NEW_TOKEN}` });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ code: 'INVALID_TOKEN' });
      expect(lookups).toEqual([{ tokenPrefix: 'whk_Fresh123' }]);
    });

    it("is not asked about past the address's failed authentications: 429 at once, while valid credentials from it still pass", async () => {
      const unknown = () => `whk_${randomBytes(4).toString('hex')}_${randomBytes(32).toString('base64url')}`;
      const statuses: number[] = [];
      for (let i = 0; i < 8; i += 1) statuses.push((await post('/api/v1/webhooks/chirpstack?event=up', uplink(), { authorization: `Bearer ${unknown()}` })).statusCode);
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
      expect(lookups).toHaveLength(5);
      const refused = await post('/api/v1/webhooks/chirpstack?event=up', uplink());
      expect(refused.statusCode).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(refused.json()).toMatchObject({ code: 'RATE_LIMITED', detail: expect.stringMatching(/failed authentications from this address/) });
      expect((await post('/api/v1/webhooks/chirpstack?event=up', uplink(), { authorization: `Bearer ${TOKEN}` })).statusCode).toBe(200);
    });
  });
});
