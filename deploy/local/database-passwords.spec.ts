import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SERVICES } from '@parking/database';
import { DATABASE_PASSWORDS_FILE, localDatabasePasswords, withoutDatabaseSecrets } from './database-passwords';

describe('the local stack’s database passwords', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'parking-db-passwords-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('makes one per runtime role, all different, kept readable by the owner only', () => {
    const passwords = localDatabasePasswords(dir, {});

    expect(Object.keys(passwords)).toEqual(SERVICES.map((s) => s.service));
    expect(new Set(Object.values(passwords)).size).toBe(SERVICES.length);
    const file = path.join(dir, DATABASE_PASSWORDS_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(passwords);
  });

  it('keeps them for the next start, and lets the environment override one', () => {
    const first = localDatabasePasswords(dir, {});

    const second = localDatabasePasswords(dir, { DB_PASSWORD_INGEST: 'from-the-environment-0001' });

    expect(second).toEqual({ ...first, ingest: 'from-the-environment-0001' });
  });

  it('hands no role password and no admin URL to a service through the inherited environment', () => {
    const env = withoutDatabaseSecrets({ DB_PASSWORD_IDENTITY: 'x', DB_PASSWORD_CHIRPSTACK_SYNC: 'y', DATABASE_ADMIN_URL: 'postgres://a', DATABASE_PASSWORD: 'z', NATS_URL: 'nats://n' });

    expect(env).toEqual({ NATS_URL: 'nats://n' });
  });
});
