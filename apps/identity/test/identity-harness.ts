// Boots the compiled identity service (`npm run build` first) against a fresh database and
// NATS namespace, and talks to it the way the gateway does: namespaced request/reply.
import { Principal, ROLE_PERMISSIONS, RpcContract, TenantRole } from '@parking/contracts';
import { createRpcClient, RpcClient } from '@parking/messaging-nest';
import { DomainError } from '@parking/problem-details';
import { generateSecretsKey } from '@parking/secret-box';
import { createTestDatabase, expectEventually, launchService, removeNamespaceStreams, RunningService, splitSpecRequest, TEST_RPC_KEYS, TestDatabase, uniqueNamespace } from '@parking/testing';
import { connect } from '@nats-io/transport-node';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

const NATS_URL = process.env.NATS_URL || 'nats://127.0.0.1:4222';

/** One of IDENTITY_RPC, or a subject. */
export type IdentityRpc = RpcContract<object, unknown> | string;
const subjectOf = (rpc: IdentityRpc) => (typeof rpc === 'string' ? rpc : rpc.subject);

export interface SentMail {
  to: string;
  subject: string;
  text: string;
}

export interface IdentityHarness {
  database: TestDatabase;
  namespace: string;
  /** SECRETS_KEY: identity's own (its signing keys). */
  secretsKey: string;
  /** INTEGRATION_SECRETS_KEY: shared with the gateway (webhook HMAC secrets). */
  integrationSecretsKey: string;
  admin: { email: string; password: string };
  service: RunningService;
  /**
   * A request written as `{ principal?, caller?, ...input }`, sent as the gateway does (the
   * principal and caller in its signed proof), to a contract's subject; the input may be
   * anything, so specs can also send what the class refuses.
   */
  send<TRes>(rpc: IdentityRpc, payload: unknown): Promise<TRes>;
  /** The DomainError the call ends with; fails the test if it succeeds. */
  failure(rpc: IdentityRpc, payload: unknown): Promise<DomainError>;
  /** Mails written to MAIL_DIR so far, oldest first. */
  mails(): SentMail[];
  /** The single-use token in the newest mail to `to`. */
  tokenMailedTo(to: string): Promise<string>;
  sql<T extends object>(query: string, values?: unknown[]): Promise<T[]>;
  /** Events published under the namespace since start (JetStream publishes reach core subscribers too). */
  events(type?: string): Array<{ type: string; subject: string; tenantid: string; data: Record<string, unknown> }>;
  /** Everything the service logged so far. */
  logs(): string;
  stop(): Promise<void>;
}

export async function startIdentity(env: NodeJS.ProcessEnv = {}): Promise<IdentityHarness> {
  const database = await createTestDatabase();
  const namespace = uniqueNamespace();
  const mailDir = mkdtempSync(path.join(os.tmpdir(), 'identity-mail-'));
  const secretsKey = generateSecretsKey();
  const integrationSecretsKey = generateSecretsKey();
  const admin = { email: `root-${namespace}@platform.test`, password: `admin-${namespace}-password` };
  const service = await launchService('identity', {
    env: {
      DATABASE_URL: database.urlFor('identity'),
      NATS_NAMESPACE: namespace,
      NATS_URL,
      SECRETS_KEY: secretsKey,
      INTEGRATION_SECRETS_KEY: integrationSecretsKey,
      MAIL_DIR: mailDir,
      BOOTSTRAP_ADMIN_EMAIL: admin.email,
      BOOTSTRAP_ADMIN_PASSWORD: admin.password,
      LOG_LEVEL: 'debug',
      ...env,
    },
  }).catch(async (error) => {
    await database.drop();
    throw error;
  });
  const nc = await connect({ servers: NATS_URL.split(','), name: 'identity-spec-events' });
  const events: Array<{ type: string; subject: string; tenantid: string; data: Record<string, unknown> }> = [];
  const subscription = nc.subscribe(`${namespace}.identity.>`);
  void (async () => {
    for await (const message of subscription) events.push(message.json());
  })();
  const client: RpcClient = createRpcClient({ natsUrl: NATS_URL, name: 'identity-spec', namespace, timeoutMs: 10_000, proof: TEST_RPC_KEYS.gatewayProof });
  // As the gateway sends them: the principal and caller inside the signed proof, the rest as the input.
  const sendAsGateway = (rpc: IdentityRpc, payload: unknown) => {
    const { input, context } = splitSpecRequest(payload);
    return client.send(subjectOf(rpc), input, { context });
  };
  const mails = (): SentMail[] =>
    readdirSync(mailDir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => JSON.parse(readFileSync(path.join(mailDir, f), 'utf8')) as SentMail);
  return {
    database,
    namespace,
    secretsKey,
    integrationSecretsKey,
    admin,
    service,
    send: <TRes>(rpc: IdentityRpc, payload: unknown) => sendAsGateway(rpc, payload) as Promise<TRes>,
    async failure(rpc, payload) {
      const outcome = await sendAsGateway(rpc, payload).then(
        (reply) => new Error(`expected ${subjectOf(rpc)} to fail, it answered ${JSON.stringify(reply)}`),
        (error: unknown) => error,
      );
      if (!(outcome instanceof DomainError)) throw outcome;
      return outcome;
    },
    mails,
    async tokenMailedTo(to) {
      return expectEventually(() => {
        const mail = mails()
          .filter((m) => m.to === to)
          .at(-1);
        const token = mail && /[?&]token=([^\s&]+)/.exec(mail.text)?.[1];
        if (!token) throw new Error(`no mail with a token to ${to} yet`);
        return decodeURIComponent(token);
      });
    },
    async sql(query, values = []) {
      const pg = new Client({ connectionString: database.adminUrl });
      await pg.connect();
      try {
        return (await pg.query(query, values)).rows;
      } finally {
        await pg.end();
      }
    },
    events: (type) => events.filter((e) => type === undefined || e.type === type),
    logs: () => service.output(),
    async stop() {
      await client.close();
      await nc.close();
      await service.stop();
      await removeNamespaceStreams(namespace);
      await database.drop();
      rmSync(mailDir, { recursive: true, force: true });
    },
  };
}

export const CALLER = { ip: '203.0.113.7', userAgent: 'identity-spec' };

let counter = 0;
/** A unique owner + tenant for one test. */
export function newRegistration(label = 'owner') {
  counter += 1;
  const tag = `${label}-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
  return {
    email: `${tag}@example.test`,
    password: `correct horse ${tag}`,
    name: `Owner ${counter}`,
    tenantName: `Harbour Parking ${tag}`,
    tenantSlug: `harbour-${tag}`.toLowerCase(),
    caller: CALLER,
  };
}

/** Secrets must never reach a log line; returns the ones that did. */
export function leakedSecrets(logs: string, secrets: string[]): string[] {
  return secrets.filter((secret) => secret.length > 0 && logs.includes(secret));
}

/** The principal the gateway derives from a user's access token. */
export function userPrincipal(session: { userId: string; tenantId: string }, role: TenantRole, isPlatformAdmin = false): Principal {
  return {
    kind: 'user',
    tenantId: session.tenantId,
    actor: `user:${session.userId}`,
    userId: session.userId,
    role,
    permissions: [...ROLE_PERMISSIONS[role]],
    isPlatformAdmin,
  };
}
