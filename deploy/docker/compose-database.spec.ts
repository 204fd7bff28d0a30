// docker-compose.yml is data nobody runs here; this keeps its database roles in step with the
// code: each service logs in as its own role with its own password, the migrations job sets them all.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { rolePasswordVariable, SERVICES } from '@parking/database';
import { parse } from 'yaml';

const ROOT = path.join(__dirname, '..', '..');
type Service = { environment?: Record<string, string> };
const compose = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service> };
const required = (variable: string) => new RegExp(`^\\$\\{${variable}:\\?[^}]+\\}$`);

describe('docker-compose.yml database roles', () => {
  it('gives the migrations job every runtime role its own password from .env, refusing to start without one', () => {
    const env = compose.services.migrate.environment ?? {};
    for (const { service } of SERVICES) expect(env[rolePasswordVariable(service)]).toMatch(required(rolePasswordVariable(service)));
  });

  it.each(SERVICES.map((s) => [s.service, s.role]))('logs %s in as %s with its own password only', (service, role) => {
    const env = compose.services[service].environment ?? {};
    const url = new URL(env.DATABASE_URL);
    expect({ user: url.username, password: url.password }).toEqual({ user: role, password: '' });
    expect(env.DATABASE_PASSWORD).toMatch(required(rolePasswordVariable(service)));
    const others = SERVICES.filter((s) => s.service !== service).map((s) => rolePasswordVariable(s.service));
    expect(others.filter((variable) => JSON.stringify(env).includes(variable))).toEqual([]);
  });

  it('gives the gateway no database access', () => {
    expect(JSON.stringify(compose.services.gateway.environment ?? {})).not.toMatch(/DATABASE_|DB_PASSWORD_/);
  });

  it('has deploy/docker/db-passwords.sh write exactly the variables compose reads', () => {
    const script = readFileSync(path.join(__dirname, 'db-passwords.sh'), 'utf8');
    const listed = /for service in ([A-Z_ ]+); do/.exec(script)?.[1].split(' ').map((s) => `DB_PASSWORD_${s}`);
    expect(listed).toEqual(SERVICES.map((s) => rolePasswordVariable(s.service)));
  });
});
