// The committed compose authorization really runs: nats-server reads it with the passwords that
// deploy/docker/nats-passwords.sh writes to .env, lets each service in as itself, refuses anonymous clients.
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect } from '@nats-io/transport-node';
import { NATS_SERVICE_NAMES, natsPasswordVariable } from '@parking/contracts';
import { expectEventually, freeTcpPort } from '@parking/testing';

describe('deploy/docker/nats-auth.conf with the passwords of deploy/docker/nats-passwords.sh', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'compose-nats-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('admits each service as its own user and refuses anonymous clients', async () => {
    const envFile = path.join(dir, '.env');
    execFileSync(path.join(__dirname, 'nats-passwords.sh'), [envFile]);
    const passwords = Object.fromEntries(readFileSync(envFile, 'utf8').trim().split('\n').map((line) => line.split('=') as [string, string]));
    copyFileSync(path.join(__dirname, 'nats-auth.conf'), path.join(dir, 'nats-auth.conf'));
    const port = await freeTcpPort();
    writeFileSync(path.join(dir, 'nats.conf'), `listen: 127.0.0.1:${port}\ninclude ./nats-auth.conf\n`);
    const server = spawn(process.env.NATS_SERVER_BIN || 'nats-server', ['-c', path.join(dir, 'nats.conf')], { env: { ...process.env, ...passwords }, stdio: 'ignore' });
    const exited = new Promise((resolve) => server.once('exit', resolve));
    try {
      const url = `nats://127.0.0.1:${port}`;
      for (const service of NATS_SERVICE_NAMES) {
        const nc = await expectEventually(() => connect({ servers: url, user: service, pass: passwords[natsPasswordVariable(service)] }), { timeoutMs: 10_000, intervalMs: 100 });
        await nc.close();
      }
      await expect(connect({ servers: url })).rejects.toThrow(/Authorization Violation/);
    } finally {
      server.kill('SIGTERM');
      await exited;
    }
  });
});
