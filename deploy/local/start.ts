/**
 * `npm start`: the whole platform on one machine. Uses DATABASE_URL, NATS_URL and REDIS_URL
 * when they answer; otherwise starts an embedded PostgreSQL, a local nats-server -js and
 * (when on PATH) redis-server, with data under .data/. Applies migrations, starts the seven
 * services (all in one process by default, a process each with PROCESS_MODE=per-service),
 * prints their URLs, and stops everything on Ctrl-C.
 */
import { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { DEFAULT_PLAN, isPlanId, natsServiceEnv, PLANS } from '@parking/contracts';
import { bootstrapRoles, runMigrations, runtimeDatabaseUrl } from '@parking/database';
import { Backing, ensureNats, ensurePostgres, ensureRedis } from './infrastructure';
import { localDatabasePasswords, withoutDatabaseSecrets } from './database-passwords';
import { LocalSecrets, localRpcEnv, localSecrets, localSecretsKeyEnv } from './local-secrets';
import { localNatsPasswords, natsPasswordsFile, writeLocalNatsAuthorization } from './local-nats';
import { processMode, startServiceHost, startServiceProcess, stopServiceProcesses, waitForReady } from './service-processes';
import { SERVICE_NAMES, ServiceName, dataDir, servicePort } from './stack-layout';

async function main(): Promise<void> {
  const env = process.env;
  const dir = dataDir(env);
  mkdirSync(dir, { recursive: true });
  const backings: Backing[] = [];
  const children: ChildProcess[] = [];
  let stopping = false;

  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping the platform…');
    await stopServiceProcesses(children);
    for (const backing of backings.reverse()) await backing.stop().catch((e) => console.error(e));
    console.log('Stopped.');
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    const postgres = await ensurePostgres(env, dir);
    backings.push(postgres);
    // One NATS user per service, passwords made once and kept in .data/ (never printed).
    const natsPasswords = localNatsPasswords(dir);
    const nats = await ensureNats(env, dir, writeLocalNatsAuthorization(dir, env.NATS_NAMESPACE ?? '', natsPasswords));
    backings.push(nats);
    const redis = await ensureRedis(env, dir);
    if (redis) backings.push(redis);

    // One password per runtime role, made once and kept in .data/; each service gets only its own.
    const dbPasswords = localDatabasePasswords(dir, env);
    await bootstrapRoles({ adminUrl: postgres.url, passwords: dbPasswords });
    const report = await runMigrations({ adminUrl: postgres.url });
    console.log(`PostgreSQL: ${postgres.origin}; migrations applied: ${report.applied.length}, already applied: ${report.skipped.length}`);
    console.log(`NATS:       ${nats.origin} at ${nats.url}`);
    if (nats.origin === 'NATS_URL') console.log(`            each service connects as its own user: apply npm run nats:config -- --passwords file:${natsPasswordsFile(dir)} to that server`);
    console.log(redis ? `Redis:      ${redis.origin} at ${redis.url}` : 'Redis:      none (redis-server not on PATH): shared counters are kept in memory, fine for a single node');
    console.log(tenantPlanLine(env));

    const secrets = localSecrets(dir, env);
    const environments = Object.fromEntries(
      SERVICE_NAMES.map((service) => [service, serviceEnvironment(service, { env, dir, natsUrl: nats.url, natsPasswords, redisUrl: redis?.url, postgresUrl: postgres.url, dbPasswords, secrets })]),
    ) as Record<ServiceName, NodeJS.ProcessEnv>;
    const mode = processMode(env);
    const exited = (what: string) => (code: number | null, signal: NodeJS.Signals | null) => {
      if (stopping) return;
      console.error(`[${what}] exited unexpectedly (${signal ?? `code ${code}`}); stopping the platform.`);
      void stop(1);
    };
    if (mode === 'single') {
      const child = startServiceHost(environments, withoutDatabaseSecrets(env));
      child.once('exit', exited('services'));
      children.push(child);
      console.log('Services:   all seven in one process (PROCESS_MODE=single)');
    } else {
      SERVICE_NAMES.forEach((service, index) => {
        const child = startServiceProcess(service, index, environments[service]);
        child.once('exit', exited(service));
        children.push(child);
      });
    }

    await Promise.all(SERVICE_NAMES.map((s) => waitForReady(readyUrl(s), 90_000)));
    printUrls(secrets, dir);
  } catch (error) {
    console.error(`Could not start the platform: ${(error as Error).message}`);
    await stop(1);
  }
}

function readyUrl(service: ServiceName): string {
  return `http://127.0.0.1:${servicePort(service)}/health/ready`;
}

function printUrls(secrets: LocalSecrets, dir: string): void {
  const gateway = `http://127.0.0.1:${servicePort('gateway')}`;
  console.log('\nThe platform is up:');
  console.log(`  ${'API'.padEnd(17)}${gateway}/api/v1`);
  for (const service of SERVICE_NAMES) {
    const base = `http://127.0.0.1:${servicePort(service)}`;
    console.log(`  ${service.padEnd(17)}${base}/health/ready   ${base}/metrics`);
  }
  console.log(`\nDemo tenant login: ${secrets.demoEmail} / ${secrets.demoPassword}   (kept in ${dir}/secrets.json)`);
  console.log(`Mails (invitations, password resets) are written to ${dir}/mail/`);
  console.log('\nPress Ctrl-C to stop.');
}

void main();

interface StackFacts {
  env: NodeJS.ProcessEnv;
  dir: string;
  natsUrl: string;
  natsPasswords: Record<string, string>;
  redisUrl?: string;
  postgresUrl: string;
  dbPasswords: Record<string, string>;
  secrets: LocalSecrets;
}

/** One service's environment: its own database role and NATS user, and only the keys it holds. */
/** Which plan a new tenant starts on, and how to change it: the free plan caps a tenant at 50 spaces. */
function tenantPlanLine(env: NodeJS.ProcessEnv): string {
  const plan = env.DEFAULT_TENANT_PLAN ?? DEFAULT_PLAN;
  const count = (max: number | null, what: string) => (max === null ? `unlimited ${what}` : `${max} ${what}`);
  const limits = isPlanId(plan)
    ? ` (${count(PLANS[plan].spaces, 'spaces')}, ${count(PLANS[plan].devices, 'devices')}, ${PLANS[plan].apiRequestsPerMinute} API requests a minute)`
    : '';
  return `Tenants:    New tenants start on the ${plan} plan${limits}; DEFAULT_TENANT_PLAN=${Object.keys(PLANS).join('|')} changes it`;
}

function serviceEnvironment(service: ServiceName, { env, dir, natsUrl, natsPasswords, redisUrl, postgresUrl, dbPasswords, secrets }: StackFacts): NodeJS.ProcessEnv {
  const serviceEnv: NodeJS.ProcessEnv = {
    ...withoutDatabaseSecrets(env),
    NATS_URL: natsUrl,
    ...natsServiceEnv(service, natsPasswords[service]),
    HTTP_PORT: String(servicePort(service, env)),
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
  };
  // Identity's own key reaches identity only, chirpstack-sync's chirpstack-sync only; the key for webhook HMAC secrets, identity and the gateway.
  delete serviceEnv.SECRETS_KEY;
  delete serviceEnv.SECRETS_KEY_PREVIOUS;
  delete serviceEnv.CHIRPSTACK_SYNC_SECRETS_KEY;
  delete serviceEnv.CHIRPSTACK_SYNC_SECRETS_KEY_PREVIOUS;
  Object.assign(serviceEnv, localSecretsKeyEnv(service, secrets, env));
  // Proofs from the keys of the gateway, reservations and downlink; each of them signs with its own, no other service with any.
  delete serviceEnv.RPC_SIGNING_KEY;
  Object.assign(serviceEnv, localRpcEnv(service, secrets));
  if (service === 'identity' || service === 'gateway') serviceEnv.INTEGRATION_SECRETS_KEY = secrets.integrationSecretsKey;
  if (service === 'gateway') {
    serviceEnv.GATEWAY_PORT = String(servicePort(service, env));
    serviceEnv.SPOOL_DIR = env.SPOOL_DIR ?? `${dir}/spool`;
    delete serviceEnv.DATABASE_URL;
  } else {
    serviceEnv.DATABASE_URL = runtimeDatabaseUrl(postgresUrl, service, dbPasswords[service]);
  }
  if (service === 'identity') {
    Object.assign(serviceEnv, {
      MAIL_DIR: env.MAIL_DIR ?? `${dir}/mail`,
      PUBLIC_BASE_URL: env.PUBLIC_BASE_URL ?? `http://127.0.0.1:${servicePort('gateway', env)}`,
      SEED_DEMO_TENANT: env.SEED_DEMO_TENANT ?? 'true',
      DEMO_EMAIL: secrets.demoEmail,
      DEMO_PASSWORD: secrets.demoPassword,
    });
  }
  return serviceEnv;
}
