import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serviceSchema } from '@parking/database';
import { DEVICE_IMPORT_MAX_ROWS, DEVICES_RPC, ROLE_PERMISSIONS, type Principal } from '@parking/contracts';
import { createRpcClient, type RpcClient } from '@parking/messaging-nest';
import { launchPlatform, TEST_RPC_KEYS, type PlatformService, type PlatformStack, type RunningService } from '@parking/testing';
import type { Endpoint } from './open-loop';
import type { BenchDatabase } from './resources';
import type { BenchDevice, BenchUplink } from './traffic';

export const WEBHOOK_PATH = '/api/v1/webhooks/chirpstack?event=up';
export const WEBHOOK_RATE_LIMIT_PER_MINUTE = 100_000_000;
const NATS_URL = process.env.NATS_URL || 'nats://127.0.0.1:4222';

export interface RunningPlatform {
  endpoint: Endpoint;
  /** The running services: to kill or restart one. */
  stack: PlatformStack;
  /** The services started (gateway, ingest, identity, …) by pid: whose CPU is the platform's. */
  processes: Record<string, number>;
  /** The gateway's origin. */
  baseUrl: string;
  tenantId: string;
  /** The tenant's owner, signed in (for the REST API). */
  owner: { userId: string; accessToken: string };
  /** How the devices were registered, or why they were not. */
  devices: string;
  devicesRegistered: boolean;
  /** When (performance.now()) the import that went through was sent, and when the last was answered. */
  registration: { sentAt: number; answeredAt: number };
  stop(): Promise<void>;
}

/** Why the platform could not be measured, in words for the report. */
export class PlatformUnavailable extends Error {}

export interface Json {
  status: number;
  body: Record<string, unknown>;
}

/** One JSON request to the gateway, as a client sends it. */
export async function call(baseUrl: string, method: string, url: string, body?: unknown, token?: string): Promise<Json> {
  const response = await fetch(`${baseUrl}${url}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    parsed = { text };
  }
  return { status: response.status, body: parsed };
}

export function expectStatus(what: string, result: Json, ...statuses: number[]): Record<string, unknown> {
  if (!statuses.includes(result.status)) throw new PlatformUnavailable(`${what} answered ${result.status}: ${JSON.stringify(result.body).slice(0, 300)}`);
  return result.body;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The real thing: compiled gateway, identity and ingest (and whatever else `services` names)
 * against the throw-away database and a namespace of their own; a tenant on the enterprise
 * plan (no device limit), a ChirpStack integration, and the devices in ingest's registry.
 */
export async function startPlatform(options: {
  repoRoot: string;
  database: BenchDatabase;
  namespace: string;
  devices: readonly BenchDevice[];
  logLevel: string;
  probe: () => BenchUplink;
  /** Default gateway, identity and ingest. */
  services?: readonly PlatformService[];
  /** Names the bench in the tenant, the scratch folder and the NATS clients. */
  label?: string;
  /** More environment for every service (e.g. NODE_OPTIONS for a CPU profile). */
  env?: NodeJS.ProcessEnv;
  /** Per service, over `env`: e.g. its own user on a private NATS server (`PrivateNatsServer.envFor`). */
  envOf?: (service: PlatformService) => NodeJS.ProcessEnv;
  /** All services in one process (PROCESS_MODE=single); `processes` then holds that one, as `all services`. */
  singleProcess?: boolean;
  /** Say when a service ends before the bench stops it (default true; a run that kills services itself says false). */
  reportExits?: boolean;
}): Promise<RunningPlatform> {
  const services = options.services ?? ['identity', 'ingest', 'gateway'];
  const label = options.label ?? 'ingest';
  // The gateway keeps no schema of its own.
  await options.database.migratePlatform(
    options.repoRoot,
    services.filter((s) => s !== 'gateway').map((s) => serviceSchema(s).schema),
  );
  const scratch = mkdtempSync(path.join(os.tmpdir(), `bench-${label}-`));
  const admin = { email: 'bench-admin@example.test', password: `bench ${randomBytes(12).toString('hex')}` };
  let stack: PlatformStack | undefined;
  let stopping = false;
  const stop = async () => {
    stopping = true;
    await stack?.stop();
    rmSync(scratch, { recursive: true, force: true });
  };
  try {
    // launchService finds dist/ under the working directory.
    process.chdir(options.repoRoot);
    stack = await launchPlatform(
      { name: options.database.name, adminUrl: options.database.adminUrl, urlFor: options.database.urlFor, drop: options.database.drop },
      {
        namespace: options.namespace,
        services,
        singleProcess: options.singleProcess,
        envOf: options.envOf,
        env: {
          NATS_URL,
          LOG_LEVEL: options.logLevel,
          SECRETS_KEY: randomBytes(32).toString('base64'),
          INTEGRATION_SECRETS_KEY: randomBytes(32).toString('base64'),
          SPOOL_DIR: path.join(scratch, 'spool'),
          MAIL_DIR: path.join(scratch, 'mail'),
          BOOTSTRAP_ADMIN_EMAIL: admin.email,
          BOOTSTRAP_ADMIN_PASSWORD: admin.password,
          // The bench signs its owner up directly (self-hosting mode), without a mailed link.
          EMAIL_VERIFICATION_REQUIRED: 'false',
          // The webhook quota of a tenant whose plan the gateway has not learnt yet (50,000/min by
          // default) would cap the search; the quota is still checked on every request.
          WEBHOOK_RATE_LIMIT_PER_MINUTE: String(WEBHOOK_RATE_LIMIT_PER_MINUTE),
          ...options.env,
        },
      },
    );
    for (const [name, service] of Object.entries(stack.services)) keepOnlyRecentOutput(name, service, () => stopping || options.reportExits === false);
    const baseUrl = stack.services.gateway.baseUrl;

    const owner = expectStatus(
      'register',
      await call(baseUrl, 'POST', '/api/v1/auth/register', {
        email: 'bench-owner@example.test',
        password: `bench ${randomBytes(12).toString('hex')}`,
        name: 'Bench Owner',
        tenantName: `Bench Car Parks (${label})`,
        tenantSlug: `${label}-bench-${randomBytes(3).toString('hex')}`,
      }),
      201,
    ) as { accessToken: string; tenantId: string; userId: string };
    const adminSession = expectStatus('admin login', await call(baseUrl, 'POST', '/api/v1/auth/login', admin), 200) as { accessToken: string };
    expectStatus(
      'set plan',
      await call(baseUrl, 'PUT', `/api/v1/admin/tenants/${owner.tenantId}/plan`, { plan: 'enterprise', reason: `Benchmark (${label}): ${options.devices.length} devices` }, adminSession.accessToken),
      200,
    );
    // No webhook quota for the bench tenant (its plan allows 100,000/min), so the quota does not cap the search.
    expectStatus(
      'lift webhook quota',
      await call(
        baseUrl,
        'PUT',
        `/api/v1/admin/tenants/${owner.tenantId}/limits`,
        { limits: { webhooksPerMinute: null }, reason: `Benchmark (${label}): no webhook quota` },
        adminSession.accessToken,
      ),
      200,
    );
    const integration = expectStatus(
      'create webhook integration',
      await call(baseUrl, 'POST', '/api/v1/webhook-integrations', { name: 'ChirpStack (bench)' }, owner.accessToken),
      201,
    ) as { token: string };

    const endpoint: Endpoint = {
      origin: baseUrl,
      path: WEBHOOK_PATH,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${integration.token}` },
    };
    await awaitWebhookRoute(endpoint, options.probe);
    const devices = await registerDevices(baseUrl, owner.accessToken, options.namespace, owner, options.devices, label);
    const running = stack.services;
    return {
      endpoint,
      stack,
      // One process holds every service in single mode: its CPU is counted once.
      processes: options.singleProcess
        ? { 'all services': running[services[0]].process.pid as number }
        : Object.fromEntries(services.map((name) => [name, running[name].process.pid as number])),
      baseUrl,
      tenantId: owner.tenantId,
      owner: { userId: owner.userId, accessToken: owner.accessToken },
      devices: devices.note,
      devicesRegistered: devices.ok,
      registration: devices.timing,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * The services log every request at info; the bench keeps only the tail, and prints it when a
 * service ends before the bench stops it (a crash under load must not pass unexplained).
 */
export function keepOnlyRecentOutput(name: string, service: RunningService, stopping: () => boolean): void {
  let tail = '';
  for (const stream of [service.process.stdout, service.process.stderr]) {
    stream?.removeAllListeners('data');
    stream?.on('data', (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-16_000);
    });
  }
  service.process.once('exit', (code, signal) => {
    if (!stopping()) console.error(`  ${name} ended during the bench (${signal ?? `exit code ${code}`}); its last output:\n${tail}`);
  });
}

/** The tenant owner as the gateway would pass them to a service over RPC. */
export function ownerPrincipal(owner: { tenantId: string; userId: string }): Principal {
  return {
    kind: 'user',
    tenantId: owner.tenantId,
    actor: `user:${owner.userId}`,
    userId: owner.userId,
    role: 'owner',
    permissions: [...ROLE_PERMISSIONS.owner],
    isPlatformAdmin: false,
  };
}

/**
 * Through the gateway's `POST /api/v1/devices/import` (ingest's device registry behind it),
 * in chunks of the most rows one import takes; straight to ingest's
 * `rpc.ingest.v1.devices.import` when the gateway has no such route. The tenant's new plan
 * reaches ingest by event, so LIMIT_EXCEEDED is retried for a while.
 */
export async function registerDevices(
  baseUrl: string,
  accessToken: string,
  namespace: string,
  owner: { tenantId: string; userId: string },
  devices: readonly BenchDevice[],
  label: string,
): Promise<{ ok: boolean; note: string; timing: { sentAt: number; answeredAt: number } }> {
  const timing = { sentAt: 0, answeredAt: 0 };
  const rows = devices.map((d) => ({ devEui: d.devEui, kind: 'sensor', codec: 'nwave-nps405', name: d.name }));
  const chunks = Array.from({ length: Math.ceil(rows.length / DEVICE_IMPORT_MAX_ROWS) }, (_, i) =>
    rows.slice(i * DEVICE_IMPORT_MAX_ROWS, (i + 1) * DEVICE_IMPORT_MAX_ROWS),
  );
  let imported = 0;
  let via = 'POST /api/v1/devices/import';
  let rpc: RpcClient | undefined;
  const importChunk = async (chunk: typeof rows): Promise<Json> => {
    if (!rpc) {
      const result = await call(baseUrl, 'POST', '/api/v1/devices/import', chunk, accessToken);
      if (result.status !== 404) return result;
      via = "ingest's rpc.ingest.v1.devices.import (the gateway has no import route)";
      rpc = createRpcClient({ natsUrl: NATS_URL, name: `bench-${label}`, namespace, timeoutMs: 60_000, proof: TEST_RPC_KEYS.gatewayProof });
    }
    try {
      const response = await rpc.call(DEVICES_RPC.import, { format: 'json', devices: chunk }, { principal: ownerPrincipal(owner) });
      return { status: 201, body: response as unknown as Record<string, unknown> };
    } catch (error) {
      const code = (error as { code?: string }).code;
      return { status: code === 'LIMIT_EXCEEDED' ? 403 : 500, body: { code, detail: (error as Error).message } };
    }
  };
  try {
    for (const chunk of chunks) {
      const until = Date.now() + 30_000;
      for (;;) {
        const sentAt = performance.now();
        const result = await importChunk(chunk);
        if (result.status === 201) {
          imported += Number(result.body.imported ?? chunk.length);
          timing.sentAt ||= sentAt;
          timing.answeredAt = performance.now();
          break;
        }
        if (result.body.code === 'LIMIT_EXCEEDED' && Date.now() < until) {
          await pause(250);
          continue;
        }
        return {
          ok: false,
          timing,
          note: `not registered (${imported} of ${devices.length} imported, then ${via} answered ${result.status} ${JSON.stringify(result.body).slice(0, 200)}): every uplink is an orphan`,
        };
      }
    }
    return { ok: true, timing, note: `${imported} NPS405 sensors registered through ${via}` };
  } finally {
    await rpc?.close();
  }
}

/** Waits until the gateway knows the new integration's token (it learns it by event). */
async function awaitWebhookRoute(endpoint: Endpoint, probe: () => BenchUplink): Promise<void> {
  const until = Date.now() + 20_000;
  let last = 0;
  while (Date.now() < until) {
    const uplink = probe();
    const response = await fetch(`${endpoint.origin}${endpoint.path}`, { method: 'POST', headers: endpoint.headers, body: uplink.body });
    last = response.status;
    await response.arrayBuffer();
    if (last === 404) throw new PlatformUnavailable('route not available (POST /api/v1/webhooks/chirpstack answered 404)');
    if (last >= 200 && last < 300) return;
    await pause(250);
  }
  throw new PlatformUnavailable(`the webhook route kept answering ${last} to a valid uplink with the integration's token`);
}
