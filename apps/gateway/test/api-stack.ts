// The platform behind its public REST API: the compiled gateway and identity processes, and
// whichever other services a test asks for (`npm run build` first), against a test database
// of their own, driven only through the gateway's API, the way a client sees it.
// Every secret that crosses the API (passwords sent, tokens and keys received, tokens mailed)
// is remembered, so a test can look for it in the processes' logs.
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { createTestDatabase, expectEventually, launchPlatform, uniqueNamespace, type PlatformService, type PlatformStack, type TestDatabase } from '@parking/testing';

export interface ApiAnswer {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON answer, read field by field by the tests
  body: any;
}

export interface Credentials {
  /** `Authorization: Bearer <accessToken>`. */
  accessToken?: string;
  /** `X-API-Key: <key>`. */
  apiKey?: string;
}

export interface SignedIn {
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
  userId: string;
  tenantId: string;
}

export interface SentMail {
  to: string;
  subject: string;
  text: string;
}

export interface ApiStack {
  baseUrl: string;
  /** The stack's NATS namespace (e.g. for a second gateway process). */
  namespace: string;
  stack: PlatformStack;
  database: TestDatabase;
  /** The platform admin identity creates at start (BOOTSTRAP_ADMIN_*), signed in. */
  admin: SignedIn;
  /** Every secret seen so far, by kind: passwords, access/refresh tokens, API keys, integration tokens and HMAC secrets, mailed tokens. */
  secrets: Map<string, Set<string>>;
  call(method: string, url: string, options?: Credentials & { body?: unknown; headers?: Record<string, string> }): Promise<ApiAnswer>;
  /** Registers a tenant and its owner (a fresh email, slug and password). */
  register(label: string): Promise<SignedIn>;
  login(email: string, password: string): Promise<SignedIn>;
  /** Moves a tenant to the enterprise plan (no object limits, 6000 requests a minute) as the platform admin. */
  upgrade(tenantId: string): Promise<void>;
  /** Invites `email` with `role`, reads the token from the mail, accepts it through the gateway. */
  inviteAndAccept(inviter: SignedIn, role: string, label?: string): Promise<SignedIn>;
  /** Mails written to MAIL_DIR so far, oldest first. */
  mails(): SentMail[];
  /** The single-use token in the newest mail to `to` (waits for it: some mails are sent after the reply). */
  tokenMailedTo(to: string, subject: RegExp): Promise<string>;
  sql<T extends object>(query: string, values?: unknown[]): Promise<T[]>;
  /** Everything each process printed, by service. */
  logs(): Record<string, string>;
  stop(): Promise<void>;
}

const SECRET_FIELDS_SENT = ['password', 'newPassword', 'token', 'refreshToken'];
const SECRET_FIELDS_RECEIVED = ['accessToken', 'refreshToken', 'key', 'token', 'hmacSecret'];

/** The answer's body when its status is `status`; otherwise fails with what came instead. */
export function expectStatus(answer: ApiAnswer, status: number): ApiAnswer['body'] {
  if (answer.status !== status) throw new Error(`expected ${status}, got ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

export function uniquePassword(): string {
  return `pw ${randomBytes(12).toString('base64url')} staple`;
}

/**
 * `services`: which processes to start (default identity and gateway; add e.g. ingest for device
 * routes, occupancy for sites and spaces, and reservations, with occupancy, for bookings).
 */
export async function startApiStack(options: {
  prefix: string;
  env?: NodeJS.ProcessEnv;
  /** Per service, over `env` (e.g. its own NATS user on a private server). */
  envOf?: (service: PlatformService) => NodeJS.ProcessEnv;
  services?: readonly PlatformService[];
  /** All services in one process, as `npm start` runs them with PROCESS_MODE=single. */
  singleProcess?: boolean;
  /** The database to start on (e.g. one restored from a dump) instead of a fresh one; stop() drops it either way. */
  database?: TestDatabase;
  /** The platform admin's credentials (BOOTSTRAP_ADMIN_*) instead of fresh ones: the admin a restored database already has. */
  admin?: { email: string; password: string };
}): Promise<ApiStack> {
  const database = options.database ?? (await createTestDatabase());
  const scratch = mkdtempSync(path.join(os.tmpdir(), `${options.prefix}-`));
  const mailDir = path.join(scratch, 'mail');
  const adminCredentials = options.admin ?? { email: `root-${randomBytes(4).toString('hex')}@platform.test`, password: uniquePassword() };
  const namespace = uniqueNamespace();
  let stack: PlatformStack;
  try {
    stack = await launchPlatform(database, {
      namespace,
      services: options.services ?? ['identity', 'gateway'],
      envOf: options.envOf,
      singleProcess: options.singleProcess,
      env: {
        SECRETS_KEY: randomBytes(32).toString('base64'),
        SPOOL_DIR: path.join(scratch, 'spool'),
        MAIL_DIR: mailDir,
        BOOTSTRAP_ADMIN_EMAIL: adminCredentials.email,
        BOOTSTRAP_ADMIN_PASSWORD: adminCredentials.password,
        // Rate-limit counters of its own in the shared Redis: another stack's requests (a fuzz run's thousands) never count against this one's.
        RATE_LIMIT_KEY_PREFIX: `parking:rate-limit:${namespace}:`,
        ...options.env,
      },
    });
  } catch (error) {
    await database.drop();
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  }
  const baseUrl = stack.services.gateway.baseUrl;
  const secrets = new Map<string, Set<string>>();
  const remember = (kind: string, value: unknown) => {
    if (typeof value !== 'string' || value.length === 0) return;
    if (!secrets.has(kind)) secrets.set(kind, new Set());
    secrets.get(kind)?.add(value);
  };
  remember('password', adminCredentials.password);

  const call: ApiStack['call'] = async (method, url, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.accessToken) headers.authorization = `Bearer ${options.accessToken}`;
    if (options.apiKey) headers['x-api-key'] = options.apiKey;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.body && typeof options.body === 'object') {
      for (const field of SECRET_FIELDS_SENT) remember(field === 'newPassword' ? 'password' : field, (options.body as Record<string, unknown>)[field]);
    }
    const response = await fetch(`${baseUrl}${url}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    if (response.headers.get('content-type')?.startsWith('text/event-stream')) {
      // An endless stream: the status and headers are the answer.
      await response.body?.cancel();
      return { status: response.status, headers: response.headers, body: undefined };
    }
    const text = await response.text();
    const body = text ? JSON.parse(text) : undefined;
    if (body && typeof body === 'object') {
      for (const field of SECRET_FIELDS_RECEIVED) remember(field === 'token' && typeof body.hmacSecret === 'string' ? 'integrationToken' : field, body[field]);
    }
    return { status: response.status, headers: response.headers, body };
  };

  const expectOk = (answer: ApiAnswer, what: string, status = 200) => {
    if (answer.status !== status) throw new Error(`${what}: expected ${status}, got ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };

  const login = async (email: string, password: string): Promise<SignedIn> => {
    const body = expectOk(await call('POST', '/api/v1/auth/login', { body: { email, password } }), `login ${email}`);
    return { email, password, accessToken: body.accessToken, refreshToken: body.refreshToken, userId: body.userId, tenantId: body.tenantId };
  };

  const mails = (): SentMail[] =>
    existsSync(mailDir)
      ? readdirSync(mailDir)
          .filter((file) => file.endsWith('.json'))
          .sort()
          .map((file) => JSON.parse(readFileSync(path.join(mailDir, file), 'utf8')) as SentMail)
      : [];

  const tokenMailedTo: ApiStack['tokenMailedTo'] = (to, subject) =>
    expectEventually(
      () => {
        const mail = mails()
          .filter((m) => m.to === to && subject.test(m.subject))
          .at(-1);
        if (!mail) throw new Error(`no mail "${subject.source}" to ${to} in MAIL_DIR`);
        const token = /[?&]token=([^\s&]+)/.exec(mail.text)?.[1];
        if (!token) throw new Error(`the mail to ${to} carries no token link:\n${mail.text}`);
        const decoded = decodeURIComponent(token);
        remember('mailedToken', decoded);
        return decoded;
      },
      { timeoutMs: 10_000, intervalMs: 20 },
    );

  const admin = await login(adminCredentials.email, adminCredentials.password);

  const identityStack: ApiStack = {
    baseUrl,
    namespace,
    stack,
    database,
    admin,
    secrets,
    call,
    login,
    mails,
    tokenMailedTo,
    async register(label) {
      const suffix = randomBytes(4).toString('hex');
      const email = `${label}-${suffix}@example.com`;
      const password = uniquePassword();
      const body = expectOk(
        await call('POST', '/api/v1/auth/register', { body: { email, password, name: `Owner ${label}`, tenantName: `Tenant ${label}`, tenantSlug: `${label}-${suffix}` } }),
        `register ${label}`,
        201,
      );
      return { email, password, accessToken: body.accessToken, refreshToken: body.refreshToken, userId: body.userId, tenantId: body.tenantId };
    },
    async upgrade(tenantId) {
      expectOk(
        await call('PUT', `/api/v1/admin/tenants/${tenantId}/plan`, { accessToken: admin.accessToken, body: { plan: 'enterprise', reason: 'e2e: room for the test objects' } }),
        `upgrade ${tenantId}`,
      );
    },
    async inviteAndAccept(inviter, role, label = role) {
      const email = `${label}-${randomBytes(4).toString('hex')}@example.com`;
      expectOk(await call('POST', '/api/v1/invitations', { accessToken: inviter.accessToken, body: { email, role } }), `invite ${email}`, 201);
      const token = await tokenMailedTo(email, /invited/);
      const password = uniquePassword();
      const body = expectOk(await call('POST', '/api/v1/invitations/accept', { body: { token, name: `Invited ${label}`, password } }), `accept ${email}`, 201);
      return { email, password, accessToken: body.accessToken, refreshToken: body.refreshToken, userId: body.userId, tenantId: body.tenantId };
    },
    async sql<T extends object>(query: string, values: unknown[] = []) {
      const client = new Client({ connectionString: database.adminUrl });
      await client.connect();
      try {
        return (await client.query(query, values)).rows as T[];
      } finally {
        await client.end();
      }
    },
    logs: () => Object.fromEntries(Object.entries(stack.services).map(([name, service]) => [name, service.output()])),
    async stop() {
      await stack.stop();
      await database.drop();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
  return identityStack;
}

/** A UUID no tenant has. */
export function unknownId(): string {
  return randomUUID();
}
