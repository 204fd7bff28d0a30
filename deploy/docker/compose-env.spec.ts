// docker-compose.yml is data nobody runs here; this boots each service's configuration from the
// environment compose would give it, with a .env made by deploy/docker/prepare.sh (which the compose file names), so
// a variable a service now requires (or refuses) cannot be missed in compose.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { databaseUrl } from '@parking/config';
import { SERVICES } from '@parking/database';
import { parse } from 'yaml';
import { SERVICE_NAMES } from '../local/stack-layout';
import { bootServiceWith, SERVICE_BOOT } from './service-boot';

const ROOT = path.join(__dirname, '..', '..');
const COMPOSE_TEXT = readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
type Service = { environment?: Record<string, string> };
const compose = parse(COMPOSE_TEXT, { merge: true }) as { services: Record<string, Service> };
const PREPARE = 'deploy/docker/prepare.sh';

/** Compose's interpolation of one value: $$, ${VAR}, ${VAR:?why}, ${VAR?why}, ${VAR:-default}, ${VAR-default}. */
function interpolate(value: string, dotenv: Record<string, string>): string {
  return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([?-])([^}]*))?\}/g, (match, name?: string, colon?: string, kind?: string, arg?: string) => {
    if (match === '$$') return '$';
    const set = name! in dotenv && (colon !== ':' || dotenv[name!] !== '');
    if (set) return dotenv[name!];
    if (kind === '?') throw new Error(`compose refuses to start: ${name} is not set (${arg})`);
    return kind === '-' ? (arg ?? '') : '';
  });
}

function composeEnv(service: string, dotenv: Record<string, string>): NodeJS.ProcessEnv {
  const env = compose.services[service].environment ?? {};
  return Object.fromEntries(Object.entries(env).map(([name, value]) => [name, interpolate(String(value), dotenv)]));
}

describe('the environment docker-compose.yml gives each service', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'compose-env-'));
  let dotenv: Record<string, string>;
  beforeAll(() => {
    const envFile = path.join(dir, '.env');
    execFileSync('sh', [path.join(ROOT, PREPARE), envFile, path.join(dir, 'certs')]);
    const lines = readFileSync(envFile, 'utf8').trim().split('\n');
    dotenv = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('takes from .env only what the script named in its header writes there', () => {
    const header = /^(#.*\n)+/.exec(COMPOSE_TEXT)?.[0] ?? '';
    expect(header).toContain(PREPARE);
    const interpolated = [...new Set([...COMPOSE_TEXT.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]))];
    expect(interpolated.filter((name) => !(name in dotenv))).toEqual([]);
  });

  it.each(SERVICE_NAMES)('boots %s as its main.ts does', (service) => {
    // main.ts starts the service with process.env; start-<service>.ts boots the configuration from what it is given.
    const main = readFileSync(path.join(ROOT, 'apps', service, 'src', 'main.ts'), 'utf8');
    expect(main).toMatch(new RegExp(`from './start-${service}';\\s+void start\\w+\\(\\);`));
    const start = readFileSync(path.join(ROOT, 'apps', service, 'src', `start-${service}.ts`), 'utf8');
    expect(start).toContain(SERVICE_BOOT[service].call);
    const env = composeEnv(service, dotenv);
    const config = bootServiceWith(service, env);
    expect(config.nats.url).toBe('tls://nats:4222');
    expect(config.nats.auth?.credentials?.user).toBe(service);
    // The gateway, reservations and downlink sign their RPCs' proofs, each with its own key; the
    // others check proofs against all three public keys and sign nothing.
    const ownKey: Partial<Record<string, string>> = { reservations: dotenv.RPC_SIGNING_KEY_RESERVATIONS, downlink: dotenv.RPC_SIGNING_KEY_DOWNLINK };
    if (service === 'gateway') expect(config.rpcProof.signingKey).toBe(dotenv.RPC_SIGNING_KEY_GATEWAY);
    else expect(config.rpcProof).toEqual({ trustedKeys: dotenv.RPC_TRUSTED_KEYS, signingKey: ownKey[service] });
    const role = SERVICES.find((s) => s.service === service)?.role;
    if (role) {
      const url = new URL((config as unknown as { database: { url: string } }).database.url);
      expect(url.username).toBe(role);
      expect(url.toString()).toBe(databaseUrl({ DATABASE_URL: env.DATABASE_URL!, DATABASE_PASSWORD: env.DATABASE_PASSWORD }));
      expect(decodeURIComponent(url.password)).toBe(env.DATABASE_PASSWORD);
    }
  });

  it('boots nothing that lacks a variable its service requires, or holds one it refuses', () => {
    const identity = composeEnv('identity', dotenv);
    delete identity.INTEGRATION_SECRETS_KEY;
    expect(() => bootServiceWith('identity', identity)).toThrow(/exit 78: [\s\S]*INTEGRATION_SECRETS_KEY/);
    const sameKeys = { ...composeEnv('identity', dotenv), INTEGRATION_SECRETS_KEY: dotenv.SECRETS_KEY };
    expect(() => bootServiceWith('identity', sameKeys)).toThrow(/INTEGRATION_SECRETS_KEY/);
    const gateway = { ...composeEnv('gateway', dotenv), SECRETS_KEY: dotenv.SECRETS_KEY };
    expect(() => bootServiceWith('gateway', gateway)).toThrow(/SECRETS_KEY[\s\S]*must not be set on the gateway/);
    const chirpstackSync = composeEnv('chirpstack-sync', dotenv);
    delete chirpstackSync.SECRETS_KEY;
    expect(() => bootServiceWith('chirpstack-sync', chirpstackSync)).toThrow(/exit 78: [\s\S]*SECRETS_KEY/);
    for (const signer of ['reservations', 'downlink'] as const) {
      const env = composeEnv(signer, dotenv);
      delete env.RPC_SIGNING_KEY;
      expect(() => bootServiceWith(signer, env)).toThrow(/exit 78: [\s\S]*RPC_SIGNING_KEY/);
    }
  });

  it('gives identity and chirpstack-sync each a SECRETS_KEY of its own, and INTEGRATION_SECRETS_KEY to identity and the gateway', () => {
    const holders = (variable: string) => Object.keys(compose.services).filter((name) => variable in (compose.services[name].environment ?? {}));
    expect(holders('SECRETS_KEY').sort()).toEqual(['chirpstack-sync', 'identity']);
    expect(holders('INTEGRATION_SECRETS_KEY').sort()).toEqual(['gateway', 'identity']);
    expect(composeEnv('identity', dotenv).SECRETS_KEY).toBe(dotenv.SECRETS_KEY);
    expect(composeEnv('chirpstack-sync', dotenv).SECRETS_KEY).toBe(dotenv.CHIRPSTACK_SYNC_SECRETS_KEY);
    expect(new Set([dotenv.SECRETS_KEY, dotenv.INTEGRATION_SECRETS_KEY, dotenv.CHIRPSTACK_SYNC_SECRETS_KEY]).size).toBe(3);
    const config = bootServiceWith('chirpstack-sync', composeEnv('chirpstack-sync', dotenv)) as unknown as { secretsKey: { key: string } };
    expect(config.secretsKey.key).toBe(dotenv.CHIRPSTACK_SYNC_SECRETS_KEY);
  });
});
