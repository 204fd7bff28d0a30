// docker-compose.yml and the NATS config are data nobody runs here; this keeps them in step with
// the code: authorization generated from NATS_ACCESS, each service its own user, no NATS port on
// the host, TLS required and the services trusting its CA (nats-tls.int-spec.ts runs it).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { NATS_SERVICE_NAMES, natsPasswordVariable, renderNatsAuthorization } from '@parking/contracts';
import { parse } from 'yaml';

const ROOT = path.join(__dirname, '..', '..');
type Volume = string | { type: string; source: string; target: string; read_only?: boolean; bind?: { create_host_path?: boolean } };
type Service = { environment?: Record<string, string>; ports?: string[]; volumes?: Volume[] };
const COMPOSE_TEXT = readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
const compose = parse(COMPOSE_TEXT, { merge: true }) as { services: Record<string, Service> };
const required = (variable: string) => new RegExp(`^\\$\\{${variable}:\\?[^}]+\\}$`);
const CERTS = './deploy/docker/certs';

/** A service's bind mounts, short or long syntax, with whether a missing source stops compose. */
function binds(service: string): Array<{ source: string; target: string; readOnly: boolean; mustExist: boolean }> {
  return (compose.services[service].volumes ?? []).flatMap((volume) => {
    if (typeof volume !== 'string') {
      if (volume.type !== 'bind') return [];
      return [{ source: volume.source, target: volume.target, readOnly: volume.read_only === true, mustExist: volume.bind?.create_host_path === false }];
    }
    const [source, target, mode] = volume.split(':');
    return source.startsWith('.') || source.startsWith('/') ? [{ source, target, readOnly: mode === 'ro', mustExist: false }] : [];
  });
}

/** The active (uncommented) `tls { … }` block of nats.conf as name → value. */
function natsTlsBlock(): Record<string, string> | undefined {
  const conf = readFileSync(path.join(__dirname, 'nats.conf'), 'utf8');
  const block = /^tls\s*\{\n([\s\S]*?)^\}/m.exec(conf)?.[1];
  if (block === undefined) return undefined;
  const settings = block.split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('#'));
  return Object.fromEntries(settings.map((line) => /^(\w+)\s*:\s*(.+)$/.exec(line)?.slice(1, 3) ?? [line, '']));
}

describe('NATS in docker-compose.yml', () => {
  it('uses the authorization generated from the code (deploy/docker/nats-auth.conf)', () => {
    const committed = readFileSync(path.join(__dirname, 'nats-auth.conf'), 'utf8');
    if (committed !== renderNatsAuthorization({ passwords: 'environment' })) {
      throw new Error('deploy/docker/nats-auth.conf is stale: run npm run nats:config -- --passwords references --out deploy/docker/nats-auth.conf');
    }
    expect(readFileSync(path.join(__dirname, 'nats.conf'), 'utf8')).toMatch(/^include \.\/nats-auth\.conf$/m);
    expect(compose.services.nats.volumes).toContain('./deploy/docker/nats-auth.conf:/etc/nats/nats-auth.conf:ro');
  });

  it('publishes no NATS port on the host, and only the gateway is published at all', () => {
    expect(compose.services.nats.ports).toBeUndefined();
    const published = Object.entries(compose.services).filter(([, service]) => service.ports?.length).map(([name]) => name);
    expect(published).toEqual(['gateway']);
  });

  it("gives the NATS server every service's password from .env, refusing to start without one", () => {
    const env = compose.services.nats.environment ?? {};
    for (const service of NATS_SERVICE_NAMES) expect(env[natsPasswordVariable(service)]).toMatch(required(natsPasswordVariable(service)));
  });

  it.each(NATS_SERVICE_NAMES)('connects %s as its own NATS user with its own password only', (service) => {
    const env = compose.services[service].environment ?? {};
    expect(env.NATS_USER).toBe(service);
    expect(env.NATS_PASSWORD).toMatch(required(natsPasswordVariable(service)));
    const others = NATS_SERVICE_NAMES.filter((s) => s !== service).map(natsPasswordVariable);
    expect(others.filter((variable) => JSON.stringify(env).includes(`${variable}:`))).toEqual([]);
  });

  it('has deploy/docker/nats-passwords.sh write exactly the variables compose reads', () => {
    const script = readFileSync(path.join(__dirname, 'nats-passwords.sh'), 'utf8');
    const listed = /for service in ([A-Z_ ]+); do/.exec(script)?.[1].split(' ').map((s) => `NATS_PASSWORD_${s}`);
    expect(listed).toEqual(NATS_SERVICE_NAMES.map(natsPasswordVariable));
  });

  it('requires TLS of every client, with the certificate and key deploy/docker/nats-tls.sh makes', () => {
    const tls = natsTlsBlock();
    expect(tls).toMatchObject({ cert_file: '/etc/nats/certs/server.crt', key_file: '/etc/nats/certs/server.key' });
    expect(Number(tls?.timeout)).toBeGreaterThanOrEqual(1);
    // No `verify`: the services prove who they are by user and password, not client certificates.
    expect(tls?.verify).toBeUndefined();
    expect(binds('nats')).toEqual(
      expect.arrayContaining([
        { source: `${CERTS}/server.crt`, target: tls?.cert_file, readOnly: true, mustExist: true },
        { source: `${CERTS}/server.key`, target: tls?.key_file, readOnly: true, mustExist: true },
      ]),
    );
    expect(COMPOSE_TEXT.match(/^(#.*\n)+/)?.[0]).toContain('deploy/docker/prepare.sh');
    expect(readFileSync(path.join(__dirname, 'prepare.sh'), 'utf8')).toMatch(/^"\$here\/nats-tls\.sh"/m);
  });

  it.each(NATS_SERVICE_NAMES)('connects %s over TLS, trusting the CA mounted read-only where NODE_EXTRA_CA_CERTS points', (service) => {
    const env = compose.services[service].environment ?? {};
    expect(env.NATS_URL).toBe('tls://nats:4222');
    expect(env.NODE_EXTRA_CA_CERTS).toBe('/etc/nats-ca/ca.crt');
    expect(binds(service)).toContainEqual({ source: `${CERTS}/ca.crt`, target: env.NODE_EXTRA_CA_CERTS, readOnly: true, mustExist: true });
  });

  it("keeps the CA's key on the host: no container mounts it, git and the image build ignore the certificates", () => {
    const mounted = Object.keys(compose.services).flatMap((service) => binds(service).map((b) => b.source));
    expect(mounted.filter((source) => source.startsWith(CERTS)).sort()).toEqual([
      ...NATS_SERVICE_NAMES.map(() => `${CERTS}/ca.crt`),
      `${CERTS}/server.crt`,
      `${CERTS}/server.key`,
    ].sort());
    const ignores = (file: string) => readFileSync(path.join(ROOT, file), 'utf8').split('\n').map((line) => line.trim().replace(/\/$/, ''));
    expect(ignores('.gitignore')).toContain('deploy/docker/certs');
    expect(ignores('.dockerignore')).toContain('deploy/docker/certs');
  });
});
