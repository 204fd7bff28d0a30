import { newRolePassword, rolePasswordsFromEnv, rolePasswordVariable, TRUST_AUTH } from './role-passwords';
import { runtimeDatabaseUrl } from './runtime-url';
import { SERVICES } from './service-schemas';

const everyRole = () => Object.fromEntries(SERVICES.map((s) => [rolePasswordVariable(s.service), newRolePassword()]));

describe('runtime role passwords', () => {
  it('names one variable per runtime role', () => {
    expect(SERVICES.map((s) => rolePasswordVariable(s.service))).toEqual([
      'DB_PASSWORD_IDENTITY',
      'DB_PASSWORD_INGEST',
      'DB_PASSWORD_OCCUPANCY',
      'DB_PASSWORD_RESERVATIONS',
      'DB_PASSWORD_DOWNLINK',
      'DB_PASSWORD_CHIRPSTACK_SYNC',
    ]);
  });

  it('reads each role its own password, by service', () => {
    const env = everyRole();

    expect(rolePasswordsFromEnv(env)).toEqual(Object.fromEntries(SERVICES.map((s) => [s.service, env[rolePasswordVariable(s.service)]])));
  });

  it('has no shared default: refuses a missing one, naming it, and says the old variable is gone', () => {
    const env: NodeJS.ProcessEnv = { ...everyRole(), DB_RUNTIME_PASSWORD: 'parking' };
    delete env.DB_PASSWORD_CHIRPSTACK_SYNC;

    expect(() => rolePasswordsFromEnv(env)).toThrow(/DB_PASSWORD_CHIRPSTACK_SYNC is not set\.[^]*DB_RUNTIME_PASSWORD[^]*no longer read[^]*DB_TRUST_AUTH=true/);
    expect(() => rolePasswordsFromEnv({})).toThrow('DB_PASSWORD_IDENTITY is not set; DB_PASSWORD_INGEST is not set');
  });

  it('refuses one password for two roles without printing it', () => {
    const env = { ...everyRole(), DB_PASSWORD_OCCUPANCY: 'the-same-password-twice', DB_PASSWORD_INGEST: 'the-same-password-twice' };

    expect(() => rolePasswordsFromEnv(env)).toThrow('DB_PASSWORD_INGEST and DB_PASSWORD_OCCUPANCY are the same');
    expect(() => rolePasswordsFromEnv(env)).not.toThrow('the-same-password-twice');
  });

  it('refuses short passwords and spaces', () => {
    expect(() => rolePasswordsFromEnv({ ...everyRole(), DB_PASSWORD_INGEST: 'parking' })).toThrow('DB_PASSWORD_INGEST is shorter than 16 characters');
    expect(() => rolePasswordsFromEnv({ ...everyRole(), DB_PASSWORD_INGEST: 'a long password with spaces' })).toThrow('printable ASCII without spaces');
  });

  it('goes without passwords only when the operator asks for trust auth', () => {
    expect(rolePasswordsFromEnv({ DB_TRUST_AUTH: 'true' })).toBe(TRUST_AUTH);
    expect(() => rolePasswordsFromEnv({ DB_TRUST_AUTH: 'false' })).toThrow('DB_PASSWORD_IDENTITY is not set');
  });

  it('makes fresh, distinct, URL-safe passwords', () => {
    const made = Array.from({ length: 20 }, newRolePassword);

    expect(new Set(made).size).toBe(20);
    for (const password of made) expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });
});

describe('runtimeDatabaseUrl', () => {
  it("logs in as the service's role with its own password, encoded", () => {
    const url = runtimeDatabaseUrl('postgres://postgres:admin-secret@db.example:5432/parking?sslmode=require', 'chirpstack-sync', 'p@ss:w/rd#%');

    expect(url).toBe('postgres://parking_chirpstack_sync:p%40ss%3Aw%2Frd%23%25@db.example:5432/parking?sslmode=require');
    expect(decodeURIComponent(new URL(url).password)).toBe('p@ss:w/rd#%');
  });

  it("never passes the admin's password on, and carries none on a trust-auth server", () => {
    expect(runtimeDatabaseUrl('postgres://postgres:admin-secret@127.0.0.1:5432/parking', 'identity')).toBe('postgres://parking_identity@127.0.0.1:5432/parking');
  });
});
