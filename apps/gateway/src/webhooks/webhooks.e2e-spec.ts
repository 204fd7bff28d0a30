/**
 * The ChirpStack webhook routes of the compiled gateway, with identity behind it (real
 * PostgreSQL and NATS): what is answered, and what ends up on the namespace's WEBHOOKS stream.
 */
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';
import fc from 'fast-check';
import { generateSecretsKey } from '@parking/secret-box';
import { expectEventually, removeNamespaceStreams, uniqueNamespace } from '@parking/testing';
import { startApiStack, type ApiStack } from '../../test/api-stack';
import { protobufUplink } from './test-support/protobuf-uplink';
import { storedWebhooks } from './test-support/webhook-stream';

const NATS_URL = process.env.NATS_URL || 'nats://127.0.0.1:4222';
const PLATFORM_SECRET = `platform-${randomBytes(16).toString('hex')}`;
const hmac = (secret: string, body: string | Buffer) => createHmac('sha256', secret).update(body).digest('hex');
const sha256 = (body: Buffer) => createHash('sha256').update(body).digest('hex');

const uplink = (overrides: Record<string, unknown> = {}) =>
  JSON.stringify({
    deduplicationId: randomUUID(),
    time: '2026-11-23T10:00:00.000Z',
    deviceInfo: { tenantId: randomUUID(), applicationId: randomUUID(), deviceName: 'bay-17', devEui: '0102030405060708', tags: {} },
    devAddr: '01020304',
    fCnt: 42,
    fPort: 1,
    data: 'AQ==',
    rxInfo: [{ gatewayId: '0016c001ff10a235', rssi: -71, snr: 7.5 }],
    ...overrides,
  });

describe('ChirpStack webhooks through the gateway', () => {
  const namespace = uniqueNamespace();
  let identity: ApiStack;
  let nats: NatsConnection;
  let tenantId: string;
  let ownerToken: string;
  let integration: { id: string; token: string; hmacSecret: string };

  const send = (path: string, body: string | Buffer, headers: Record<string, string>) =>
    fetch(`${identity.baseUrl}${path}`, { method: 'POST', headers, body });
  const bearer = () => ({ authorization: `Bearer ${integration.token}`, 'content-type': 'application/json' });
  const count = async () => (await storedWebhooks(nats, namespace)).length;

  beforeAll(async () => {
    identity = await startApiStack({
      prefix: 'gateway-webhooks',
      env: { NATS_NAMESPACE: namespace, WEBHOOK_PLATFORM_SECRET: PLATFORM_SECRET, SECRETS_KEY: generateSecretsKey(), WEBHOOK_DELIVERY_REPORT_INTERVAL_MS: '300' },
    });
    nats = await connect({ servers: NATS_URL.split(','), name: 'webhooks-e2e' });
    const owner = await identity.register('webhooks');
    tenantId = owner.tenantId;
    ownerToken = owner.accessToken;
    const created = await identity.call('POST', '/api/v1/webhook-integrations', { accessToken: owner.accessToken, body: { name: 'chirpstack eu1' } });
    expect(created.status).toBe(201);
    integration = { id: created.body.integration.id, token: created.body.token, hmacSecret: created.body.hmacSecret };
    // The gateway learns the integration from identity's event.
    await expectEventually(async () => expect((await send('/api/v1/webhooks/chirpstack?event=up', uplink(), bearer())).status).toBe(200), { timeoutMs: 20_000, intervalMs: 200 });
  }, 180_000);

  afterAll(async () => {
    await nats?.close();
    await identity?.stop();
    await removeNamespaceStreams(namespace);
  });

  it('makes a v4 JSON uplink durable on the WEBHOOKS stream, byte for byte, with its headers', async () => {
    const before = await count();
    const deduplicationId = randomUUID();
    const body = `${uplink({ deduplicationId, someFutureField: { nested: true } })}\n`;
    const response = await send('/api/v1/webhooks/chirpstack?event=up', body, bearer());
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'accepted', durability: 'stream' });

    const stored = await storedWebhooks(nats, namespace);
    expect(stored).toHaveLength(before + 1);
    const message = stored.at(-1)!;
    expect(message.subject).toBe(`${namespace}.webhook.chirpstack.up.${tenantId}`);
    expect(message.body.toString()).toBe(body);
    expect(message.headers).toMatchObject({
      'Nats-Msg-Id': `${tenantId}:${integration.id}:up:${deduplicationId}`,
      'Parking-Event': 'up',
      'Parking-Tenant-Id': tenantId,
      'Parking-Integration-Id': integration.id,
      'Parking-Auth': 'bearer',
      'Content-Type': 'application/json',
    });
    expect(Date.parse(message.headers['Parking-Received-At'])).toBeGreaterThan(Date.now() - 60_000);
  });

  it('stores one message when the same uplink arrives ten times at once', async () => {
    const before = await count();
    const body = uplink();
    const responses = await Promise.all(Array.from({ length: 10 }, () => send('/api/v1/webhooks/chirpstack?event=up', body, bearer())));
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(await count()).toBe(before + 1);
  });

  it("stores the same ChirpStack event once per tenant: another tenant's integration reusing a deduplicationId dedupes nothing", async () => {
    const other = await identity.register('webhooks-other');
    const created = await identity.call('POST', '/api/v1/webhook-integrations', { accessToken: other.accessToken, body: { name: 'another chirpstack' } });
    expect(created.status).toBe(201);
    const otherBearer = { authorization: `Bearer ${created.body.token}`, 'content-type': 'application/json' };
    const deduplicationId = randomUUID();
    const body = uplink({ deduplicationId });
    const first = await send('/api/v1/webhooks/chirpstack?event=up', body, bearer());
    expect(await first.json()).toEqual({ status: 'accepted', durability: 'stream' });
    // The other tenant's integration is new: this gateway may learn it from identity's event or by asking identity.
    const second = await expectEventually(
      async () => {
        const response = await send('/api/v1/webhooks/chirpstack?event=up', body, otherBearer);
        expect(response.status).toBe(200);
        return response;
      },
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    expect(await second.json()).toEqual({ status: 'accepted', durability: 'stream' });
    const stored = (await storedWebhooks(nats, namespace)).filter((message) => message.headers['Nats-Msg-Id'].endsWith(`:up:${deduplicationId}`));
    expect(stored.map((message) => [message.headers['Parking-Tenant-Id'], message.headers['Nats-Msg-Id']])).toEqual([
      [tenantId, `${tenantId}:${integration.id}:up:${deduplicationId}`],
      [other.tenantId, `${other.tenantId}:${created.body.integration.id}:up:${deduplicationId}`],
    ]);
  });

  it('accepts a v4 Protobuf uplink', async () => {
    const deduplicationId = randomUUID();
    const body = Buffer.from(protobufUplink({ deduplicationId }));
    const response = await send('/api/v1/webhooks/chirpstack?event=up', body, { ...bearer(), 'content-type': 'application/octet-stream' });
    expect(response.status).toBe(200);
    const message = (await storedWebhooks(nats, namespace)).at(-1)!;
    expect(message.headers['Nats-Msg-Id']).toBe(`${tenantId}:${integration.id}:up:${deduplicationId}`);
    expect(message.body.equals(body)).toBe(true);
  });

  it('accepts the V5 route signed with the integration secret or the platform secret', async () => {
    const body = uplink();
    const signed = await send('/api/v1/uplink', body, { 'content-type': 'application/json', 'x-integration-id': integration.id, 'x-signature': `sha256=${hmac(integration.hmacSecret, body)}` });
    expect(signed.status).toBe(200);
    let message = (await storedWebhooks(nats, namespace)).at(-1)!;
    expect(message.headers).toMatchObject({ 'Parking-Auth': 'signature', 'Parking-Tenant-Id': tenantId, 'Parking-Integration-Id': integration.id });

    const platformBody = uplink();
    const platform = await send('/api/v1/uplink', platformBody, { 'content-type': 'application/json', 'x-signature': hmac(PLATFORM_SECRET, platformBody) });
    expect(platform.status).toBe(200);
    message = (await storedWebhooks(nats, namespace)).at(-1)!;
    expect(message.subject).toBe(`${namespace}.webhook.chirpstack.up._platform`);
    expect(message.headers['Parking-Auth']).toBe('platform-signature');
    expect(message.headers['Parking-Tenant-Id']).toBeUndefined();
  });

  it('refuses a wrong token, a wrong signature and missing credentials with 401, storing nothing', async () => {
    const before = await count();
    const body = uplink();
    const attempts = [
      send('/api/v1/webhooks/chirpstack?event=up', body, { authorization: `Bearer whk_Wrong123_${randomBytes(32).toString('base64url')}`, 'content-type': 'application/json' }),
      send('/api/v1/webhooks/chirpstack?event=up', body, { 'content-type': 'application/json' }),
      send('/api/v1/uplink', body, { 'content-type': 'application/json', 'x-integration-id': integration.id, 'x-signature': hmac('not the secret', body) }),
      send('/api/v1/uplink', body, { 'content-type': 'application/json' }),
      send('/webhooks/chirpstack/uplink', body, { 'content-type': 'application/json' }),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBeTruthy();
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
    expect(await count()).toBe(before);
  });

  it('refuses 64 KiB + 1 with 413, another content type with 415, and names a missing devEui', async () => {
    const before = await count();
    const base = uplink({ pad: '' });
    const tooLarge = base.replace('"pad":""', `"pad":"${'x'.repeat(64 * 1024 + 1 - base.length)}"`);
    expect(Buffer.byteLength(tooLarge)).toBe(64 * 1024 + 1);
    const large = await send('/api/v1/webhooks/chirpstack?event=up', tooLarge, bearer());
    expect(large.status).toBe(413);
    expect(await large.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });

    const text = await send('/api/v1/webhooks/chirpstack?event=up', uplink(), { ...bearer(), 'content-type': 'text/plain' });
    expect(text.status).toBe(415);

    const missing = await send('/api/v1/webhooks/chirpstack?event=up', uplink({ deviceInfo: { deviceName: 'bay-17' } }), bearer());
    expect(missing.status).toBe(400);
    const problem = (await missing.json()) as { errors: Array<{ field: string }>; detail: string };
    expect(problem.errors.map((e) => e.field)).toContain('deviceInfo.devEui');
    expect(await count()).toBe(before);
  });

  it("reports deliveries and refusals to identity, shown on the integration", async () => {
    const body = uplink();
    expect((await send('/api/v1/uplink', body, { 'content-type': 'application/json', 'x-integration-id': integration.id, 'x-signature': hmac('wrong', body) })).status).toBe(401);
    await expectEventually(
      async () => {
        const view = await identity.call('GET', `/api/v1/webhook-integrations/${integration.id}`, { accessToken: ownerToken });
        expect(view.body).toMatchObject({ lastReceivedAt: expect.any(String), rejectedCount: expect.any(Number) });
        expect(view.body.lastRejections.map((r: { reason: string }) => r.reason)).toContain('bad-signature');
      },
      { timeoutMs: 15_000, intervalMs: 200 },
    );
  });

  it('documents the webhook routes in the OpenAPI document', async () => {
    const document = (await (await fetch(`${identity.baseUrl}/docs/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/api/v1/webhooks/chirpstack', '/api/v1/uplink', '/webhooks/chirpstack/uplink', '/webhooks/chirpstack/join', '/api/v1/webhooks/health']));
    const health = await fetch(`${identity.baseUrl}/api/v1/webhooks/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ accepting: true, nats: { connected: true }, spool: { events: 0 } });
  });

  it('answers every generated body with 2xx or a 4xx problem, and stores nothing it refused', async () => {
    const refused = new Set<string>();
    let answered = 0;
    let accepted = 0;
    const nonce = () => randomBytes(6).toString('hex');
    const hex = (maxLength: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), maxLength });
    const junk = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.constant(null), fc.boolean(), fc.array(fc.integer(), { maxLength: 3 }), fc.constant(1e308), fc.constant(-(2 ** 64)), fc.bigInt().map(String));
    const jsonBody = fc
      .record({
        drop: fc.subarray(['deduplicationId', 'deviceInfo', 'fCnt', 'data', 'time', 'rxInfo', 'devAddr']),
        replace: fc.dictionary(fc.constantFrom('deduplicationId', 'deviceInfo', 'fCnt', 'fPort', 'data', 'time', 'object', 'rxInfo', 'txInfo', '__proto__', 'constructor'), junk, { maxKeys: 3 }),
        devEui: fc.oneof(fc.constant('0102030405060708'), hex(20), fc.string(), junk),
        data: fc.oneof(fc.constant('AQ=='), fc.string(), fc.constant('!!not base64!!'), fc.base64String()),
        protoKey: fc.boolean(),
      })
      .map(({ drop, replace, devEui, data, protoKey }) => {
        const event: Record<string, unknown> = JSON.parse(uplink({ data, nonce: nonce() }));
        (event.deviceInfo as Record<string, unknown>).devEui = devEui;
        for (const key of drop) delete event[key];
        let text = JSON.stringify({ ...event, ...replace });
        if (protoKey) text = text.replace(/^\{/, '{"__proto__":{"polluted":true},');
        return Buffer.from(text);
      });
    const protobufBody = fc
      .record({ cut: fc.nat(), devEui: hex(16) })
      .map(({ cut, devEui }) => {
        const full = Buffer.from(protobufUplink({ deduplicationId: randomUUID(), devEui }));
        return full.subarray(0, cut % (full.length + 1));
      });
    // Valid uplinks with unknown fields of any shape, which must be ignored.
    const validRequest = fc.record({
      body: fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }).filter((k) => !(k in JSON.parse(uplink()))), junk, { maxKeys: 3 }).map((extra) => Buffer.from(uplink({ ...extra, nonce: nonce() }))),
      contentType: fc.constant('application/json'),
      event: fc.constant('up'),
    });
    const anyRequest = fc.record({
      body: fc.oneof(jsonBody, protobufBody, fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.concat([Buffer.from(nonce()), Buffer.from(b)]))),
      contentType: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/octet-stream', 'text/plain', 'multipart/form-data', 'application/x-www-form-urlencoded', ''),
      event: fc.constantFrom('up', 'join', 'status', 'log', 'bogus', ''),
    });
    const request = fc.oneof({ arbitrary: anyRequest, weight: 4 }, { arbitrary: validRequest, weight: 1 });

    await fc.assert(
      fc.asyncProperty(request, async ({ body, contentType, event }) => {
        const headers: Record<string, string> = { authorization: `Bearer ${integration.token}` };
        if (contentType) headers['content-type'] = contentType;
        const response = await send(`/api/v1/webhooks/chirpstack${event ? `?event=${event}` : ''}`, body, headers);
        const text = await response.text();
        answered += 1;
        if (response.status >= 200 && response.status < 300) {
          accepted += 1;
          return;
        }
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
        expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(JSON.parse(text)).toMatchObject({ status: response.status, code: expect.any(String), detail: expect.any(String) });
        refused.add(sha256(body));
      }),
      { numRuns: 2_000 },
    );
    expect(answered).toBe(2_000);
    // Both sides are exercised: bodies refused for many reasons, and some valid ones accepted.
    expect(refused.size).toBeGreaterThan(100);
    expect(accepted).toBeGreaterThan(20);
    const stored = await storedWebhooks(nats, namespace);
    expect(stored.filter((message) => refused.has(sha256(message.body)))).toEqual([]);
  }, 300_000);
});
