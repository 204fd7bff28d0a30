/**
 * A trace id given at an HTTP entry point reaches the log line of the consumer that
 * handles the resulting event: HTTP → outbox row → relay → NATS headers → consumer.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { TEST_RPC_KEYS, TestDatabase, createTestDatabase, expectEventually, freeTcpPort, removeNamespaceStreams, uniqueNamespace } from '@parking/testing';

describe('trace propagation from HTTP through NATS into a consumer', () => {
  let database: TestDatabase;
  let probe: ChildProcess;
  let output = '';
  let baseUrl: string;
  const namespace = uniqueNamespace();

  beforeAll(async () => {
    database = await createTestDatabase();
    const port = await freeTcpPort();
    baseUrl = `http://127.0.0.1:${port}`;
    const entry = path.join(process.cwd(), 'dist/libs/shared/service-runtime/test/trace-probe/main.js');
    probe = spawn(process.execPath, [entry], {
      env: { ...process.env, HTTP_PORT: String(port), DATABASE_URL: database.urlFor('identity'), NATS_NAMESPACE: namespace, RPC_TRUSTED_KEYS: TEST_RPC_KEYS.trustedKeys },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    probe.stdout?.on('data', (c) => (output += c));
    probe.stderr?.on('data', (c) => (output += c));
    await expectEventually(async () => expect((await fetch(`${baseUrl}/health/ready`)).status).toBe(200), { timeoutMs: 30_000, intervalMs: 100 });
  });

  afterAll(async () => {
    if (probe && probe.exitCode === null) {
      probe.kill('SIGTERM');
      await new Promise((r) => probe.once('exit', r));
    }
    await removeNamespaceStreams(namespace);
    await database?.drop();
  });

  it('logs the consumer line under the trace id of the HTTP request', async () => {
    const traceId = randomBytes(16).toString('hex');
    const response = await fetch(`${baseUrl}/probe`, {
      method: 'POST',
      headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
    });
    expect(response.status).toBe(201);
    const { eventId } = (await response.json()) as { eventId: string };

    const line = await expectEventually(() => {
      const found = output
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((entry) => entry.msg === 'consumer handled the event' && entry.eventId === eventId);
      expect(found).toBeDefined();
      return found as Record<string, unknown>;
    }, { timeoutMs: 10_000 });
    expect(line.trace_id).toBe(traceId);
    expect(line.span_id).toMatch(/^[0-9a-f]{16}$/);
  });
});
