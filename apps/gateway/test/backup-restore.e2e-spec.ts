/**
 * Backup and restore as docs/operations.md tells it: `pg_dump -Fc` of a running platform's
 * database, `pg_restore` into a new database, `db:migrate` (which finds nothing to apply), and
 * the platform started on the restored database with the same keys and a NATS namespace of its
 * own (a new JetStream, as after losing the old one): the owner signs in with the same password,
 * finds the site and its zone, and writes more.
 */
import { runMigrations } from '@parking/database';
import { createTestDatabase, TestDatabase } from '@parking/testing';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expectStatus, startApiStack, uniquePassword, type ApiStack, type SignedIn } from './api-stack';

const run = promisify(execFile);
const SERVICES = ['identity', 'gateway', 'occupancy'] as const;

describe('a database dump restored into a new database', () => {
  const keys = { SECRETS_KEY: randomBytes(32).toString('base64'), CHIRPSTACK_SYNC_SECRETS_KEY: randomBytes(32).toString('base64') };
  const admin = { email: `root-${randomBytes(4).toString('hex')}@platform.test`, password: uniquePassword() };
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'restore-'));
  let original: ApiStack | undefined;
  let restored: ApiStack | undefined;
  let target: TestDatabase | undefined;

  afterAll(async () => {
    await original?.stop();
    if (restored) await restored.stop();
    else await target?.drop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('starts the platform with everything the dump held', async () => {
    original = await startApiStack({ prefix: 'restore-a', services: SERVICES, env: keys, admin });
    const owner: SignedIn = await original.register('restore');
    const as = (body?: unknown) => ({ accessToken: owner.accessToken, body });
    const site = expectStatus(await original.call('POST', '/api/v1/sites', as({ name: 'Restored car park', category: 'off_street' })), 201);
    const zone = expectStatus(await original.call('POST', `/api/v1/sites/${site.id}/zones`, as({ name: 'Level 1', kind: 'level' })), 201);

    // An online backup: the platform keeps running while pg_dump reads one snapshot.
    const dump = path.join(scratch, 'parking.dump');
    await run('pg_dump', ['-Fc', '-d', original.database.adminUrl, '-f', dump]);
    expect(statSync(dump).size).toBeGreaterThan(0);
    await original.stop();
    original = undefined;

    target = await createTestDatabase({ empty: true });
    await run('pg_restore', ['-d', target.adminUrl, '--exit-on-error', dump]);
    const report = await runMigrations({ adminUrl: target.adminUrl });
    expect(report.applied).toEqual([]);
    expect(report.skipped.length).toBeGreaterThan(0);

    restored = await startApiStack({ prefix: 'restore-b', services: SERVICES, env: keys, admin, database: target });
    const again = await restored.login(owner.email, owner.password);
    expect(again.tenantId).toBe(owner.tenantId);
    const asAgain = (body?: unknown) => ({ accessToken: again.accessToken, body });
    expect(expectStatus(await restored.call('GET', `/api/v1/sites/${site.id}`, asAgain()), 200)).toMatchObject({ id: site.id, name: 'Restored car park' });
    const zones = expectStatus(await restored.call('GET', `/api/v1/sites/${site.id}/zones`, asAgain()), 200);
    expect(JSON.stringify(zones)).toContain(zone.id);
    // Writes go on where the dump left off: sequences, constraints and row-level security came with it.
    const second = expectStatus(await restored.call('POST', `/api/v1/sites/${site.id}/zones`, asAgain({ name: 'Level 2', kind: 'level' })), 201);
    expect(second.id).not.toBe(zone.id);
    const stranger = await restored.register('stranger');
    expect((await restored.call('GET', `/api/v1/sites/${site.id}`, { accessToken: stranger.accessToken })).status).toBe(404);
  });
});
