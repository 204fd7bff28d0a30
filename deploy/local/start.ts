/**
 * `npm start`: the whole platform on one machine. Uses DATABASE_URL, NATS_URL and REDIS_URL
 * when they answer; otherwise starts an embedded PostgreSQL, a local nats-server -js and
 * (when on PATH) redis-server, with data under .data/. Applies migrations, starts the seven
 * services, prints their URLs, and stops everything on Ctrl-C.
 */
import { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { bootstrapRoles, runMigrations, runtimeDatabaseUrl } from '@parking/database';
import { Backing, ensureNats, ensurePostgres, ensureRedis } from './infrastructure';
import { LocalSecrets, localSecrets } from './local-secrets';
import { startServiceProcess, stopServiceProcesses, waitForReady } from './service-processes';
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
    const nats = await ensureNats(env, dir);
    backings.push(nats);
    const redis = await ensureRedis(env, dir);
    if (redis) backings.push(redis);

    await bootstrapRoles({ adminUrl: postgres.url });
    const report = await runMigrations({ adminUrl: postgres.url });
    console.log(`PostgreSQL: ${postgres.origin}; migrations applied: ${report.applied.length}, already applied: ${report.skipped.length}`);
    console.log(`NATS:       ${nats.origin} at ${nats.url}`);
    console.log(redis ? `Redis:      ${redis.origin} at ${redis.url}` : 'Redis:      none (redis-server not on PATH): shared counters are kept in memory, fine for a single node');

    const secrets = localSecrets(dir, env);
    SERVICE_NAMES.forEach((service, index) => {
      const serviceEnv: NodeJS.ProcessEnv = {
        ...env,
        SECRETS_KEY: secrets.secretsKey,
        NATS_URL: nats.url,
        HTTP_PORT: String(servicePort(service, env)),
        ...(redis ? { REDIS_URL: redis.url } : {}),
      };
      if (service === 'gateway') {
        serviceEnv.GATEWAY_PORT = String(servicePort(service, env));
        serviceEnv.SPOOL_DIR = env.SPOOL_DIR ?? `${dir}/spool`;
        delete serviceEnv.DATABASE_URL;
      } else {
        serviceEnv.DATABASE_URL = runtimeDatabaseUrl(postgres.url, service);
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
      const child = startServiceProcess(service, index, serviceEnv);
      child.once('exit', (code, signal) => {
        if (stopping) return;
        console.error(`[${service}] exited unexpectedly (${signal ?? `code ${code}`}); stopping the platform.`);
        void stop(1);
      });
      children.push(child);
    });

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
