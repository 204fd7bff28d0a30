/**
 * Webhooks while NATS is away: a private nats-server (never the shared one) that the test
 * stops and starts, identity and the compiled gateway on it. Answered 200 means durable: the
 * spool holds the events and replays them exactly once, also after the gateway was SIGKILLed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';
import { generateSecretsKey } from '@parking/secret-box';
import { expectEventually, freeTcpPort, launchService, uniqueNamespace, type RunningService } from '@parking/testing';
import { startApiStack, type ApiStack } from '../../test/api-stack';
import { storedWebhooks } from './test-support/webhook-stream';

class PrivateNats {
  private process?: ChildProcess;
  constructor(
    readonly port: number,
    private readonly storeDir: string,
  ) {}

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn('nats-server', ['-js', '-a', '127.0.0.1', '-p', String(this.port), '-sd', this.storeDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.process = child;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Server is ready')) resolve();
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code) => reject(new Error(`nats-server exited (${code}):\n${output}`)));
    });
  }

  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

const uplink = (deduplicationId: string, pad = '') =>
  JSON.stringify({ deduplicationId, time: '2026-11-23T10:00:00.000Z', deviceInfo: { devEui: '0102030405060708', deviceName: 'bay-3' }, fCnt: 9, fPort: 1, data: 'AQ==', pad });
/** SPOOL_MAX_BYTES of the test's gateway: the least it may be; a tenant's share is the default 25 % of it. */
const SPOOL_MAX_BYTES = 1024 * 1024;

describe('webhooks while NATS is unreachable', () => {
  const namespace = uniqueNamespace();
  const secretsKey = generateSecretsKey();
  let scratch: string;
  let nats: PrivateNats;
  let identity: ApiStack;
  let reader: NatsConnection;
  let token: string;
  let gatewayEnv: NodeJS.ProcessEnv;
  const restarted: RunningService[] = [];

  const post = (baseUrl: string, body: string, bearer = token) =>
    fetch(`${baseUrl}/api/v1/webhooks/chirpstack?event=up`, { method: 'POST', headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' }, body });
  const health = async (baseUrl: string) => (await (await fetch(`${baseUrl}/api/v1/webhooks/health`)).json()) as { nats: { connected: boolean }; spool: { events: number } };
  const msgIdsStored = async () => (await storedWebhooks(reader, namespace)).map((m) => m.headers['Nats-Msg-Id']);

  beforeAll(async () => {
    scratch = mkdtempSync(path.join(os.tmpdir(), 'gateway-webhook-outage-'));
    nats = new PrivateNats(await freeTcpPort(), path.join(scratch, 'nats'));
    await nats.start();
    gatewayEnv = {
      NATS_URL: nats.url,
      NATS_NAMESPACE: namespace,
      SPOOL_DIR: path.join(scratch, 'spool'),
      SECRETS_KEY: secretsKey,
      WEBHOOK_PUBLISH_TIMEOUT_MS: '500',
      SPOOL_MAX_BYTES: String(SPOOL_MAX_BYTES),
    };
    identity = await startApiStack({ prefix: 'gateway-webhook-outage', env: gatewayEnv });
    reader = await connect({ servers: nats.url, name: 'webhook-outage-reader', maxReconnectAttempts: -1, reconnectTimeWait: 100 });
    const owner = await identity.register('outage');
    const created = await identity.call('POST', '/api/v1/webhook-integrations', { accessToken: owner.accessToken, body: { name: 'chirpstack' } });
    token = created.body.token;
    await expectEventually(async () => expect((await post(identity.baseUrl, uplink(randomUUID()))).status).toBe(200), { timeoutMs: 20_000, intervalMs: 200 });
  }, 180_000);

  afterAll(async () => {
    for (const gateway of restarted) await gateway.stop();
    await identity?.stop();
    await reader?.close();
    await nats?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('answers 200 from the spool while NATS is down and replays every event exactly once when it is back', async () => {
    const gateway = identity.baseUrl;
    await nats.stop();
    await expectEventually(async () => expect((await health(gateway)).nats.connected).toBe(false), { timeoutMs: 10_000 });

    const ids = Array.from({ length: 20 }, () => randomUUID());
    const responses = await Promise.all(ids.map((id) => post(gateway, uplink(id))));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(await Promise.all(responses.map((r) => r.json()))).toEqual(Array(20).fill({ status: 'accepted', durability: 'spool' }));
    expect((await health(gateway)).spool.events).toBe(20);

    await nats.start();
    await expectEventually(
      async () => {
        const stored = await msgIdsStored();
        for (const id of ids) expect(stored.filter((msgId) => msgId.endsWith(`:up:${id}`))).toHaveLength(1);
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    await expectEventually(async () => expect((await health(gateway)).spool.events).toBe(0), { timeoutMs: 10_000 });
    const replayed = (await storedWebhooks(reader, namespace)).filter((m) => ids.some((id) => m.headers['Nats-Msg-Id'].endsWith(`:up:${id}`)));
    expect(replayed.every((m) => m.headers['Parking-Spooled'] === 'true')).toBe(true);
  }, 120_000);

  it("keeps a share of the spool for every tenant: one tenant's flood is answered 503, another tenant's webhooks are still spooled", async () => {
    const gateway = identity.baseUrl;
    // NATS came back at the end of the test before: the gateway's and identity's RPC connections may still be settling.
    const other = await expectEventually(() => identity.register('outage-other'), { timeoutMs: 20_000, intervalMs: 250 });
    const created = await identity.call('POST', '/api/v1/webhook-integrations', { accessToken: other.accessToken, body: { name: 'another chirpstack' } });
    const otherToken: string = created.body.token;
    await expectEventually(async () => expect((await post(gateway, uplink(randomUUID()), otherToken)).status).toBe(200), { timeoutMs: 20_000, intervalMs: 200 });
    await nats.stop();
    await expectEventually(async () => expect((await health(gateway)).nats.connected).toBe(false), { timeoutMs: 10_000 });

    // 48 KiB each: the whole spool holds about 21 of them, one tenant's share (25 %) about 5.
    const flood: number[] = [];
    for (let i = 0; i < 30; i += 1) flood.push((await post(gateway, uplink(randomUUID(), 'x'.repeat(48 * 1024)))).status);
    expect(flood.slice(0, 4)).toEqual([200, 200, 200, 200]);
    expect(flood.slice(-10)).toEqual(Array(10).fill(503));
    const refused = await post(gateway, uplink(randomUUID(), 'x'.repeat(48 * 1024)));
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('30');
    expect(await refused.json()).toMatchObject({ code: 'UNAVAILABLE', detail: expect.stringMatching(/share of the spool is full/) });

    const taken = await post(gateway, uplink(randomUUID(), 'x'.repeat(48 * 1024)), otherToken);
    expect(taken.status).toBe(200);
    expect(await taken.json()).toEqual({ status: 'accepted', durability: 'spool' });

    await nats.start();
    await expectEventually(async () => expect((await health(gateway)).spool.events).toBe(0), { timeoutMs: 30_000, intervalMs: 200 });
  }, 120_000);

  it('keeps an event answered 200 when the gateway is SIGKILLed right after, and publishes it from the next start', async () => {
    await nats.stop();
    await expectEventually(async () => expect((await health(identity.baseUrl)).nats.connected).toBe(false), { timeoutMs: 10_000 });
    const id = randomUUID();
    const response = await post(identity.baseUrl, uplink(id));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'accepted', durability: 'spool' });
    await identity.stack.services.gateway.stop('SIGKILL');

    await nats.start();
    // Identity is back on NATS too, and the new gateway also knows the integration from <SPOOL_DIR>/integrations.json.
    const next = await launchService('gateway', { env: gatewayEnv });
    restarted.push(next);
    await expectEventually(async () => expect((await msgIdsStored()).filter((msgId) => msgId.endsWith(`:up:${id}`))).toHaveLength(1), { timeoutMs: 30_000, intervalMs: 200 });
    await expectEventually(async () => expect((await post(next.baseUrl, uplink(randomUUID()))).status).toBe(200), { timeoutMs: 20_000, intervalMs: 200 });
  }, 120_000);
});
