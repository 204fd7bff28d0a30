import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { USAGE_LIMIT_MAX } from '@parking/contracts';
import { launchPlatform, type PlatformService, type PlatformStack } from '@parking/testing';
import { Client } from 'pg';
import { call, expectStatus, keepOnlyRecentOutput, PlatformUnavailable } from '../ingest/platform';
import type { BenchDatabase } from '../ingest/resources';

export const BOOKING_PATH = '/api/v1/reservations';
const NATS_URL = process.env.NATS_URL || 'nats://127.0.0.1:4222';
const SERVICES: readonly PlatformService[] = ['identity', 'occupancy', 'reservations', 'gateway'];
const READ_MODEL_TIMEOUT_MS = 60_000;

/** The gateway's per-caller budgets, per RATE_LIMIT_WINDOW_MS (60 s): the highest its config takes. */
export const CALLER_BUDGET_PER_MINUTE = 1_000_000;
/** The tenant's plan overrides: a budget still checked on every request, and no monthly cap. */
export const TENANT_LIMITS = { apiRequestsPerMinute: USAGE_LIMIT_MAX, reservationsPerMonth: null } as const;

/** Which limits the bench raised, and to what, in words for the console and the report. */
export function raisedLimits(): string[] {
  const n = (value: number) => value.toLocaleString('en');
  return [
    `gateway RATE_LIMIT_PER_API_KEY ${n(1_200)} → ${n(CALLER_BUDGET_PER_MINUTE)} per minute (the bench books with one API key)`,
    `gateway RATE_LIMIT_PER_USER ${n(600)} → ${n(CALLER_BUDGET_PER_MINUTE)} per minute (set-up calls as the owner)`,
    `tenant plan free → enterprise (no site or space limits; apiRequestsPerMinute ${n(6_000)}, reservationsPerMonth unlimited)`,
    `tenant override apiRequestsPerMinute ${n(6_000)} → ${n(TENANT_LIMITS.apiRequestsPerMinute)} (PUT /api/v1/admin/tenants/{id}/limits; still checked on every request)`,
    `tenant override reservationsPerMonth → null (unlimited; every booking is still counted in reservations.monthly_usage)`,
    'identity EMAIL_VERIFICATION_REQUIRED=false (the owner signs up without a mailed link)',
  ];
}

export interface ReservationsPlatform {
  baseUrl: string;
  tenantId: string;
  owner: { userId: string; accessToken: string };
  /** Sent as X-API-Key on every booking. */
  apiKey: string;
  siteId: string;
  spaceIds: string[];
  /** The services by pid: whose CPU is the platform's. */
  processes: Record<string, number>;
  /** How long set-up took, in words. */
  setup: string;
  stop(): Promise<void>;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = READ_MODEL_TIMEOUT_MS): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > until) throw new PlatformUnavailable(`${what} did not happen within ${timeoutMs / 1000} s`);
    await pause(100);
  }
}

/**
 * Compiled identity, occupancy, reservations and gateway against the throw-away database
 * (migrated already: the bare insert's table copies the reservations table); a
 * tenant on the enterprise plan with its request budget raised, an API key that may book, and
 * one site with `spaces` spaces the reservations service knows (it learns them by event).
 */
export async function startReservationsPlatform(options: {
  repoRoot: string;
  database: BenchDatabase;
  namespace: string;
  logLevel: string;
  spaces: number;
  /** More environment for every service (e.g. NODE_OPTIONS for a CPU profile). */
  env?: NodeJS.ProcessEnv;
}): Promise<ReservationsPlatform> {
  const began = performance.now();
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'bench-reservations-'));
  const admin = { email: 'bench-admin@example.test', password: `bench ${randomBytes(12).toString('hex')}` };
  let stack: PlatformStack | undefined;
  let stopping = false;
  const stop = async () => {
    stopping = true;
    await stack?.stop();
    rmSync(scratch, { recursive: true, force: true });
  };
  const sql = new Client({ connectionString: options.database.adminUrl });
  await sql.connect();
  try {
    // launchService finds dist/ under the working directory.
    process.chdir(options.repoRoot);
    stack = await launchPlatform(
      { name: options.database.name, adminUrl: options.database.adminUrl, urlFor: options.database.urlFor, drop: options.database.drop },
      {
        namespace: options.namespace,
        services: SERVICES,
        env: {
          NATS_URL,
          LOG_LEVEL: options.logLevel,
          SECRETS_KEY: randomBytes(32).toString('base64'),
          INTEGRATION_SECRETS_KEY: randomBytes(32).toString('base64'),
          SPOOL_DIR: path.join(scratch, 'spool'),
          MAIL_DIR: path.join(scratch, 'mail'),
          BOOTSTRAP_ADMIN_EMAIL: admin.email,
          BOOTSTRAP_ADMIN_PASSWORD: admin.password,
          EMAIL_VERIFICATION_REQUIRED: 'false',
          RATE_LIMIT_PER_API_KEY: String(CALLER_BUDGET_PER_MINUTE),
          RATE_LIMIT_PER_USER: String(CALLER_BUDGET_PER_MINUTE),
          ...options.env,
        },
      },
    );
    for (const [name, service] of Object.entries(stack.services)) keepOnlyRecentOutput(name, service, () => stopping);
    const started = performance.now();
    const baseUrl = stack.services.gateway.baseUrl;

    const owner = expectStatus(
      'register',
      await call(baseUrl, 'POST', '/api/v1/auth/register', {
        email: 'bench-owner@example.test',
        password: `bench ${randomBytes(12).toString('hex')}`,
        name: 'Bench Owner',
        tenantName: 'Bench Car Parks (reservations)',
        tenantSlug: `reservations-bench-${randomBytes(3).toString('hex')}`,
      }),
      201,
    ) as { accessToken: string; tenantId: string; userId: string };
    const adminSession = expectStatus('admin login', await call(baseUrl, 'POST', '/api/v1/auth/login', admin), 200) as { accessToken: string };
    expectStatus(
      'set plan',
      await call(baseUrl, 'PUT', `/api/v1/admin/tenants/${owner.tenantId}/plan`, { plan: 'enterprise', reason: 'Benchmark (reservations)' }, adminSession.accessToken),
      200,
    );
    expectStatus(
      'raise limits',
      await call(
        baseUrl,
        'PUT',
        `/api/v1/admin/tenants/${owner.tenantId}/limits`,
        { limits: TENANT_LIMITS, reason: 'Benchmark (reservations): request budget far above the search, no monthly booking cap' },
        adminSession.accessToken,
      ),
      200,
    );
    // Occupancy and reservations learn the new limits by event (the gateway by the same one).
    const [{ limits_version: version }] = (await sql.query('SELECT limits_version FROM identity.tenants WHERE id = $1', [owner.tenantId])).rows as Array<{ limits_version: number }>;
    await waitFor('occupancy learning the enterprise plan', async () => {
      const { rows } = await sql.query('SELECT spaces FROM occupancy.tenant_limits WHERE tenant_id = $1', [owner.tenantId]);
      return rows.length === 1 && rows[0].spaces === null;
    });
    await waitFor('reservations learning the raised limits', async () => {
      const { rows } = await sql.query('SELECT reservations_per_month, version FROM reservations.tenant_limits WHERE tenant_id = $1', [owner.tenantId]);
      return rows.length === 1 && rows[0].version >= version && rows[0].reservations_per_month === null;
    });

    const key = expectStatus(
      'create API key',
      await call(baseUrl, 'POST', '/api/v1/api-keys', { name: 'Booking partner (bench)', scopes: ['reservations:write', 'reservations:read'] }, owner.accessToken),
      201,
    ) as { key: string };

    const site = expectStatus('create site', await call(baseUrl, 'POST', '/api/v1/sites', { name: 'Bench', category: 'off_street' }, owner.accessToken), 201) as { id: string };
    const spaceIds: string[] = [];
    for (let i = 0; i < options.spaces; i++) {
      const space = expectStatus('create space', await call(baseUrl, 'POST', '/api/v1/spaces', { siteId: site.id, code: `R-${i + 1}` }, owner.accessToken), 201) as { id: string };
      spaceIds.push(space.id);
    }
    await waitFor('reservations learning the site and its spaces', async () => {
      const { rows } = await sql.query('SELECT count(*)::int AS n FROM reservations.spaces WHERE site_id = $1 AND removed_at IS NULL', [site.id]);
      return rows[0].n === options.spaces;
    });
    // As a client would check: the API offers every space for booking.
    const from = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const to = new Date(Date.now() + 2 * 86_400_000 + 3_600_000).toISOString();
    const availability = expectStatus(
      'availability',
      await call(baseUrl, 'GET', `/api/v1/availability?siteId=${site.id}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, undefined, owner.accessToken),
      200,
    ) as { total?: number };
    if (availability.total !== options.spaces) throw new PlatformUnavailable(`availability shows ${availability.total} of the site's ${options.spaces} spaces`);

    const running = stack.services;
    return {
      baseUrl,
      tenantId: owner.tenantId,
      owner: { userId: owner.userId, accessToken: owner.accessToken },
      apiKey: key.key,
      siteId: site.id,
      spaceIds,
      processes: Object.fromEntries(SERVICES.map((name) => [name, running[name].process.pid as number])),
      setup: `services ready in ${((started - began) / 1000).toFixed(0)} s, tenant, limits, API key, site and ${options.spaces} bookable spaces in ${((performance.now() - started) / 1000).toFixed(0)} s`,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  } finally {
    await sql.end();
  }
}
