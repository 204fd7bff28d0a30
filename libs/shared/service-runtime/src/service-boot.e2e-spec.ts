/**
 * The seven compiled services as processes (`npm run build` first): they boot, answer
 * health and metrics, render problem+json for unknown routes, refuse bad configuration
 * with a message naming the variable, report unready dependencies, and stop on SIGTERM.
 */
import { mkdtempSync, chmodSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ALL_SERVICES,
  PlatformStack,
  TestDatabase,
  createTestDatabase,
  expectEventually,
  launchPlatform,
  launchService,
  removeNamespaceStreams,
  uniqueNamespace,
} from '@parking/testing';

describe('platform services as processes', () => {
  let database: TestDatabase;
  let stack: PlatformStack;
  let spoolDir: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    spoolDir = mkdtempSync(path.join(os.tmpdir(), 'parking-spool-'));
    // At debug: the bootstrap hooks' lines (the inventory snapshot below) are start-up details.
    stack = await launchPlatform(database, { namespace: uniqueNamespace(), env: { SPOOL_DIR: spoolDir, LOG_LEVEL: 'debug' } });
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    await database?.drop();
    rmSync(spoolDir, { recursive: true, force: true });
  });

  it.each(ALL_SERVICES)('%s is live and ready, with PostgreSQL and NATS checked', async (name) => {
    const service = stack.services[name];
    const live = await fetch(`${service.baseUrl}/health/live`);
    expect(live.status).toBe(200);
    const ready = await fetch(`${service.baseUrl}/health/ready`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { checks: Record<string, string> };
    const expected = name === 'gateway' ? ['webhook-durability'] : ['postgres', 'nats'];
    for (const check of expected) expect(body.checks[check]).toBe('up');
  });

  it.each(ALL_SERVICES)('%s serves Prometheus metrics with the HTTP latency histogram', async (name) => {
    const service = stack.services[name];
    await fetch(`${service.baseUrl}/no-such-route`);
    const metrics = await fetch(`${service.baseUrl}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await metrics.text();
    expect(text).toMatch(/http_request_duration_seconds_bucket\{[^}]*route="unmatched"/);
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('runs the bootstrap hooks once though the HTTP app and its RPC listeners share them', async () => {
    // Reservations loads occupancy's inventory from a bootstrap hook and says so once per load.
    const loaded = () => stack.services.reservations.output().match(/inventory snapshot applied/g) ?? [];
    await expectEventually(() => expect(loaded().length).toBeGreaterThan(0));
    expect(loaded()).toHaveLength(1);
  });

  it('answers an unknown route with a 404 problem+json and a request id', async () => {
    const response = await fetch(`${stack.services.gateway.baseUrl}/api/v1/nothing-here`, { headers: { 'x-request-id': 'req-42' } });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.headers.get('x-request-id')).toBe('req-42');
    const problem = (await response.json()) as Record<string, unknown>;
    expect(problem).toMatchObject({ status: 404, code: 'NOT_FOUND', type: '/problems/not-found', requestId: 'req-42' });
    expect(JSON.stringify(problem)).not.toMatch(/at .*\.js:\d+/);
  });

  it('writes JSON log lines carrying the service name and version', () => {
    const line = stack.services.identity
      .output()
      .split('\n')
      .find((l) => l.includes('listening on'));
    expect(line).toBeDefined();
    expect(JSON.parse(line as string)).toMatchObject({ service: 'identity', version: expect.any(String) });
  });
});

describe('a service that cannot reach its dependencies', () => {
  it('stays up but is not ready while PostgreSQL does not answer', async () => {
    const namespace = uniqueNamespace();
    const service = await launchService('occupancy', {
      waitReady: false,
      env: { DATABASE_URL: 'postgres://parking_occupancy:parking@127.0.0.1:1/none', NATS_NAMESPACE: namespace },
    });
    try {
      const body = await expectEventually(async () => {
        const response = await fetch(`${service.baseUrl}/health/ready`);
        expect(response.status).toBe(503);
        return (await response.json()) as { checks: Record<string, string> };
      }, { timeoutMs: 20_000, intervalMs: 100 });
      expect(body.checks.postgres).toMatch(/^down/);
      expect((await fetch(`${service.baseUrl}/health/live`)).status).toBe(200);
    } finally {
      await service.stop();
      await removeNamespaceStreams(namespace);
    }
  });

  it('the gateway is ready without NATS while its spool is writable, and not ready without either', async () => {
    const spool = mkdtempSync(path.join(os.tmpdir(), 'parking-spool-'));
    const withSpool = await launchService('gateway', { env: { NATS_URL: 'nats://127.0.0.1:1', SPOOL_DIR: spool } });
    try {
      const body = (await (await fetch(`${withSpool.baseUrl}/health/ready`)).json()) as { checks: Record<string, string> };
      expect(body.checks['webhook-durability']).toBe('up');
    } finally {
      await withSpool.stop();
    }
    chmodSync(spool, 0o500);
    const readOnly = path.join(spool, 'inside');
    const withoutSpool = await launchService('gateway', {
      waitReady: false,
      env: { NATS_URL: 'nats://127.0.0.1:1', SPOOL_DIR: process.getuid?.() === 0 ? '/proc/parking-spool' : readOnly },
    });
    try {
      await expectEventually(async () => {
        const response = await fetch(`${withoutSpool.baseUrl}/health/ready`);
        expect(response.status).toBe(503);
      }, { timeoutMs: 20_000, intervalMs: 100 });
    } finally {
      await withoutSpool.stop();
      rmSync(spool, { recursive: true, force: true });
    }
  });
});

describe('configuration at boot', () => {
  it('exits 78 and names every bad variable', async () => {
    const service = await launchService('identity', {
      waitReady: false,
      env: { HTTP_PORT: 'abc', DATABASE_URL: '', LOG_LEVEL: 'loud' },
    });
    const { code } = await service.exited;
    expect(code).toBe(78);
    const output = service.output();
    expect(output).toContain('HTTP_PORT');
    expect(output).toContain('DATABASE_URL');
    expect(output).toContain('LOG_LEVEL');
  });

  it('the gateway refuses a port out of range', async () => {
    const service = await launchService('gateway', { waitReady: false, env: { GATEWAY_PORT: '70000' } });
    const { code } = await service.exited;
    expect(code).toBe(78);
    expect(service.output()).toMatch(/GATEWAY_PORT: must be an integer between 1 and 65535/);
  });
});

describe('graceful shutdown', () => {
  it('stops on SIGTERM, turning unready first, and exits without error', async () => {
    const database = await createTestDatabase();
    const namespace = uniqueNamespace();
    try {
      const service = await launchService('ingest', { env: { DATABASE_URL: database.urlFor('ingest'), NATS_NAMESPACE: namespace } });
      const { code, signal } = await service.stop('SIGTERM');
      expect(code === 0 || signal === 'SIGTERM').toBe(true);
      expect(service.output()).not.toMatch(/"level":"(error|fatal)"/);
    } finally {
      await database.drop();
      await removeNamespaceStreams(namespace);
    }
  });
});
